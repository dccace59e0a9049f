import * as tf from '../../engine/tf.js';
import { Random } from '../../util/random.js';

type DropoutLayer = ReturnType<typeof tf.layers.dropout>;
type Kwargs = Parameters<DropoutLayer['call']>[1];

// TF.js exports the factory but not the class, which is what we extend.
const DropoutBase = tf.layers.dropout({ rate: 0 }).constructor as {
  new (args: { rate: number; seed?: number; name?: string }): DropoutLayer;
  className: string;
};

/**
 * Dropout whose masks follow a seed: same seed, same masks, a new mask every step.
 *
 * Why: TF.js's Dropout either draws from `Math.random` (no seed: runs cannot be repeated) or, with
 * a seed, re-seeds its generator on every call, so that every training step drops the same units.
 * This layer draws a fresh seed for each training call from its own generator. It saves as a plain
 * `Dropout` (same class name and configuration), which is right at inference, where dropout does
 * nothing.
 */
export class SeededDropout extends DropoutBase {
  static override className = 'Dropout';
  private readonly random: Random;

  constructor(
    private readonly dropRate: number,
    seed: number,
    name: string,
    /**
     * Whether a `[batch, steps, features]` input loses whole features of a review (the same at
     * every step, as Keras's SpatialDropout1D) rather than single values.
     */
    private readonly wholeReview = false,
  ) {
    super({ rate: dropRate, seed, name });
    this.random = new Random(seed);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs?.training !== true || this.dropRate === 0) return input;
    const [batch, , features] = input.shape;
    const noiseShape = this.wholeReview ? [batch, 1, features] : undefined;
    return tf.tidy(() => tf.dropout(input, this.dropRate, noiseShape, this.random.derive()));
  }
}
