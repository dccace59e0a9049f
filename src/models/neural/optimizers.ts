import * as tf from '../../engine/tf.js';
import { adam } from '../../engine/index.js';
import type { NeuralOptimizer } from './neural-config.js';

/**
 * The optimizer a neural model trains with. Adam is our `FastAdamOptimizer` (TF.js's Adam with
 * the wasm update fused into one kernel); SGD and RMSprop are TF.js's own, with Keras's defaults
 * for everything but the learning rate (SGD without momentum; RMSprop with ρ = 0.9, ε = 1e-7).
 */
export function createOptimizer(name: NeuralOptimizer, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
  }
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
