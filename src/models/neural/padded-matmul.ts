/**
 * The product of a Dense layer over flattened per-position features, `x · W` with x of shape
 * [batch, positions × features] and W of [positions × features, units], skipping the work on
 * padding (issue 18).
 *
 * In the tutorial MLP and CNN the Dense(250) layer reads 500 (MLP) or 250 (CNN) positions, and
 * more than half of them are padding in an IMDB batch (median review 173 words, padded to 500).
 * At a padding position every review has the same features `pad` (the padding id's embedding, or
 * the convolution of three of them), so its contribution `pad · W_p` is the same in every review
 * that is padded there. Positions are cut into chunks of `chunk` positions; for chunk k, only the
 * reviews with a real position in it are multiplied by that chunk's rows of W, and one extra row,
 * `pad` repeated over the chunk, gives the contribution of the chunk to every review that is all
 * padding there. Backward, the same chunks give dW (each chunk's rows from its own reviews plus
 * the padding row, whose output gradient is the sum over the reviews it stood for) and the gradient
 * of `pad`; the skipped positions of x get no gradient, since the function does not read them.
 *
 * The result is the same function as the plain product (up to the order of float additions) as
 * long as the positions called padding really hold `pad`: the caller derives them from the ids.
 */
import * as tf from '../../engine/tf.js';

/** Which (review, position) pairs hold the padding features: row-major, 1 = padding. */
export type PaddingMask = Uint8Array;

/** Positions per chunk: the largest divisor of `positions` not above `target`. */
export function chunkPositions(positions: number, target = 25): number {
  for (let c = Math.min(target, positions); c > 1; c--) if (positions % c === 0) return c;
  return 1;
}

/** `v` repeated `times` times, as one row. */
function repeatedRow(v: tf.Tensor1D, times: number): tf.Tensor2D {
  return tf.reshape(tf.gather(tf.reshape(v, [1, -1]), new Int32Array(times)), [1, -1]) as tf.Tensor2D;
}

/** Where each review's rows go in the chunked product (see {@link paddedMatMul}). */
interface ChunkPlan {
  /** Per chunk: the reviews with at least one real position in it, ascending. */
  readonly rows: Int32Array[];
  /** Index, per (review, chunk) as review × chunks + chunk, of its output row among all chunks' rows. */
  readonly place: Int32Array;
}

function planChunks(mask: PaddingMask, batch: number, positions: number, chunk: number): ChunkPlan {
  const chunks = positions / chunk;
  const rows: Int32Array[] = [];
  const place = new Int32Array(batch * chunks);
  let offset = 0;
  for (let k = 0; k < chunks; k++) {
    const needed: number[] = [];
    for (let b = 0; b < batch; b++) {
      const start = b * positions + k * chunk;
      let padded = true;
      for (let p = start; p < start + chunk; p++) if (mask[p] === 0) padded = false;
      if (!padded) needed.push(b);
    }
    // Output rows of chunk k: its reviews' rows, then the padding row (index needed.length).
    for (let b = 0; b < batch; b++) place[b * chunks + k] = offset + needed.length;
    needed.forEach((b, i) => (place[b * chunks + k] = offset + i));
    rows.push(Int32Array.from(needed));
    offset += needed.length + 1;
  }
  return { rows, place };
}

/**
 * `x · w` where `mask` says which positions of x hold `pad` (shape [features]); x is
 * [batch, positions × features] and w [positions × features, units]. Differentiable in x, pad and w.
 * `chunk` must divide the number of positions.
 */
