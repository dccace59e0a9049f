import * as tf from '../../engine/tf.js';
import { tensorOf, valuesOf } from '../../engine/tensor-io.js';
import { ScratchArray } from '../../engine/scratch-array.js';

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
    const states = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    const mask = Array.isArray(kwargs?.mask) ? kwargs.mask[0] : kwargs?.mask;
    return maskedMaxOverTime(states, mask ?? undefined);
  }
}

/**
 * Each feature's maximum over the real steps of `[batch, time, features]` states, `[batch,
 * features]`; the gradient goes to the step that won (the first, on a tie).
 *
 * Why a typed-array loop: as tensor operations this is a `where` against a tensor of −∞, then a max
 * over the middle axis, which the wasm backend computes by transposing; on bilstm's states (256
 * reviews × 500 steps × 128 features) those took most of a prediction, far more than the
 * recurrence itself. Here it is one pass over the states, and the gradient one scatter.
 */
export function maskedMaxOverTime(states: tf.Tensor3D, mask?: tf.Tensor): tf.Tensor2D {
  const [batch, time, features] = states.shape;
  const real = mask === undefined ? undefined : mask.dataSync();
  const pool = (x: Float32Array | Int32Array | Uint8Array) => {
    const pooled = new Float32Array(batch * features);
    const winner = new Int32Array(batch * features).fill(-1);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < time; t++) {
        if (real !== undefined && !real[b * time + t]) continue;
        const from = (b * time + t) * features;
        for (let f = 0, o = b * features; f < features; f++, o++) {
          const value = x[from + f];
          if (winner[o] < 0 || value > pooled[o]) {
            pooled[o] = value;
            winner[o] = t;
          }
        }
      }
    }
    return { pooled, winner };
  };
  // The states are read in place on the wasm backend (valuesOf), not copied into a fresh array.
  if (!tf.engine().isTapeOn()) return tf.tensor2d(pool(valuesOf(states)).pooled, [batch, features]);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor3D;
    const { pooled, winner } = pool(valuesOf(x));
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const upstream = dy.dataSync();
      const dx = gradientScratch.zeroed(batch * time * features);
      for (let b = 0; b < batch; b++) {
        for (let f = 0, o = b * features; f < features; f++, o++) {
          if (winner[o] >= 0) dx[(b * time + winner[o]) * features + f] = upstream[o];
        }
      }
      return tensorOf<tf.Rank.R3>(dx, [batch, time, features]);
    };
    return { value: tf.tensor2d(pooled, [batch, features]), gradFunc };
  });
  return op(states) as tf.Tensor2D;
}

/** Where the gradient is written before it becomes a tensor. */
const gradientScratch = new ScratchArray();

tf.serialization.registerClass(MaskedGlobalMaxPooling1D);
