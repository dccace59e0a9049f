import * as tf from '../../engine/tf.js';
import { fingerprintExamples } from '../../data/fingerprint.js';
import type { Dataset, Example } from '../../data/types.js';
import { OptionError } from '../../errors.js';
import {
  DEFAULT_SEED,
  type EarlyStoppingReport,
  type EpochRecord,
  type FitOptions,
  type Trainer,
} from '../classifier.js';
import { manifestHistory } from '../history.js';
import { lossFor, setEmbeddingMatrix } from './layers.js';
import { NeuralClassifier, modelProbabilities, type NeuralProvenance } from './neural-classifier.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { architecture, hyperParametersFor } from './registry.js';
import { SequenceEncoder, type EncodedBatch } from '../../text/sequences/encoder.js';
import { removeLongSequences } from '../../text/sequences/pad.js';
import { tokenize } from '../../text/sequences/tokenize.js';
import { Random } from '../../util/random.js';
import { checkEmbeddingsFile, embeddingsRecord, readEmbeddings } from './pretrained-embeddings.js';
import {
  checkClassWeightLabels,
  classWeightRecord,
  resolveClassWeights,
  validateClassWeight,
} from '../../fit/class-weight.js';
import { ValidationMonitor, validateEarlyStopping } from '../../fit/early-stopping.js';
import { EarlyStopping } from './early-stopping.js';
import { createOptimizer, setLearningRate } from './optimizers.js';
import { learningRateAt } from '../../fit/learning-rate-schedule.js';
import { bucketByLength } from './length-buckets.js';
import { splitForValidation } from '../../fit/validation-split.js';
import { classWeightedLoss } from './weighted-loss.js';
import { trainingTwin } from './training-twin.js';
import type { NeuralTrainerOptions } from './neural-trainer-options.js';

export type { NeuralTrainerOptions } from './neural-trainer-options.js';

/** Kept here too: the library exported it from this module first. */
export { DEFAULT_SEED };

/** Trains the tutorial's neural models on a dataset's training split. */
export class NeuralTrainer implements Trainer {
  readonly hyperParameters: NeuralHyperParameters;

