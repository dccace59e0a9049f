/**
 * Matrix transposes done in a cache-blocked typed-array loop on the wasm heap, and a `Transpose`
 * kernel that uses it.
 *
 * Why: the wasm backend's Transpose runs at about 9 ns per element (18 ms for a 128×16000 matrix);
 * a 16×16-blocked JS loop over the same heap memory takes about 2 ns (4 ms). Back-propagation
 * through a Dense layer transposes its 4M-weight kernel or its input every step, and our
 * BatchMatMul transposes operands, so this adds up. Permutations that do not reduce to a (batched)
 * swap of two axis groups go to the original kernel.
 */
import { Transpose, util } from '../tf.js';
import type { KernelFunc, TensorInfo, backend_util } from '../tf.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { overrideWasmKernel } from './override.js';
import { asWasm, heapView, requireInput } from './wasm-heap.js';

const BLOCK = 16;

/**
 * dst[b][j][i] = src[b][i][j] for `batch` row-major `rows`×`cols` matrices. Separate loops per
 * array type keep each one monomorphic for the JIT.
 */
export function transposeBatched(
  src: backend_util.TypedArray,
  dst: backend_util.TypedArray,
  batch: number,
  rows: number,
  cols: number,
): void {
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * size;
    for (let i0 = 0; i0 < rows; i0 += BLOCK) {
      const i1 = Math.min(i0 + BLOCK, rows);
      for (let j0 = 0; j0 < cols; j0 += BLOCK) {
        const j1 = Math.min(j0 + BLOCK, cols);
        for (let i = i0; i < i1; i++) {
          const s = base + i * cols;
          const d = base + i;
          for (let j = j0; j < j1; j++) dst[d + j * rows] = src[s + j];
        }
      }
    }
  }
}

/**
 * Reduces a permutation to its essential form: size-1 axes dropped, and input axes that stay
 * adjacent and in order in the output merged. Returns the merged shape and permutation.
 */
export function collapsePermutation(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  // Groups of consecutive input axes, in output order.
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    if (last !== undefined && nextKeptAxis(shape, last[last.length - 1]) === axis) last.push(axis);
    else groups.push([axis]);
  }
  const byInputOrder = [...groups].sort((a, b) => a[0] - b[0]);
  const mergedShape = byInputOrder.map((g) => g.reduce((p, axis) => p * shape[axis], 1));
  const mergedPerm = groups.map((g) => byInputOrder.indexOf(g));
  return { shape: mergedShape, perm: mergedPerm };
}

/** The next input axis after `axis` whose size is not 1 (size-1 axes do not break adjacency). */
function nextKeptAxis(shape: readonly number[], axis: number): number {
  let next = axis + 1;
  while (next < shape.length && shape[next] === 1) next++;
  return next;
}

/** The (batch, rows, cols) of a permutation that is a batched matrix transpose, else undefined. */
export function asBatchedTranspose(
  shape: readonly number[],
  perm: readonly number[],
): { batch: number; rows: number; cols: number } | undefined {
  const c = collapsePermutation(shape, perm);
  if (c.perm.length === 2 && c.perm[0] === 1) return { batch: 1, rows: c.shape[0], cols: c.shape[1] };
  if (c.perm.length === 3 && c.perm[0] === 0 && c.perm[1] === 2) {
    return { batch: c.shape[0], rows: c.shape[1], cols: c.shape[2] };
  }
  return undefined;
}

/**
 * A new tensor holding `x` with its last two axes swapped (x must be float32, int32 or bool).
 * The caller owns the result.
 */
export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2];
  const cols = x.shape[rank - 1];
  const batch = util.sizeFromShape(x.shape.slice(0, -2));
  const out = backend.makeOutput([...x.shape.slice(0, -2), cols, rows], x.dtype);
  transposeBatched(heapView(backend, x), heapView(backend, out), batch, rows, cols);
  return out;
}

/** Transpose kernel: blocked JS loop for batched 2-D transposes, the original otherwise. */
export function makeTranspose(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = requireInput(args.inputs, 'x', Transpose);
    const perm = (args.attrs?.perm ?? []) as number[];
    const plan = x.dtype === 'string' ? undefined : asBatchedTranspose(x.shape, perm);
    if (plan === undefined) return original(args);
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(
      perm.map((axis) => x.shape[axis]),
      x.dtype,
    );
    transposeBatched(heapView(backend, x), heapView(backend, out), plan.batch, plan.rows, plan.cols);
    return out;
  };
}

/** The Transpose replacement's registration (undefined when the wasm Transpose is missing). */
export function transposeConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(Transpose, makeTranspose);
}
