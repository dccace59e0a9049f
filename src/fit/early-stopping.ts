import { OptionError } from '../errors.js';

/*
 * Early stopping's decisions, shared by every family trained in epochs (networks, fastText): which
 * epoch is best and when to stop. Plain TypeScript, so fastText training never loads TensorFlow.js;
 * keeping a network's best weights is models/neural/early-stopping.ts.
 */

/** Early stopping on the validation loss, as Keras's `EarlyStopping(monitor='val_loss')`. */
export interface EarlyStoppingOptions {
  /** Epochs in a row without an improvement after which training stops. */
  readonly patience: number;
  /** The least decrease of the validation loss that counts as an improvement (Keras `min_delta`). Default 0. */
  readonly minDelta?: number;
}

/** Rejects a patience or a minimum delta that cannot work, naming the option. */
export function validateEarlyStopping(options: EarlyStoppingOptions): Required<EarlyStoppingOptions> {
  const minDelta = options.minDelta ?? 0;
  if (!Number.isInteger(options.patience) || options.patience < 1) {
    throw new OptionError(`early stopping patience must be a positive integer, got ${options.patience}`);
  }
  if (!(minDelta >= 0) || !Number.isFinite(minDelta)) {
    throw new OptionError(`early stopping minDelta must be a non-negative number, got ${minDelta}`);
  }
  return { patience: options.patience, minDelta };
}

/**
 * The best epoch so far by validation loss: an epoch improves on it when its loss is lower by more
 * than `minDelta`. A NaN loss never improves. Used alone to decide when to write a checkpoint.
 */
export class ValidationMonitor {
  bestEpoch = 0;
  bestLoss = Number.POSITIVE_INFINITY;
  /** Epochs since the best one. */
  wait = 0;

  constructor(readonly minDelta = 0) {}

  /** Records an epoch's validation loss; true when it is the new best. */
  update(epoch: number, valLoss: number): boolean {
    if (valLoss < this.bestLoss - this.minDelta) {
      this.bestEpoch = epoch;
      this.bestLoss = valLoss;
      this.wait = 0;
      return true;
    }
    this.wait++;
    return false;
  }
}
