import { fingerprintExamples } from '../../data/fingerprint.js';
import type { Dataset, Example } from '../../data/types.js';
import { OptionError } from '../../errors.js';
import { tokenizeInParallel } from '../../text/features/parallel-tokenize.js';
import { tokenIds } from '../../text/features/token-ids.js';
import { resolveClassWeights } from '../../fit/class-weight.js';
import { ValidationMonitor } from '../../fit/early-stopping.js';
import { learningRateAt } from '../../fit/learning-rate-schedule.js';
import { splitForValidation } from '../../fit/validation-split.js';
import { Random } from '../../util/random.js';
import type { EarlyStoppingReport, EpochRecord, FitOptions, Trainer } from '../classifier.js';
import { manifestHistory } from '../history.js';
import { FastTextClassifier } from './fasttext-classifier.js';
import {
  argmax,
  averageRows,
  initialWeights,
  scoreHidden,
  softmax,
  type FastTextWeights,
} from './fasttext-model.js';
import {
  resolveFastTextOptions,
  type FastTextOptions,
  type ResolvedFastTextOptions,
} from './fasttext-options.js';
import { InputRows, type PackedRows } from './input-rows.js';
import { MIN_PROBABILITY, SgdStep } from './sgd.js';

export const DEFAULT_FASTTEXT_SEED = 42;

/** Examples between progress reports (and yields to the event loop, so a bar can redraw). */
const REPORT_EVERY = 1000;

/**
 * Trains fastText's classifier by stochastic gradient descent, one example at a time in a seeded
 * random order each epoch, with a step size that decays linearly from `learningRate` to 0 over all
 * epochs (as fastText does; it needs no tuning of a schedule, and the last steps barely move the
 * weights). Reports tokenizing and features through `onProgress`, and each epoch's running loss
 * and accuracy (measured on each example just before its step) through the epoch and batch
 * callbacks, a "batch" being {@link REPORT_EVERY} examples. The same seed gives the same model.
 */
export class FastTextTrainer implements Trainer {
  readonly options: ResolvedFastTextOptions;

  constructor(options: FastTextOptions = {}) {
    this.options = resolveFastTextOptions(options);
  }

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<FastTextClassifier> {
    const options = this.options;
    const seed = fit.seed ?? DEFAULT_FASTTEXT_SEED;
    const random = new Random(seed);
    const labels = [...dataset.labels];
    if (labels.length < 2)
      throw new OptionError(`a classifier needs at least two labels, got ${labels.length}`);
    if (dataset.train.length === 0) throw new OptionError('the training split is empty');
    const { train, validation } = splitForValidation(dataset.train, options.validationSplit, random);
    const y = labelIndices(train, labels);
    const classWeights = resolveClassWeights(options.classWeight, labels, y);

    const corpus = await tokenizeInParallel(
      train.map((e) => e.text),
      { onProgress: fit.onProgress },
    );
    fit.onProgress?.({ task: 'features', done: 0, total: 1 });
    const inputRows = InputRows.fit(corpus, options);
    const packed = inputRows.packCorpus(corpus);
    const held =
      validation.length > 0
        ? {
            packed: inputRows.packCorpus(tokenIds(validation.map((e) => e.text))),
            y: labelIndices(validation, labels),
          }
        : undefined;
    fit.onProgress?.({ task: 'features', done: 1, total: 1 });
    await yieldToEventLoop();

    const weights = initialWeights(inputRows.size, options.dim, labels.length, random);
    const step = new SgdStep(weights);
    const n = train.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const batches = Math.ceil(n / REPORT_EVERY);
    const totalSteps = options.epochs * n;
    const history: EpochRecord[] = [];
    const monitor =
      options.earlyStopping && held ? new ValidationMonitor(options.earlyStopping.minDelta) : null;
    /** The best epoch's weights, copied (two Float32Arrays) whenever an epoch lowers the validation loss. */
    let best: { input: Float32Array; output: Float32Array } | null = null;
    let stoppedEpoch: number | null = null;
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      random.shuffle(order);
      fit.onEpochBegin?.(epoch, options.epochs, n);
      const started = performance.now();
      let lossSum = 0;
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const e = order[i];
        const decayed = learningRateAt('linear', options.learningRate, (epoch - 1) * n + i, totalSteps);
        // A label's weight scales its examples' steps: the gradient of the class-weighted loss.
        const learningRate = classWeights ? decayed * classWeights[y[e]] : decayed;
        const result = step.run(packed.rows, packed.offsets[e], packed.offsets[e + 1], y[e], learningRate);
        lossSum += result.loss;
        if (result.correct) correct++;
        if ((i + 1) % REPORT_EVERY === 0 || i + 1 === n) {
          fit.onBatchEnd?.(epoch, Math.ceil((i + 1) / REPORT_EVERY), batches, {
            loss: lossSum / (i + 1),
            accuracy: correct / (i + 1),
          });
          await yieldToEventLoop();
        }
      }
      const record: EpochRecord = {
        epoch,
        loss: lossSum / n,
        accuracy: correct / n,
        ...(held ? heldOutMetrics(weights, held.packed, held.y) : {}),
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      fit.onEpochEnd?.(record);
      if (monitor && record.valLoss !== undefined) {
        if (monitor.update(epoch, record.valLoss))
          best = { input: weights.input.slice(), output: weights.output.slice() };
        if (monitor.wait >= options.earlyStopping!.patience) {
          stoppedEpoch = epoch;
          break;
        }
      }
    }
    const earlyStopping =
      monitor && this.finishEarlyStopping(monitor, best, weights, history.length, stoppedEpoch);
    if (earlyStopping) fit.onEarlyStopping?.(earlyStopping);

