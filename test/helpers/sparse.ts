/** Small sparse matrices and problems for the linear solvers' tests. */
import type { SparseMatrix } from '../../src/text/features/sparse.js';
import { Random } from '../../src/util/random.js';

/** A CSR matrix from a dense array of rows. */
export function csr(dense: readonly (readonly number[])[]): SparseMatrix {
  const indptr = new Int32Array(dense.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  dense.forEach((row, r) => {
    row.forEach((v, c) => {
      if (v !== 0) {
        indices.push(c);
        values.push(v);
      }
    });
    indptr[r + 1] = indices.length;
  });
  return {
    rows: dense.length,
    cols: dense[0]?.length ?? 0,
    indptr,
    indices: Int32Array.from(indices),
    values: Float32Array.from(values),
  };
}

/** A random sparse two-class problem: labels from a hidden weight vector, with some label noise. */
export function randomProblem(rows: number, cols: number, seed: number, noise = 0.1) {
  const random = new Random(seed);
  const truth = Array.from({ length: cols }, () => random.next() * 2 - 1);
  const dense = Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => (random.next() < 0.3 ? Math.round(random.next() * 3 + 1) / 4 : 0)),
  );
  const y = Int8Array.from(dense, (row) => {
    const score = row.reduce((s, v, j) => s + v * truth[j], 0.1);
    const sign = score >= 0 ? 1 : -1;
    return random.next() < noise ? -sign : sign;
  });
  return { x: csr(dense), y };
}
