import type * as tf from '@tensorflow/tfjs';
import type { LearningRateSchedule } from '../models/neural/neural-config.js';

/**
 * The step size of gradient step `step` (0-based) out of `totalSteps`: the base rate throughout
 * ('constant'), or falling in a straight line from the base rate towards 0 ('linear', as fastText's
 * SGD and the "linear decay" of BERT-style training). With a linear schedule the last steps move
 * the weights least, so the model that training ends with no longer depends on which batches
 * happened to come last: the constant rate left cnn-global's last epoch leaning to one label on
 * one seed of three (see the README).
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  baseRate: number,
  step: number,
  totalSteps: number,
): number {
  if (schedule === 'constant') return baseRate;
  // Never exactly 0: the last step still learns a little, as fastText's does.
  return baseRate * (1 - Math.min(step, totalSteps - 1) / totalSteps);
}

/** The optimizers' step-size field: plain and read on every update by Adam and RMSprop. */
interface WithLearningRate {
  learningRate: number;
  setLearningRate?: (rate: number) => void;
}

/**
 * Changes an optimizer's step size for its next updates. SGD keeps the rate as a tensor and has
 * its own setter; TF.js's (and our fused) Adam and RMSprop read the field on every update.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const target = optimizer as unknown as WithLearningRate;
  if (target.learningRate === rate) return;
  if (typeof target.setLearningRate === 'function') target.setLearningRate(rate);
  else target.learningRate = rate;
}
