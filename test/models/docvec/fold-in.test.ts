/**
 * Fold-in over several threads gives every text the vector it gets alone on one thread: the vector
 * depends on the text and the seed only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoldIn } from '../../../src/models/docvec/fold-in.js';
import { columnCounts, randomVectors } from '../../../src/models/docvec/pv-dbow.js';
import type { SparseMatrix } from '../../../src/text/features/sparse.js';
import { Random } from '../../../src/util/random.js';

/** `rows` count rows of a few random columns each (some empty), over `cols` columns. */
function randomRows(rows: number, cols: number, random: Random): SparseMatrix {
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    const picked = new Set(Array.from({ length: random.int(8) }, () => random.int(cols)));
    for (const c of [...picked].sort((a, b) => a - b)) {
      indices.push(c);
      values.push(1 + random.int(3));
    }
    indptr[r + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

describe('fold-in', () => {
  it('gives the same vectors on two threads as on one, and as each row alone', async () => {
    const random = new Random(5);
    const dims = 6;
    const rows = randomRows(700, 40, random);
    const ngrams = { dims, vectors: randomVectors(40, dims, random), counts: columnCounts(rows) };
    const options = { epochs: 3, learningRate: 0.01, scale: 6, negatives: 2, subsample: 0, seed: 9 };
    const alone = new FoldIn(ngrams, options).infer(rows);
    const parallel = await new FoldIn(ngrams, options, 2).inferParallel(rows);
    assert.deepEqual(parallel, alone);
    assert.ok(
      alone.some((x, i) => x !== ngrams.vectors[i % ngrams.vectors.length]),
      'the vectors moved',
    );
    const last = rows.rows - 1;
    const single: SparseMatrix = {
      rows: 1,
      cols: rows.cols,
      indptr: Int32Array.of(0, rows.indptr[last + 1] - rows.indptr[last]),
      indices: rows.indices.slice(rows.indptr[last], rows.indptr[last + 1]),
      values: rows.values.slice(rows.indptr[last], rows.indptr[last + 1]),
    };
    assert.deepEqual(new FoldIn(ngrams, options).infer(single), alone.slice(last * dims));
  });
});
