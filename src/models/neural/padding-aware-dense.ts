import * as tf from '../../engine/tf.js';
import { paddedMatMul, type PaddingMask } from './padded-matmul.js';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** How a network's features look at padding, for {@link PaddingAwareDense}. */
export interface PaddingFeatures {
  /** Positions and features per position of the Dense layer's (flattened) input. */
  readonly positions: number;
  readonly features: number;
  /** Positions per chunk of the padded product (a divisor of `positions`). */
  readonly chunk: number;
  /** Which positions of a batch of ids (row-major, `width` ids a review) hold the padding features. */
  mask(ids: Int32Array, batch: number, width: number): PaddingMask;
  /** The features at a padding position, computed from the network's variables (differentiable). */
  padValue(): tf.Tensor1D;
}

/**
 * A built `Dense(units, relu)` layer over flattened per-position features, applied with
 * {@link paddedMatMul}: same kernel and bias (the very variables of `dense`, which this layer
 * reports as its trainable weights), same function, without the work on padding. It takes
 * `[ids, features]` and is used only in the training twin of a network (training-twin.ts); the
 * saved network keeps its plain Flatten and Dense layers.
 */
export class PaddingAwareDense extends tf.layers.Layer {
  static className = 'PolarityPaddingAwareDense';
  private readonly kernel: tf.LayerVariable;
  private readonly bias: tf.LayerVariable;

  constructor(
    private readonly dense: tf.layers.Layer,
    private readonly padding: PaddingFeatures,
  ) {
    super({ name: `${dense.name}_padding_aware` });
    const activation = (dense.getConfig() as { activation?: unknown }).activation;
    const [kernel, bias] = dense.weights;
    if (
      activation !== 'relu' ||
      !kernel ||
      !bias ||
      kernel.shape[0] !== padding.positions * padding.features
    ) {
      throw new Error(`PaddingAwareDense: "${dense.name}" is not a built relu Dense over the features`);
    }
    this.kernel = kernel;
    this.bias = bias;
    // The twin model trains the plain Dense layer's own variables.
    this._trainableWeights = [kernel, bias];
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    return [shapes[0][0], this.kernel.shape[1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const [ids, features] = inputs as tf.Tensor[];
    const [batch, width] = ids.shape as [number, number];
    const mask = this.padding.mask(ids.dataSync() as Int32Array, batch, width);
    return tf.tidy(() => {
      const x = tf.reshape(features, [batch, this.padding.positions * this.padding.features]) as tf.Tensor2D;
      const w = this.kernel.read() as tf.Tensor2D;
      const product = paddedMatMul(x, this.padding.padValue(), w, mask, this.padding.chunk);
      return tf.relu(tf.add(product, this.bias.read()));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), dense: this.dense.name };
  }
}
