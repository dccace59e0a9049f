import * as tf from '../../engine/tf.js';

/** A Layers loss: per-example values from targets and outputs (TF.js averages them over the batch). */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Cross-entropy with each example scaled by its label's weight, as Keras applies `class_weight`:
 * the batch loss is Σ wᵢ·lossᵢ / batch size. TF.js's `trainOnBatch` takes no sample weights, but the
 * weight follows from the target alone, so it can live in the loss: for the one-sigmoid head the
 * target t ∈ {0, 1} gives w₀ + t·(w₁ − w₀); for a softmax head the one-hot row picks its weight.
 */
export function classWeightedLoss(weights: Float64Array): LossFunction {
  const numLabels = weights.length;
  return (yTrue, yPred) =>
    tf.tidy(() => {
      if (numLabels === 2) {
        const perExample = tf.metrics.binaryCrossentropy(yTrue, yPred);
        const t = tf.reshape(yTrue, perExample.shape);
        return tf.mul(perExample, tf.add(weights[0], tf.mul(t, weights[1] - weights[0])));
      }
      const perExample = tf.metrics.categoricalCrossentropy(yTrue, yPred);
      const w = tf.sum(tf.mul(yTrue, tf.tensor1d(Float32Array.from(weights))), -1);
      return tf.mul(perExample, w);
    });
}