  constructor(readonly options: NeuralTrainerOptions) {
    this.hyperParameters = hyperParametersFor(options.model, options.hyperParameters);
    if (options.earlyStopping) {
      validateEarlyStopping(options.earlyStopping);
      if (this.hyperParameters.validationSplit === 0) {
        throw new OptionError(
          'early stopping watches the validation loss, so it needs a validation split (validationSplit > 0)',
        );
      }
    }
    if (options.classWeight !== undefined) validateClassWeight(options.classWeight);
  }

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<NeuralClassifier> {
    const params = this.hyperParameters;
    const seed = fit.seed ?? DEFAULT_SEED;
    const embeddings = this.options.embeddings;
    if (embeddings) {
      const dim = await checkEmbeddingsFile(embeddings, this.options.hyperParameters?.embeddingDim);
      // The file's dimension replaces embeddingDim: the network must still fit under the size ceilings.
      hyperParametersFor(this.options.model, { ...params, embeddingDim: dim });
    }
    const random = new Random(seed);
    const labels = [...dataset.labels];
    checkClassWeightLabels(this.options.classWeight, labels);
    const { train, validation } = splitForValidation(dataset.train, params.validationSplit, random);

    const tokenized = tokenizeAll(train, fit);
    const encoder = SequenceEncoder.fit(
      tokenized,
      { ...this.options.vocabulary, numWords: params.numWords },
      { maxLen: params.maxLen, padding: this.options.padding, truncating: this.options.truncating },
    );
    let sequences = tokenized.map((tokens) => encoder.vocabulary.encode(tokens));
    let kept = train;
    if (this.options.dropLonger) {
      const { indices } = removeLongSequences(sequences, params.maxLen);
      sequences = indices.map((i) => sequences[i]);
      kept = indices.map((i) => train[i]);
    }
    const x = encoder.pad(sequences);
    const y = labelIndices(kept, labels);
    const validationSet =
      validation.length > 0
        ? { x: encoder.encode(validation.map((e) => e.text)), y: labelIndices(validation, labels) }
        : undefined;

    const pretrained =
      embeddings &&
      (await readEmbeddings(embeddings, encoder.vocabulary, tokenized, random.derive(), fit.onProgress));
    const embeddingsInfo = pretrained && embeddingsRecord(pretrained, embeddings.freeze ?? false);
    if (embeddingsInfo) fit.onEmbeddings?.(embeddingsInfo);
    const modelParams = pretrained ? { ...params, embeddingDim: pretrained.dim } : params;

    const classWeights = resolveClassWeights(this.options.classWeight, labels, y);
    const model = architecture(this.options.model).build(modelParams, labels.length, random.derive());
    if (pretrained) setEmbeddingMatrix(model, pretrained.matrix, !embeddings.freeze);
    const loss = classWeights ? classWeightedLoss(classWeights) : lossFor(labels.length);
    model.compile({
      optimizer: createOptimizer(params.optimizer, params.learningRate),
      loss,
      metrics: ['accuracy'],
    });
    // The steps may train the same variables through a twin that skips the padding (see skipPadding).
    const twin = this.options.skipPadding
      ? trainingTwin(this.options.model, model, modelParams.maxLen)
      : undefined;
    twin?.compile({ optimizer: model.optimizer, loss, metrics: ['accuracy'] });

    const dataFingerprint = fingerprintExamples(dataset.train);
    /** What the manifest records of a model holding the weights after `history`. */
    const provenance = (
      history: readonly EpochRecord[],
      earlyStopping?: EarlyStoppingReport,
    ): NeuralProvenance => ({
      hyperParameters: modelParams,
      training: {
        createdAt: new Date().toISOString(),
        seed,
        backend: tf.getBackend(),
        dataFingerprint,
        examples: kept.length,
        bucketByLength: bucketed,
        history: manifestHistory(history),
        ...(embeddingsInfo && { embeddings: embeddingsInfo }),
        ...(earlyStopping ? { earlyStopping: { ...earlyStopping } } : {}),
        ...(classWeights ? { classWeights: classWeightRecord(labels, classWeights) } : {}),
      },
      metrics: validationOf(history, earlyStopping?.bestEpoch),
    });

    const earlyStopping = this.options.earlyStopping && new EarlyStopping(this.options.earlyStopping);
    /** Without early stopping, still tells which epoch is the best so far, for checkpoints. */
    const bestSoFar = new ValidationMonitor();
    const checkpointDir = this.options.checkpointDir;
    const history: EpochRecord[] = [];
    let order = Array.from({ length: y.length }, (_, i) => i);
    const bucketed = this.options.bucketByLength ?? architecture(this.options.model).bucketByLength === true;
    const lengths = Int32Array.from(sequences, (s) => Math.min(s.length, params.maxLen));
    const batchesPerEpoch = Math.ceil(y.length / params.batchSize);
    const totalSteps = batchesPerEpoch * params.epochs;
    const optimizer = model.optimizer;
    /** Sets the step size of gradient step `step` (0-based over all epochs) before it is taken. */
    const beforeStep = (step: number): void =>
      setLearningRate(
        optimizer,
        learningRateAt(params.learningRateSchedule, params.learningRate, step, totalSteps),
      );
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      random.shuffle(order);
      if (bucketed) order = bucketByLength(order, lengths, params.batchSize, random);
      fit.onEpochBegin?.(epoch, params.epochs, order.length);
      const started = performance.now();
      const firstStep = (epoch - 1) * batchesPerEpoch;
      const metrics = await trainEpoch(
        twin ?? model,
        x,
        y,
        order,
        params.batchSize,
        labels.length,
        (b) => beforeStep(firstStep + b),
        (b, n, logs) => fit.onBatchEnd?.(epoch, b, n, logs),
      );
      const record: EpochRecord = {
        epoch,
        ...metrics,
        ...(validationSet ? await validationMetrics(model, validationSet, labels.length) : {}),
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      fit.onEpochEnd?.(record);

      // Whether this epoch is the best so far (every epoch is, without validation) and whether to stop.
      const valLoss = record.valLoss;
      const decision =
        valLoss === undefined
          ? { improved: true, stop: false }
          : earlyStopping
            ? earlyStopping.update(epoch, valLoss, model)
            : { improved: bestSoFar.update(epoch, valLoss), stop: false };
      if (checkpointDir !== undefined && decision.improved) {
        const snapshot = new NeuralClassifier(
          this.options.model,
          labels,
          encoder,
          model,
          provenance(history),
        );
        await snapshot.save(checkpointDir);
        fit.onCheckpoint?.(epoch, checkpointDir);
      }
      if (decision.stop) break;
    }

    const report = earlyStopping?.finish(model);
    if (report) fit.onEarlyStopping?.(report);
    return new NeuralClassifier(this.options.model, labels, encoder, model, provenance(history, report));
  }
}

