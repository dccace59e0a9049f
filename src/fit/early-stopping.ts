import * as tf from '@tensorflow/tfjs';
import { OptionError } from '../errors.js';
import type { EarlyStoppingReport } from '../models/classifier.js';

/** Early stopping on the validation loss, as Keras's `EarlyStopping(monitor='val_loss')`. */
export interface EarlyStoppingOptions {
  /** Epochs in a row without an improvement after which training stops. */
  readonly patience: number;
  /** The least decrease of the validation loss that counts as an improvement (Keras `min_delta`). Default 0. */
  readonly minDelta?: number;
}

/** What a model must offer for its best weights to be kept and put back: TF.js Layers models do. */
export interface WeightHolder {
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
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

/**
 * Stops training once the validation loss has not improved for `patience` epochs, keeping a copy of
 * the best epoch's weights (in JavaScript memory, not as tensors, so nothing can leak) and putting
 * them back at the end. Unlike Keras, which restores only when it stops early, the best weights
 * are also restored when the epochs run out after a worse last epoch: the model you get is always
 * the one with the lowest validation loss.
 */
export class EarlyStopping {
  readonly patience: number;
  readonly monitor: ValidationMonitor;
  private best: { values: Float32Array | Int32Array | Uint8Array; shape: number[]; dtype: tf.DataType }[] =
    [];
  private stoppedEpoch: number | null = null;
  private lastEpoch = 0;

  constructor(options: EarlyStoppingOptions) {
    const { patience, minDelta } = validateEarlyStopping(options);
    this.patience = patience;
    this.monitor = new ValidationMonitor(minDelta);
  }

  /** Call after each epoch: whether it was the best so far (its weights are then kept) and whether to stop now. */
  update(epoch: number, valLoss: number, model: WeightHolder): { improved: boolean; stop: boolean } {
    this.lastEpoch = epoch;
    const improved = this.monitor.update(epoch, valLoss);
    if (improved) {
      this.best = model.getWeights().map((w) => ({
        values: w.dataSync().slice(),
        shape: [...w.shape],
        dtype: w.dtype,
      }));
    }
    const stop = this.monitor.wait >= this.patience;
    if (stop) this.stoppedEpoch = epoch;
    return { improved, stop };
  }

  /** Puts the best epoch's weights back into `model` when a later epoch's are there, and reports. */
  finish(model: WeightHolder): EarlyStoppingReport {
    const restored = this.best.length > 0 && this.monitor.bestEpoch !== this.lastEpoch;
    if (restored) {
      const tensors = this.best.map((w) => tf.tensor(w.values, w.shape, w.dtype));
      model.setWeights(tensors);
      tf.dispose(tensors);
    }
    this.best = [];
    return {
      patience: this.patience,
      minDelta: this.monitor.minDelta,
      bestEpoch: this.monitor.bestEpoch,
      bestValLoss: this.monitor.bestLoss,
      stoppedEpoch: this.stoppedEpoch,
      restored,
    };
  }
}
