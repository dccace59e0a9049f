import * as tf from '@tensorflow/tfjs';

type Kwargs = { mask?: tf.Tensor | tf.Tensor[] | null } | undefined;

/**
 * The largest value of each feature over the steps of a sequence that are not padding: a recurrent
 * layer's states `[batch, time, features]` pooled to `[batch, features]`.
 *
 * Why not TF.js's GlobalMaxPooling1D: it does not accept a mask (a model with one after a masking
 * embedding fails to build), and without the mask the padded steps would take part. A masked step
 * repeats the state before it, or the zero initial state when padding comes first, so the pooled
 * value would depend on how much padding a review got. Here padded steps never win; a sequence with
 * no real step at all (an empty review) pools to zeros.
 */
export class MaskedGlobalMaxPooling1D extends tf.layers.Layer {
  static className = 'MaskedGlobalMaxPooling1D';

  constructor(args: { name?: string } = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], shape[2]];
  }

  /** The pooled output has no time axis left to mask (TF.js's types omit that a mask may be null). */
  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const states = Array.isArray(inputs) ? inputs[0] : inputs;
    const mask = Array.isArray(kwargs?.mask) ? kwargs.mask[0] : kwargs?.mask;
    return tf.tidy(() => {
      if (mask == null) return tf.max(states, 1);
      const real = tf.expandDims(tf.cast(mask, 'bool'), 2);
      const floor = tf.fill(states.shape, -Infinity);
      const pooled = tf.max(tf.where(tf.broadcastTo(real, states.shape), states, floor), 1);
      const anyReal = tf.broadcastTo(tf.any(real, 1), pooled.shape);
      return tf.where(anyReal, pooled, tf.zerosLike(pooled));
    });
  }
}

tf.serialization.registerClass(MaskedGlobalMaxPooling1D);
