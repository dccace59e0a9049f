/**
 * A faster `BatchMatMul` for the wasm backend when an operand is transposed.
 *
 * Why: the wasm backend multiplies with XNNPACK only when neither `transposeA` nor `transposeB` is
 * set; otherwise it runs a naive blocked loop about 8× slower (128×16000 by 16000×250: ~36 ms
 * plainly, ~430 ms with either flag). Back-propagation through every Dense layer asks for exactly
 * those products (dW = xᵀ·dy, dx = dy·Wᵀ). So we transpose in a fast typed-array loop
 * (see transpose.ts) and call the original kernel without flags.
 *
 * Which operand to transpose: XNNPACK treats the right operand as "weights" and repacks it on
 * every call with a new right operand (≈5 ns per element, with TF.js's transposed-weights flag),
 * while our transpose costs ≈2 ns per element. C = A·B can also be computed as
 * Cᵀ = op(B)ᵀ·op(A)ᵀ followed by one transpose of the (often small) result; we pick whichever
 * plan moves fewer bytes. For dx = dy·Wᵀ (128×250 by 250×16000) the second plan skips both the
 * 4M-element transpose and the 4M-element repacking of W and is ≈20 ms faster per step.
 */
import { BatchMatMul, util } from '../tf.js';
import type { KernelFunc, TensorInfo } from '../tf.js';
import { overrideWasmKernel, single } from './override.js';
import { transposeLastTwo } from './transpose.js';
import { asWasm, disposeIntermediates, requireInput } from './wasm-heap.js';

/** Measured costs in ns per element on this class of machine; only their ratio matters. */
const TRANSPOSE_COST = 2;
const PACK_COST = 5;

/** Which way to compute op(A)·op(B): 'direct' (transpose flagged operands) or 'transposed'. */
export function choosePlan(
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): 'direct' | 'transposed' {
  const direct =
    (transposeA ? TRANSPOSE_COST * m * k : 0) + (transposeB ? TRANSPOSE_COST * k * n : 0) + PACK_COST * k * n;
  const transposed =
    (transposeB ? 0 : TRANSPOSE_COST * k * n) +
    (transposeA ? 0 : TRANSPOSE_COST * m * k) +
    PACK_COST * k * m +
    TRANSPOSE_COST * m * n;
  return transposed < direct ? 'transposed' : 'direct';
}

export function makeBatchMatMul(plain: KernelFunc): KernelFunc {
  return (args) => {
    const transposeA = Boolean(args.attrs?.transposeA);
    const transposeB = Boolean(args.attrs?.transposeB);
    if (!transposeA && !transposeB) return plain(args);
    const backend = asWasm(args.backend);
    const a = requireInput(args.inputs, 'a', BatchMatMul);
    const b = requireInput(args.inputs, 'b', BatchMatMul);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return plain(args);

    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    // XNNPACK is used only for unbatched products; batched ones always take the naive loop, for
    // which transposing the flagged operands first is enough.
    const unbatched =
      util.sizeFromShape(a.shape.slice(0, -2)) === 1 && util.sizeFromShape(b.shape.slice(0, -2)) === 1;
    const plan = unbatched ? choosePlan(m, k, n, transposeA, transposeB) : 'direct';

    const intermediates: TensorInfo[] = [];
    const t = (x: TensorInfo): TensorInfo => {
      const out = transposeLastTwo(backend, x);
      intermediates.push(out);
      return out;
    };
    const noFlags = { transposeA: false, transposeB: false };
    try {
      if (plan === 'direct') {
        return plain({
          inputs: { a: transposeA ? t(a) : a, b: transposeB ? t(b) : b },
          backend,
          attrs: noFlags,
        });
      }
      // Cᵀ = op(B)ᵀ · op(A)ᵀ, where op(B)ᵀ is B as stored when transposeB, and likewise for A.
      const left = transposeB ? b : t(b);
      const right = transposeA ? a : t(a);
      const cT = single(plain({ inputs: { a: left, b: right }, backend, attrs: noFlags }));
      intermediates.push(cT);
      return transposeLastTwo(backend, cT);
    } finally {
      disposeIntermediates(backend, intermediates);
    }
  };
}

/** The BatchMatMul replacement's registration (undefined when the wasm BatchMatMul is missing). */
export function batchMatMulConfig(): ReturnType<typeof overrideWasmKernel> {
  return overrideWasmKernel(BatchMatMul, makeBatchMatMul);
}
