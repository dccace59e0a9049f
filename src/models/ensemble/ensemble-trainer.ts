import { fingerprintExamples } from '../../data/fingerprint.js';
import type { Dataset } from '../../data/types.js';
import { OptionError } from '../../errors.js';
import { DEFAULT_SEED, type Classifier, type FitOptions, type Trainer } from '../classifier.js';
import { EnsembleClassifier, type EnsembleWeighting } from './ensemble.js';
import { Random } from '../../util/random.js';
import { learnEnsembleWeights, type WeightSearchResult } from './ensemble-weights.js';
import { splitForValidation } from '../../fit/validation-split.js';
import { DEFAULT_ENSEMBLE_VALIDATION_SPLIT, DEFAULT_WEIGHT_FOLDS } from './ensemble-defaults.js';
import { checkValue } from '../options.js';
import { ENSEMBLE_VALUES } from './option-declarations.js';
import { outOfFoldProbabilities, probabilityRows } from './out-of-fold.js';

/**
 * A member to train afresh, or one already trained (used as it is in the ensemble); `trainer`
 * then trains one like it again, which cross-fitted weights need (see `trainerOfSaved`).
 */
export type EnsembleMember =
  | { readonly name: string; readonly trainer: Trainer }
  | { readonly classifier: Classifier; readonly name?: string; readonly trainer?: Trainer };

/** An ensemble's trainer options: its members and how its weights are learnt. */
export interface EnsembleTrainerOptions {
  readonly members: readonly EnsembleMember[];
  /**
   * Folds of the out-of-fold predictions the weights are learnt on (default 5); 0 learns them on a
   * held-out slice of `validationSplit` instead, which saved members may have seen.
   */
  readonly weightFolds?: number;
  /** With `weightFolds` 0: fraction of the training split the weights are learnt on. Default 0.1. */
  readonly validationSplit?: number;
  /**
   * With `weightFolds` 0: train fresh members again on the whole training split once the weights
   * are known (default true), so that the final members lose no training data.
   */
  readonly refit?: boolean;
  /** Weight grid step. Default 0.05. */
  readonly step?: number;
}

/**
 * Trains an ensemble. By default its weights minimise the log loss of out-of-fold predictions
 * (every member, fresh or saved, trained on k-1 folds predicts the k-th: `out-of-fold.ts`); the
 * ensemble then holds fresh members trained on the whole training split and saved members as they
 * are. With `weightFolds` 0, as before cross-fitting: fresh members are trained without a
 * validation slice, the weights learnt on it, then the members trained again on the whole split;
 * saved members may have seen the slice, which makes their weight optimistic.
 */
export class EnsembleTrainer implements Trainer {
  constructor(readonly options: EnsembleTrainerOptions) {
    if (options.members.length < 2) throw new OptionError('an ensemble needs at least two members');
    checkValue(
      'ensemble validationSplit',
      ENSEMBLE_VALUES.validationSplit,
      options.validationSplit ?? DEFAULT_ENSEMBLE_VALIDATION_SPLIT,
    );
    checkValue('ensemble weightFolds', ENSEMBLE_VALUES.weightFolds, this.folds);
    if (this.folds > 0) {
      const untrainable = options.members.findIndex((m) => 'classifier' in m && m.trainer === undefined);
      if (untrainable >= 0) {
        throw new OptionError(
          `ensemble member ${untrainable + 1} is a trained model without a trainer to train it again on each fold: give one, or weightFolds 0`,
        );
      }
    }
  }

  private get folds(): number {
    return this.options.weightFolds ?? DEFAULT_WEIGHT_FOLDS;
  }

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<EnsembleClassifier> {
    const seed = fit.seed ?? DEFAULT_SEED;
    const fitted =
      this.folds > 0 ? await this.crossFitted(dataset, fit, seed) : await this.heldOut(dataset, fit, seed);
    return new EnsembleClassifier(
      fitted.members,
      fitted.search.weights,
      {
        createdAt: new Date().toISOString(),
        seed,
        dataFingerprint: fingerprintExamples(dataset.train),
        examples: dataset.train.length,
      },
      fitted.metrics,
      fitted.weighting,
    );
  }

  private async crossFitted(dataset: Dataset, fit: FitOptions, seed: number): Promise<Fitted> {
    const folds = this.folds;
    const members = this.options.members.map((m, i) => ({
      name: m.name ?? `member ${i + 1}`,
      trainer: m.trainer!,
    }));
    const probabilities = await outOfFoldProbabilities(members, dataset, folds, seed, fit);
    const labels = [...dataset.labels];
    const truth = Int32Array.from(dataset.train, (e) => labels.indexOf(e.label));
    const search = learnEnsembleWeights(probabilities, truth, labels.length, this.options.step);
    const final = await this.finalMembers(dataset, fit, '(full training split)');
    return {
      members: final,
      search,
      metrics: { oofAccuracy: search.accuracy, oofLogLoss: search.logLoss },
      weighting: { method: 'out-of-fold', folds, seed, examples: dataset.train.length },
    };
  }

  private async heldOut(dataset: Dataset, fit: FitOptions, seed: number): Promise<Fitted> {
    const validationSplit = this.options.validationSplit ?? DEFAULT_ENSEMBLE_VALIDATION_SPLIT;
    const { train, validation } = splitForValidation(dataset.train, validationSplit, new Random(seed));
    const labels = [...dataset.labels];
    const firstPass = await this.finalMembers({ ...dataset, train }, fit, '(weights pass)');
    let search: WeightSearchResult;
    try {
      const truth = Int32Array.from(validation, (e) => labels.indexOf(e.label));
      const probabilities = await Promise.all(firstPass.map((m) => probabilityRows(m, validation, labels)));
      search = learnEnsembleWeights(probabilities, truth, labels.length, this.options.step);
    } catch (error) {
      this.disposeFresh(firstPass);
      throw error;
    }
    let members = firstPass;
    if (this.options.refit ?? true) {
      this.disposeFresh(firstPass);
      members = await this.finalMembers(dataset, fit, '(full training split)');
    }
    return {
      members,
      search,
      metrics: { valAccuracy: search.accuracy, valLogLoss: search.logLoss },
      weighting: { method: 'held-out', validationSplit, seed, examples: validation.length },
    };
  }

  /** Fresh members trained on `dataset`, saved ones as they are; on failure, nothing left undisposed. */
  private async finalMembers(dataset: Dataset, fit: FitOptions, pass: string): Promise<Classifier[]> {
    const members: Classifier[] = [];
    try {
      for (const member of this.options.members) {
        if ('classifier' in member) {
          members.push(member.classifier);
        } else {
          fit.onProgress?.({ task: `training ${member.name} ${pass}`, done: 0 });
          members.push(await member.trainer.fit(dataset, fit));
        }
      }
      return members;
    } catch (error) {
      this.disposeFresh(members);
      throw error;
    }
  }

  /** Disposes of the members this trainer trained, never of the saved ones it was given. */
  private disposeFresh(members: readonly Classifier[]): void {
    members.forEach((m, i) => {
      if (!('classifier' in this.options.members[i])) m.dispose();
    });
  }
}

interface Fitted {
  readonly members: Classifier[];
  readonly search: WeightSearchResult;
  readonly metrics: Readonly<Record<string, number>>;
  readonly weighting: EnsembleWeighting;
}
