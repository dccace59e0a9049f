import { ModelFormatError } from '../../errors.js';

/**
 * `weights.bin` of a linear model: the weight matrix, `rows × cols` Float32 values row-major, then
 * the `rows` biases, all little-endian, with no header — the shape lives in `polarity.json`, so
 * the reader can tell a truncated or foreign file by its size alone before reading a value.
 * Float32 halves the file against Float64 and changes no prediction measurably; the classifier
 * holds the Float32 values from the start, so a loaded model predicts exactly as the trained one.
 */
export const LINEAR_WEIGHTS_FILE = 'weights.bin';

/** A weight matrix with one bias per row. */
export interface WeightMatrix {
  readonly rows: number;
  readonly cols: number;
  /** `rows × cols`, row-major. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/** Bytes that a `rows × cols` model occupies. */
export function weightsFileBytes(rows: number, cols: number): number {
  return 4 * (rows * cols + rows);
}

export function encodeWeights(matrix: WeightMatrix): Uint8Array {
  const { rows, cols, weights, bias } = matrix;
  const bytes = new Uint8Array(weightsFileBytes(rows, cols));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < rows * cols; i++) view.setFloat32(4 * i, weights[i], true);
  for (let r = 0; r < rows; r++) view.setFloat32(4 * (rows * cols + r), bias[r], true);
  return bytes;
}

/** Reads `weights.bin` back, checking its size against the shape the manifest records. */
export function decodeWeights(bytes: Uint8Array, rows: number, cols: number, file: string): WeightMatrix {
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 0) {
    throw new ModelFormatError(`the manifest gives an impossible weight shape ${rows} × ${cols}`, file);
  }
  const expected = weightsFileBytes(rows, cols);
  if (bytes.byteLength !== expected) {
    throw new ModelFormatError(
      `holds ${bytes.byteLength} bytes but a ${rows} × ${cols} weight matrix with ${rows} biases needs ${expected}`,
      file,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Float32Array(rows * cols);
  const bias = new Float32Array(rows);
  for (let i = 0; i < rows * cols; i++) weights[i] = view.getFloat32(4 * i, true);
  for (let r = 0; r < rows; r++) bias[r] = view.getFloat32(4 * (rows * cols + r), true);
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i])) throw new ModelFormatError(`weight ${i} is not a finite number`, file);
  }
  return { rows, cols, weights, bias };
}
