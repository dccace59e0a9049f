import * as tf from '../../engine/tf.js';
import {
  ValidationMonitor,
  validateEarlyStopping,
  type EarlyStoppingOptions,
} from '../../fit/early-stopping.js';
import type { EarlyStoppingReport } from '../classifier.js';

/** What a model must offer for its best weights to be kept and put back: TF.js Layers models do. */
export interface WeightHolder {
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
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
