/**
 * What the fused recurrences share: how they read their sequence, and the order in which they
 * visit time steps with the padding mask (the kernels get both as bytes, see kernel-memory.ts).
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
    let mask: Uint8Array | undefined;
    if (options.mask !== undefined) {
      // A plain loop: Uint8Array.from with a mapping function is ~10× slower on 64,000 steps.
      const values = options.mask.dataSync();
      mask = new Uint8Array(values.length);
      for (let i = 0; i < values.length; i++) mask[i] = values[i] ? 1 : 0;
    }
    return new StepPlan(batch, time, options.goBackwards, mask);
  }

  /**
   * The plan of rows `begin` to `end` alone: their mask, and their own active steps (a part of the
   * batch skips the steps where all of its rows are padding).
   */
  rows(begin: number, end: number): StepPlan {
    const mask = this.mask?.slice(begin * this.time, end * this.time);
    return new StepPlan(end - begin, this.time, this.goBackwards, mask);
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
