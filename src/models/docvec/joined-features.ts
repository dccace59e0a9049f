/**
 * The features of the document-vector classifier (Thongtan & Phienthrakul's 93.68% recipe, after Mesnil et
 * al. 2015): NB-weighted binary n-grams (NBSVM's features, Wang & Manning 2012) joined with the document's
 * vector, scaled to unit length and then by a weight, as one sparse row for a logistic regression.
 */
import type { SparseMatrix } from '../../text/features/sparse.js';

/** How the two blocks are joined. */
export interface JoinOptions {
  /** The naive Bayes log-count ratio per n-gram column; null leaves the n-gram block out. */
  readonly ratios: Float64Array | null;
  /** The weight of the unit-length document vector; 0 leaves the vector block out. */
  readonly vectorWeight: number;
  readonly dims: number;
}

/** The joined rows: n-gram columns first (when kept), then `dims` vector columns. */
export function joinFeatures(
  counts: SparseMatrix,
  vectors: Float32Array,
  options: JoinOptions,
): SparseMatrix {
  const { ratios, vectorWeight, dims } = options;
  const ngramCols = ratios === null ? 0 : counts.cols;
  const vectorCols = vectorWeight > 0 ? dims : 0;
  const rows = counts.rows;
  const ngramNonZeros = ratios === null ? 0 : counts.indptr[rows];
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(ngramNonZeros + rows * vectorCols);
  const values = new Float32Array(indices.length);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    if (ratios !== null) {
      for (let k = counts.indptr[r]; k < counts.indptr[r + 1]; k++) {
        indices[at] = counts.indices[k];
        values[at++] = ratios[counts.indices[k]];
      }
    }
    if (vectorCols > 0) {
      let sum = 0;
      for (let i = 0; i < dims; i++) sum += vectors[r * dims + i] ** 2;
      const scale = vectorWeight / (Math.sqrt(sum) || 1);
      for (let i = 0; i < dims; i++) {
        indices[at] = ngramCols + i;
        values[at++] = vectors[r * dims + i] * scale;
      }
    }
    indptr[r + 1] = at;
  }
  return { rows, cols: ngramCols + vectorCols, indptr, indices, values };
}

/**
 * The naive Bayes log-count ratio of each column over binarised rows (NBSVM's r), from the labelled rows only:
 * `y[i]` is +1 or −1.
 */
export function nbRatios(counts: SparseMatrix, y: Int8Array, alpha = 1): Float64Array {
  const p = new Float64Array(counts.cols).fill(alpha);
  const q = new Float64Array(counts.cols).fill(alpha);
  for (let r = 0; r < counts.rows; r++) {
    const target = y[r] > 0 ? p : q;
    for (let k = counts.indptr[r]; k < counts.indptr[r + 1]; k++) target[counts.indices[k]] += 1;
  }
  let pSum = 0;
  let qSum = 0;
  for (let j = 0; j < counts.cols; j++) {
    pSum += p[j];
    qSum += q[j];
  }
  const offset = Math.log(qSum / pSum);
  const r = new Float64Array(counts.cols);
  for (let j = 0; j < counts.cols; j++) r[j] = Math.log(p[j] / q[j]) + offset;
  return r;
}
