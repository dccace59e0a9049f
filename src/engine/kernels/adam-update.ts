/**
 * `PolarityAdamUpdate`: one Adam step for one variable, fused into a single pass over the heap.
 *
 * Why: TF.js's Adam spends about a dozen elementwise kernels per variable per step (each reading
 * and writing the whole tensor); for the MLP's 4M-weight hidden kernel that is ~45 ms of a
 * ~230 ms step on the wasm backend. One typed-array loop reading g, m, v, w and writing m′, v′,
 * w′ does the same in about a third of the time. It is our own kernel name, used only by
 * {@link FastAdamOptimizer} (adam.ts) on the wasm backend; the arithmetic follows TF.js's
 * AdamOptimizer:
 *   m′ = β1·m + (1−β1)·g,  v′ = β2·v + (1−β2)·g²,
 *   w′ = w − lr · (m′ / (1−β1ᵗ)) / (√(v′ / (1−β2ᵗ)) + ε).
 * Inputs: value, m, v, gradient (float32, one shape). Attrs: learningRate, beta1, beta2, epsilon,
 * oneMinusAccBeta1, oneMinusAccBeta2. Outputs: [value′, m′, v′].
 */
import { util } from '../tf.js';
import type { KernelConfig, KernelFunc, TensorInfo } from '../tf.js';
import { asWasm, f32View, requireInput, shapeText } from './wasm-heap.js';

/** The kernel's registered name. */
export const ADAM_UPDATE = 'PolarityAdamUpdate';

/** Attributes of {@link ADAM_UPDATE}. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β1ᵗ, from the optimizer's float32 accumulator. */
  oneMinusAccBeta1: number;
  /** 1 − β2ᵗ, likewise. */
  oneMinusAccBeta2: number;
}

const adamUpdate: KernelFunc = (args): TensorInfo[] => {
  const backend = asWasm(args.backend);
  const names = ['value', 'm', 'v', 'gradient'] as const;
  const [value, m, v, gradient] = names.map((name) => requireInput(args.inputs, name, ADAM_UPDATE));
  for (const t of [m, v, gradient]) {
    if (!util.arraysEqual(t.shape, value.shape)) {
      throw new Error(`${ADAM_UPDATE}: shapes differ: ${shapeText(t.shape)} vs ${shapeText(value.shape)}`);
    }
  }
  const a = args.attrs as unknown as AdamUpdateAttrs;
  const f = Math.fround;
  const b1 = f(a.beta1);
  const b2 = f(a.beta2);
  const c1 = f(1 - a.beta1);
  const c2 = f(1 - a.beta2);
  const lr = f(a.learningRate);
  const eps = f(a.epsilon);
  const d1 = f(a.oneMinusAccBeta1);
  const d2 = f(a.oneMinusAccBeta2);

  const outs = [value, m, v].map((t) => backend.makeOutput([...t.shape], 'float32'));
  const [w0, m0, v0, g] = [value, m, v, gradient].map((t) => f32View(backend, t));
  const [w1, m1, v1] = outs.map((t) => f32View(backend, t));
  const n = w0.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = f(b1 * m0[i] + c1 * gi);
    const vi = f(b2 * v0[i] + c2 * gi * gi);
    m1[i] = mi;
    v1[i] = vi;
    w1[i] = w0[i] - (lr * (mi / d1)) / (Math.sqrt(vi / d2) + eps);
  }
  return outs;
};

/** Kernel registration for the wasm backend. */
export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdate,
};