export function paddedMatMul(
  x: tf.Tensor2D,
  pad: tf.Tensor1D,
  w: tf.Tensor2D,
  mask: PaddingMask,
  chunk: number,
): tf.Tensor2D {
  const [batch, width] = x.shape;
  const features = pad.shape[0];
  const positions = width / features;
  const units = w.shape[1];
  if (!Number.isInteger(positions) || positions % chunk !== 0 || mask.length !== batch * positions) {
    throw new Error(
      `paddedMatMul: ${width} inputs are not ${features}-feature positions in chunks of ${chunk}`,
    );
  }
  const chunks = positions / chunk;
  const chunkWidth = chunk * features;
  const plan = planChunks(mask, batch, positions, chunk);
  // Row (b, k) of x as [batch × chunks, chunkWidth] is review b's features over chunk k.
  const sourceRow = (k: number): Int32Array => plan.rows[k].map((b) => b * chunks + k);

  /** Chunk k's rows of x (its reviews', then the padding row), and chunk k's rows of w. */
  const operands = (xr: tf.Tensor2D, padRow: tf.Tensor2D, k: number): [tf.Tensor2D, tf.Tensor2D] => {
    const wk = tf.slice(w, [k * chunkWidth, 0], [chunkWidth, units]);
    const gathered = plan.rows[k].length > 0 ? [tf.gather(xr, sourceRow(k))] : [];
    return [tf.concat([...gathered, padRow], 0), wk];
  };

  const product = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, padIn, wIn] = args as tf.Tensor[];
    (args[3] as tf.GradSaveFunc)([xIn, padIn, wIn]);
    const value = tf.tidy(() => {
      const xr = tf.reshape(xIn, [batch * chunks, chunkWidth]) as tf.Tensor2D;
      const padRow = repeatedRow(padIn as tf.Tensor1D, chunk);
      const outputs = Array.from({ length: chunks }, (_, k) => tf.matMul(...operands(xr, padRow, k)));
      // Each review's output: the sum over chunks of its row (or the chunk's padding row).
      const all = tf.concat(outputs, 0);
      const perChunk = tf.reshape(tf.gather(all, plan.place), [batch, chunks, units]);
      return tf.sum(perChunk, 1) as tf.Tensor2D;
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [xSaved] = saved;
          const xr = tf.reshape(xSaved, [batch * chunks, chunkWidth]) as tf.Tensor2D;
          const padRow = repeatedRow(saved[1] as tf.Tensor1D, chunk);
          // Gradient of each output row: the sum of dy over the reviews that row stood for.
          // (A gather: the wasm Tile was far slower than our GatherV2 here.)
          const spread = tf.gather(
            dy,
            Int32Array.from({ length: batch * chunks }, (_, i) => Math.floor(i / chunks)),
          );
          const sizes = plan.rows.map((r) => r.length + 1);
          const total = sizes.reduce((a, b) => a + b, 0);
          const dAllRows = tf.unsortedSegmentSum(spread, plan.place, total);
          // Slices rather than tf.split: the wasm SplitV copies its whole input once per part.
          const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
          const dRows = sizes.map((n, k) => tf.slice(dAllRows, [starts[k], 0], [n, units]));
          const dW: tf.Tensor[] = [];
          const dInputs: tf.Tensor[] = [];
          for (let k = 0; k < chunks; k++) {
            const [xk, wk] = operands(xr, padRow, k);
            dW.push(tf.matMul(xk, dRows[k], true, false));
            dInputs.push(tf.matMul(dRows[k], wk, false, true));
          }
          const dAll = tf.concat([...dInputs, tf.zeros([1, chunkWidth])], 0);
          // Where each (review, chunk) row of x finds its gradient: its row, or the zero row.
          const from = new Int32Array(batch * chunks).fill(total);
          const padRows = new Int32Array(chunks);
          let offset = 0;
          for (let k = 0; k < chunks; k++) {
            plan.rows[k].forEach((b, i) => (from[b * chunks + k] = offset + i));
            padRows[k] = offset + plan.rows[k].length;
            offset += sizes[k];
          }
          const dx = tf.reshape(tf.gather(dAll, from), xSaved.shape);
          const dPad = tf.sum(tf.reshape(tf.gather(dAll, padRows), [chunks * chunk, features]), 0);
          return [dx, dPad, tf.concat(dW, 0)];
        }),
    };
  });
  return product(x, pad, w) as tf.Tensor2D;
}
