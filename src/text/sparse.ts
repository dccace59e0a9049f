/**
 * A sparse matrix in compressed sparse row (CSR) form: the feature matrix of the linear models.
 * Row r's non-zeros are `indices[indptr[r] .. indptr[r+1])` with `values` at the same positions;
 * column indices within a row are sorted ascending and unique.
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Number of stored non-zeros. */
export function nonZeros(matrix: SparseMatrix): number {
  return matrix.indptr[matrix.rows];
}

/** The rows `which` of `matrix`, in that order (for cross-validation, validation slices and batches). */
export function selectRows(matrix: SparseMatrix, which: ArrayLike<number>): SparseMatrix {
  let total = 0;
  for (let i = 0; i < which.length; i++) total += matrix.indptr[which[i] + 1] - matrix.indptr[which[i]];
  const indptr = new Int32Array(which.length + 1);
  const indices = new Int32Array(total);
  const values = new Float32Array(total);
  let at = 0;
  for (let i = 0; i < which.length; i++) {
    const start = matrix.indptr[which[i]];
    const end = matrix.indptr[which[i] + 1];
    indices.set(matrix.indices.subarray(start, end), at);
    values.set(matrix.values.subarray(start, end), at);
    at += end - start;
    indptr[i + 1] = at;
  }
  return { rows: which.length, cols: matrix.cols, indptr, indices, values };
}
