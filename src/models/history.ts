import { ModelFormatError } from '../errors.js';
import type { ModelManifest } from '../persist/manifest.js';
import type { EpochRecord } from './classifier.js';

/**
 * A training history in a model directory: the per-epoch records of any family trained in epochs
 * live in `polarity.json` as `training.history`, so that they are saved and checked with the rest
 * of the manifest and read back without loading the model.
 */
export function manifestHistory(records: readonly EpochRecord[]): Record<string, number>[] {
  return records.map((record) => ({ ...record }));
}

/**
 * The per-epoch records of a manifest's `training.history`, or undefined when it holds none (no
 * history, or records of another kind: the linear models keep one per solved problem). A loss
 * saved as null (it was not a finite number) comes back as NaN. A record that names an epoch but
 * lacks a metric is a ModelFormatError.
 */
export function epochHistory(training: ModelManifest['training'], file?: string): EpochRecord[] | undefined {
  const history = training.history;
  if (!Array.isArray(history) || !history.some((r) => typeof r === 'object' && r !== null && 'epoch' in r)) {
    return undefined;
  }
  return history.map((record, i) => {
    const fail = (what: string): never => {
      throw new ModelFormatError(`not a valid Polarity manifest: "training.history[${i}]" ${what}`, file);
    };
    if (typeof record !== 'object' || record === null) fail('should be an object');
    const optional = (key: keyof EpochRecord): number | undefined => {
      const v = record[key];
      if (v === undefined) return undefined;
      if (v === null) return Number.NaN;
      return typeof v === 'number' ? v : fail(`has a non-numeric "${key}"`);
    };
    const required = (key: keyof EpochRecord): number => optional(key) ?? fail(`lacks "${key}"`);
    const epoch = required('epoch');
    if (!Number.isInteger(epoch) || epoch < 1) fail('needs a positive integer "epoch"');
    const valLoss = optional('valLoss');
    const valAccuracy = optional('valAccuracy');
    return {
      epoch,
      loss: required('loss'),
      accuracy: required('accuracy'),
      ...(valLoss === undefined ? {} : { valLoss }),
      ...(valAccuracy === undefined ? {} : { valAccuracy }),
      seconds: required('seconds'),
    };
  });
}
