import { ModelFormatError } from '../../errors.js';

/**
 * A Float32 matrix file of a fastText model (`input.bin`, `output.bin`): `rows × cols` values,
 * row-major, little-endian, with no header — the shape lives in `polarity.json`, so a truncated or
 * foreign file is caught by its size before a value is read. The input matrix is large (about 100 MB
 * with the defaults), so on little-endian machines (nearly all) the bytes written are the
 * array's own memory, not a copy.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeMatrix(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return bytes;
}

/** Reads a matrix back, checking its size against the shape the manifest gives and that every value is finite. */
export function decodeMatrix(bytes: Uint8Array, rows: number, cols: number, file: string): Float32Array {
  if (!Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(cols) || cols < 1) {
    throw new ModelFormatError(`the manifest gives an impossible matrix shape ${rows} × ${cols}`, file);
  }
  const expected = 4 * rows * cols;
  if (bytes.byteLength !== expected) {
    throw new ModelFormatError(
      `holds ${bytes.byteLength} bytes but a ${rows} × ${cols} Float32 matrix needs ${expected}`,
      file,
    );
  }
  let values: Float32Array;
  if (LITTLE_ENDIAN) {
    // A copy: the file's buffer may be shared or unaligned for a Float32Array view.
    values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } else {
    values = new Float32Array(rows * cols);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ModelFormatError(`value ${i} (row ${Math.floor(i / cols)}) is not a finite number`, file);
    }
  }
  return values;
}
