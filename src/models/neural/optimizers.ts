import * as tf from '@tensorflow/tfjs';
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