    // The epoch whose weights the model ends with.
    const kept = history.find((r) => r.epoch === earlyStopping?.bestEpoch) ?? history.at(-1);
    return new FastTextClassifier({
      labels,
      inputRows,
      weights,
      provenance: {
        options,
        training: {
          createdAt: new Date().toISOString(),
          seed,
          dataFingerprint: fingerprintExamples(dataset.train),
          examples: train.length,
          history: manifestHistory(history),
          ...(earlyStopping ? { earlyStopping: { ...earlyStopping } } : {}),
        },
        metrics:
          kept?.valLoss !== undefined && kept.valAccuracy !== undefined
            ? { valLoss: kept.valLoss, valAccuracy: kept.valAccuracy }
            : undefined,
      },
    });
  }

  /** Puts the best epoch's weights back when a later epoch's are there, and says what was done. */
  private finishEarlyStopping(
    monitor: ValidationMonitor,
    best: { input: Float32Array; output: Float32Array } | null,
    weights: FastTextWeights,
    lastEpoch: number,
    stoppedEpoch: number | null,
  ): EarlyStoppingReport {
    const restored = best !== null && monitor.bestEpoch !== lastEpoch;
    if (restored) {
      weights.input.set(best.input);
      weights.output.set(best.output);
    }
    return {
      patience: this.options.earlyStopping!.patience,
      minDelta: monitor.minDelta,
      bestEpoch: monitor.bestEpoch,
      bestValLoss: monitor.bestLoss,
      stoppedEpoch,
      restored,
    };
  }
}

function labelIndices(examples: readonly Example[], labels: readonly string[]): Int32Array {
  const index = new Map(labels.map((label, i) => [label, i]));
  return Int32Array.from(examples, (e) => {
    const i = index.get(e.label);
    if (i === undefined)
      throw new OptionError(`training example label "${e.label}" is not in the dataset's labels`);
    return i;
  });
}

/** Cross-entropy and accuracy of the current weights on held-out texts. */
function heldOutMetrics(
  weights: FastTextWeights,
  packed: PackedRows,
  y: Int32Array,
): { valLoss: number; valAccuracy: number } {
  const hidden = new Float64Array(weights.dim);
  const p = new Float64Array(weights.labels);
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    averageRows(weights, packed.rows, packed.offsets[i], packed.offsets[i + 1], hidden);
    scoreHidden(weights, hidden, p);
    softmax(p, p);
    loss -= Math.log(Math.max(p[y[i]], MIN_PROBABILITY));
    if (argmax(p) === y[i]) correct++;
  }
  return { valLoss: loss / y.length, valAccuracy: correct / y.length };
}

/** Lets timers and I/O run between long synchronous stretches; costs microseconds. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
