import { fingerprintExamples } from '../../data/fingerprint.js';
import type { Dataset, Example } from '../../data/types.js';
import { OptionError } from '../../errors.js';
import { DEFAULT_SEED, type Classifier, type FitOptions, type Trainer } from '../classifier.js';
import { EnsembleClassifier } from './ensemble.js';
import { Random } from '../../util/random.js';
import { learnEnsembleWeights } from './ensemble-weights.js';
import { splitForValidation } from '../../fit/validation-split.js';
import { DEFAULT_ENSEMBLE_VALIDATION_SPLIT } from './ensemble-defaults.js';
import { checkValue } from '../options.js';
import { ENSEMBLE_VALUES } from './option-declarations.js';

/** A member to train afresh, or one already trained (and then only used to learn the weights). */
export type EnsembleMember =
  { readonly name: string; readonly trainer: Trainer } | { readonly classifier: Classifier };

/** An ensemble's trainer options: its members and the slice its weights are learnt on. */
export interface EnsembleTrainerOptions {
  readonly members: readonly EnsembleMember[];
  /** Fraction of the training split on which the weights are learnt (never the test split). Default 0.1. */
  readonly validationSplit?: number;
  /**
   * Train fresh members again on the whole training split once the weights are known (default
   * true): the weights come from members that never saw the validation slice, and the final
   * members lose no training data.
   */
  readonly refit?: boolean;
  /** Weight grid step. Default 0.05. */
  readonly step?: number;
}

/**
 * Trains an ensemble: fresh members on the training split minus a validation slice, weights that
 * minimise log loss on that slice, then (by default) fresh members again on the whole split.
 * Already-trained members may have seen the slice, which makes their weight optimistic; the
 * README says so.
 */
export class EnsembleTrainer implements Trainer {
  constructor(readonly options: EnsembleTrainerOptions) {
    if (options.members.length < 2) throw new OptionError('an ensemble needs at least two members');
    checkValue(
      'ensemble validationSplit',
      ENSEMBLE_VALUES.validationSplit,
      options.validationSplit ?? DEFAULT_ENSEMBLE_VALIDATION_SPLIT,
    );
  }

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<EnsembleClassifier> {
    const seed = fit.seed ?? DEFAULT_SEED;
    const { train, validation } = splitForValidation(
      dataset.train,
      this.options.validationSplit ?? DEFAULT_ENSEMBLE_VALIDATION_SPLIT,
      new Random(seed),
    );
    const core: Dataset = { ...dataset, train };
    const labels = [...dataset.labels];

    const firstPass: Classifier[] = [];
    const disposed = new Set<number>();
    try {
      for (const member of this.options.members) {
        if ('classifier' in member) {
          firstPass.push(member.classifier);
        } else {
          fit.onProgress?.({ task: `training ${member.name} (weights pass)`, done: 0 });
          firstPass.push(await member.trainer.fit(core, fit));
        }
      }
      const truth = Int32Array.from(validation, (e) => labels.indexOf(e.label));
      const probabilities = await Promise.all(firstPass.map((m) => probabilityRows(m, validation, labels)));
      const search = learnEnsembleWeights(probabilities, truth, labels.length, this.options.step);

      let members = firstPass;
      if (this.options.refit ?? true) {
        members = [];
        for (const [i, member] of this.options.members.entries()) {
          if ('classifier' in member) {
            members.push(member.classifier);
          } else {
            firstPass[i].dispose();
            disposed.add(i);
            fit.onProgress?.({ task: `training ${member.name} (full training split)`, done: 0 });
            members.push(await member.trainer.fit(dataset, fit));
          }
        }
      }
      return new EnsembleClassifier(
        members,
        search.weights,
        {
          createdAt: new Date().toISOString(),
          seed,
          dataFingerprint: fingerprintExamples(dataset.train),
          examples: dataset.train.length,
        },
        { valAccuracy: search.accuracy, valLogLoss: search.logLoss },
      );
    } catch (error) {
      firstPass.forEach((m, i) => {
        if (!disposed.has(i) && !this.options.members.some((s) => 'classifier' in s && s.classifier === m))
          m.dispose();
      });
      throw error;
    }
  }
}

async function probabilityRows(
  classifier: Classifier,
  examples: readonly Example[],
  labels: string[],
): Promise<Float64Array> {
  const predictions = await classifier.predict(examples.map((e) => e.text));
  const out = new Float64Array(examples.length * labels.length);
  predictions.forEach((p, i) =>
    labels.forEach((label, k) => (out[i * labels.length + k] = p.scores[label] ?? 0)),
  );
  return out;
}