/** One pass over `order` in batches; the mean loss and accuracy over the epoch's examples. */
async function trainEpoch(
  model: tf.LayersModel,
  x: EncodedBatch,
  y: Int32Array,
  order: readonly number[],
  batchSize: number,
  numLabels: number,
  /** Called with the 0-based batch index before its gradient step (sets the step size). */
  onBatchBegin: (batch: number) => void,
  onBatchEnd: (batch: number, batches: number, logs: { loss: number; accuracy: number }) => void,
): Promise<{ loss: number; accuracy: number }> {
  const batches = Math.ceil(order.length / batchSize);
  let lossSum = 0;
  let accuracySum = 0;
  let seen = 0;
  for (let b = 0; b < batches; b++) {
    const rows = order.slice(b * batchSize, (b + 1) * batchSize);
    const [xs, ys] = gatherBatch(x, y, rows, numLabels);
    onBatchBegin(b);
    const result = (await model.trainOnBatch(xs, ys)) as number[];
    xs.dispose();
    ys.dispose();
    lossSum += result[0] * rows.length;
    accuracySum += result[1] * rows.length;
    seen += rows.length;
    onBatchEnd(b + 1, batches, { loss: lossSum / seen, accuracy: accuracySum / seen });
  }
  return { loss: lossSum / seen, accuracy: accuracySum / seen };
}

function tokenizeAll(examples: readonly Example[], fit: FitOptions): string[][] {
  const out: string[][] = new Array(examples.length);
  for (let i = 0; i < examples.length; i++) {
    out[i] = tokenize(examples[i].text);
    if ((i + 1) % 5000 === 0 || i + 1 === examples.length) {
      fit.onProgress?.({ task: 'tokenizing', done: i + 1, total: examples.length, unit: 'reviews' });
    }
  }
  return out;
}

function labelIndices(examples: readonly Example[], labels: readonly string[]): Int32Array {
  const index = new Map(labels.map((label, i) => [label, i]));
  return Int32Array.from(examples, (e) => {
    const i = index.get(e.label);
    if (i === undefined) throw new Error(`label "${e.label}" is not one of ${labels.join(', ')}`);
    return i;
  });
}

/** Copies the chosen rows into a batch: ids, and targets shaped for the model's head. */
function gatherBatch(
  x: EncodedBatch,
  y: Int32Array,
  rows: readonly number[],
  numLabels: number,
): [tf.Tensor, tf.Tensor] {
  const width = x.shape[1];
  const ids = new Int32Array(rows.length * width);
  rows.forEach((row, i) => ids.set(x.data.subarray(row * width, (row + 1) * width), i * width));
  const xs = tf.tensor2d(ids, [rows.length, width], 'int32');
  if (numLabels === 2)
    return [
      xs,
      tf.tensor2d(
        Float32Array.from(rows, (r) => y[r]),
        [rows.length, 1],
      ),
    ];
  const oneHot = new Float32Array(rows.length * numLabels);
  rows.forEach((row, i) => (oneHot[i * numLabels + y[row]] = 1));
  return [xs, tf.tensor2d(oneHot, [rows.length, numLabels])];
}

/** Validation loss (cross-entropy, clipped as Keras clips) and accuracy. */
async function validationMetrics(
  model: tf.LayersModel,
  set: { x: EncodedBatch; y: Int32Array },
  numLabels: number,
): Promise<{ valLoss: number; valAccuracy: number }> {
  const epsilon = 1e-7;
  const rowsPerPass = 512;
  const width = set.x.shape[1];
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < set.y.length; start += rowsPerPass) {
    const end = Math.min(start + rowsPerPass, set.y.length);
    const batch: EncodedBatch = {
      data: set.x.data.subarray(start * width, end * width),
      shape: [end - start, width],
    };
    const p = await modelProbabilities(model, batch, numLabels);
    for (let i = 0; i < end - start; i++) {
      const truth = set.y[start + i];
      loss -= Math.log(Math.min(Math.max(p[i * numLabels + truth], epsilon), 1 - epsilon));
      let best = 0;
      for (let k = 1; k < numLabels; k++) if (p[i * numLabels + k] > p[i * numLabels + best]) best = k;
      if (best === truth) correct++;
    }
  }
  return { valLoss: loss / set.y.length, valAccuracy: correct / set.y.length };
}

/** The validation metrics of the epoch whose weights the model holds: the best one, or else the last. */
function validationOf(
  history: readonly EpochRecord[],
  bestEpoch?: number,
): Record<string, number> | undefined {
  const record = history.find((r) => r.epoch === bestEpoch) ?? history.at(-1);
  if (record?.valAccuracy === undefined || record.valLoss === undefined) return undefined;
  return { valAccuracy: record.valAccuracy, valLoss: record.valLoss };
}
