/**
 * What the fused recurrences share: the order in which they visit time steps, the padding mask,
 * and the one product per step that they leave to the backend.
 */
import * as tf from '../tf.js';

/** How a recurrence reads its sequence and what it returns (Keras `go_backwards`, `return_sequences`). */
export interface SequenceOptions {
  /** Read the sequence from its last step to its first. */
  readonly goBackwards: boolean;
  /** Return the output of every step, in the order they were read, instead of only the last. */
  readonly returnSequences: boolean;
  /**
   * Which steps are real, `[batch, time]` (non-zero = real), as an Embedding with `maskZero`
   * computes it. At a masked step the state is carried over unchanged (Keras semantics).
   */
  readonly mask?: tf.Tensor;
}

/** Sizes of a recurrence over `[batch, time, ...]`, and where it is at step `s`. */
export class StepPlan {
  /** `active[s]`: whether any row is unmasked at the s-th step read (all-padding steps are skipped). */
  readonly active: Uint8Array;

  private constructor(
    readonly batch: number,
    readonly time: number,
    readonly goBackwards: boolean,
    /** `[batch, time]`, 1 where a step is real; undefined when every step is. */
    readonly mask: Uint8Array | undefined,
  ) {
    this.active = new Uint8Array(time);
    for (let s = 0; s < time; s++) {
      const t = this.timeAt(s);
      let any = mask === undefined;
      for (let b = 0; !any && b < batch; b++) any = mask![b * time + t] !== 0;
      this.active[s] = any ? 1 : 0;
    }
  }

  static of(batch: number, time: number, options: SequenceOptions): StepPlan {
    if (options.mask !== undefined && !tf.util.arraysEqual(options.mask.shape, [batch, time])) {
      throw new Error(
        `recurrence: mask shape [${options.mask.shape.join(',')}] does not match [${batch},${time}]`,
      );
    }
    const mask =
      options.mask === undefined ? undefined : Uint8Array.from(options.mask.dataSync(), (v) => (v ? 1 : 0));
    return new StepPlan(batch, time, options.goBackwards, mask);
  }

  /** The time index of the s-th step read. */
  timeAt(s: number): number {
    return this.goBackwards ? this.time - 1 - s : s;
  }

  /** Whether row `b` is real at time `t`. */
  real(b: number, t: number): boolean {
    return this.mask === undefined || this.mask[b * this.time + t] !== 0;
  }
}

/**
 * `left · right` for a row-major `left` of `rows × right.shape[0]`, through the backend's matrix
 * product (XNNPACK on wasm): the per-step products are the only part of a recurrence that is not
 * element-wise, and the backend multiplies ~20× faster than a JavaScript loop.
 */
export function multiply(left: Float32Array, rows: number, right: tf.Tensor2D): Float32Array {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(left, [rows, right.shape[0]]), right));
  const values = product.dataSync() as Float32Array;
  product.dispose();
  return values;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Magnitude below which {@link flushTiny} sets values to zero: 2^-60 ≈ 8.7e-19, so that the product
 * of two values that survive is at least 2^-120, still a normal float32 (the smallest is 2^-126).
 */
export const TINY = 2 ** -60;

/**
 * `x`, or 0 when |x| < 2^-60.
 *
 * Why: x86 processors take a slow path (a microcode assist per operation) whenever an operand or
 * a result is a subnormal float32, and WebAssembly has no flush-to-zero mode. Gradients that fade
 * over hundreds of steps get that small, and so do the products of two small factors inside the
 * matrix products; measured: one 128×256 · 256×64 product took 63 ms with subnormal inputs instead
 * of 0.2 ms, and whole training steps of the LSTM ran about twice as long. A state or gradient
 * below 2^-60 changes nothing that float32 training can see (Adam's epsilon is 1e-7).
 */
export function flushTiny(x: number): number {
  return x > -TINY && x < TINY ? 0 : x;
}
