/**
 * A GRU over a whole sequence as one differentiable operation; see lstm.ts for why.
 *
 * The arithmetic is TF.js's GRUCell (Keras `reset_after=False`) with `activation: 'tanh'` and
 * `recurrentActivation: 'sigmoid'`; the kernels' columns hold the update gate z, the reset gate r
 * and the candidate h̃, and with R = [R_zr | R_h]:
 *   z, r = σ(x·W_zr + b_zr + h·R_zr),  h̃ = tanh(x·W_h + b_h + (r ⊙ h)·R_h),  h' = z ⊙ h + (1 − z) ⊙ h̃.
 * Two backend products per step forward (h·R_zr, then (r ⊙ h)·R_h) and two backward; the gradient
 * of R is two large products at the end.
 */
import * as tf from '../tf.js';
import { flushTiny, multiply, sigmoid, StepPlan, type SequenceOptions } from './steps.js';

interface GruTrace {
  /** z, r and h̃ at each step read: `[time, batch, 3 × units]`. */
  readonly gates: Float32Array;
  /** The state entering each (row, time), `[batch, time, units]`. */
  readonly previous: Float32Array;
  /** r ⊙ h entering each (row, time), `[batch, time, units]` (for the gradient of R_h). */
  readonly resetPrevious: Float32Array;
  readonly output: Float32Array;
}

/**
 * Runs a GRU over `projected` = x·W + b, `[batch, time, 3 × units]`, with recurrent kernel
 * `[units, 3 × units]`, from a zero initial state. Returns `[batch, units]`, or `[batch, time,
 * units]` with `returnSequences`.
 */
export function fusedGru(
  projected: tf.Tensor3D,
  recurrentKernel: tf.Tensor2D,
  options: SequenceOptions,
): tf.Tensor {
  const [batch, time, width] = projected.shape;
  const units = recurrentKernel.shape[0];
  if (width !== 3 * units || recurrentKernel.shape[1] !== 3 * units) {
    throw new Error(
      `fusedGru: projected width ${width} and recurrent kernel [${recurrentKernel.shape.join(',')}] ` +
        `do not match 3 × ${units} units`,
    );
  }
  const plan = StepPlan.of(batch, time, options);
  const split = (kernel: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] => [
    tf.slice(kernel, [0, 0], [units, 2 * units]),
    tf.slice(kernel, [0, 2 * units], [units, units]),
  ];
  const shape: [number, number] | [number, number, number] = options.returnSequences
    ? [batch, time, units]
    : [batch, units];
  if (!tf.engine().isTapeOn()) {
    // Inference: nothing will ask for gradients, so keep no trace.
    const kernels = split(recurrentKernel);
    const { output } = forward(projected.dataSync() as Float32Array, kernels, plan, units, options, false);
    tf.dispose(kernels);
    return tf.tensor(output, shape);
  }
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, kernel, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.GradSaveFunc];
    save([kernel]);
    const kernels = split(kernel);
    const trace = forward(x.dataSync() as Float32Array, kernels, plan, units, options, true);
    tf.dispose(kernels);
    const value = tf.tensor(trace.output, shape);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const transposed = split(saved[0] as tf.Tensor2D).map((k) => tf.transpose(k)) as [
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      const dx = backward(dy.dataSync() as Float32Array, trace, transposed, plan, units, options);
      tf.dispose(transposed);
      const rows = batch * time;
      const dxTensor = tf.tensor2d(dx, [rows, 3 * units]);
      const dZr = tf.slice(dxTensor, [0, 0], [rows, 2 * units]);
      const dH = tf.slice(dxTensor, [0, 2 * units], [rows, units]);
      const dKernel = tf.concat(
        [
          tf.matMul(tf.tensor2d(trace.previous, [rows, units]), dZr, true, false),
          tf.matMul(tf.tensor2d(trace.resetPrevious, [rows, units]), dH, true, false),
        ],
        1,
      );
      return [tf.reshape(dxTensor, [batch, time, 3 * units]), dKernel];
    };
    return { value, gradFunc };
  });
  return run(projected, recurrentKernel);
}

/** Runs the recurrence; with `keep` false the trace holds only the last step (enough for the output). */
function forward(
  x: Float32Array,
  [kernelZr, kernelH]: [tf.Tensor2D, tf.Tensor2D],
  plan: StepPlan,
  units: number,
  { returnSequences }: SequenceOptions,
  keep: boolean,
): GruTrace {
  const { batch, time } = plan;
  const U = units;
  const G = 3 * U;
  const h = new Float32Array(batch * U);
  const resetH = new Float32Array(batch * U);
  const gates = new Float32Array((keep ? time : 1) * batch * G);
  const previous = new Float32Array(keep ? batch * time * U : 0);
  const resetPrevious = new Float32Array(keep ? batch * time * U : 0);
  const output = returnSequences ? new Float32Array(batch * time * U) : h;
  const zerosZr = new Float32Array(batch * 2 * U);
  const zerosH = new Float32Array(batch * U);
  let started = false;
  for (let s = 0; s < time; s++) {
    const t = plan.timeAt(s);
    if (plan.active[s]) {
      // Before the first real step the state is zero, and so are both recurrent products.
      const recurrentZr = started ? multiply(h, batch, kernelZr) : zerosZr;
      for (let b = 0; b < batch; b++) {
        const row = b * U;
        if (keep) previous.set(h.subarray(row, row + U), (b * time + t) * U);
        if (!plan.real(b, t)) continue;
        const xo = (b * time + t) * G;
        const ro = b * 2 * U;
        const go = ((keep ? s : 0) * batch + b) * G;
        for (let j = 0; j < U; j++) {
          const z = sigmoid(x[xo + j] + recurrentZr[ro + j]);
          const r = sigmoid(x[xo + U + j] + recurrentZr[ro + U + j]);
          gates[go + j] = z;
          gates[go + U + j] = r;
          resetH[row + j] = flushTiny(r * h[row + j]);
        }
        if (keep) resetPrevious.set(resetH.subarray(row, row + U), (b * time + t) * U);
      }
      const recurrentH = started ? multiply(resetH, batch, kernelH) : zerosH;
      started = true;
      for (let b = 0; b < batch; b++) {
        if (!plan.real(b, t)) continue;
        const row = b * U;
        const xo = (b * time + t) * G;
        const go = ((keep ? s : 0) * batch + b) * G;
        for (let j = 0; j < U; j++) {
          const candidate = Math.tanh(x[xo + 2 * U + j] + recurrentH[row + j]);
          const z = gates[go + j];
          gates[go + 2 * U + j] = candidate;
          h[row + j] = flushTiny(z * h[row + j] + (1 - z) * candidate);
        }
      }
    }
    if (returnSequences) {
      for (let b = 0; b < batch; b++) output.set(h.subarray(b * U, (b + 1) * U), (b * time + s) * U);
    }
  }
  return { gates, previous, resetPrevious, output };
}

/** Returns the gradient of the projected inputs, `[batch, time, 3 × units]`. */
function backward(
  dy: Float32Array,
  trace: GruTrace,
  [kernelZrT, kernelHT]: [tf.Tensor2D, tf.Tensor2D],
  plan: StepPlan,
  units: number,
  { returnSequences }: SequenceOptions,
): Float32Array {
  const { batch, time } = plan;
  const U = units;
  const G = 3 * U;
  const { gates, previous } = trace;
  const dh = new Float32Array(batch * U);
  if (!returnSequences) dh.set(dy);
  const dx = new Float32Array(batch * time * G);
  const dCandidate = new Float32Array(batch * U);
  const dZr = new Float32Array(batch * 2 * U);
  const first = plan.active.indexOf(1);
  for (let s = time - 1; s >= 0; s--) {
    const t = plan.timeAt(s);
    if (returnSequences) {
      for (let b = 0; b < batch; b++) {
        const from = (b * time + s) * U;
        for (let j = 0; j < U; j++) dh[b * U + j] += dy[from + j];
      }
    }
    if (!plan.active[s]) continue;
    dCandidate.fill(0);
    dZr.fill(0);
    for (let b = 0; b < batch; b++) {
      // A masked row passes dh through unchanged.
      if (!plan.real(b, t)) continue;
      const row = b * U;
      const xo = (b * time + t) * G;
      const go = (s * batch + b) * G;
      const po = (b * time + t) * U;
      for (let j = 0; j < U; j++) {
        const z = gates[go + j];
        const candidate = gates[go + 2 * U + j];
        const dhv = dh[row + j];
        const da = flushTiny(dhv * (1 - z) * (1 - candidate * candidate));
        const dz = flushTiny(dhv * (previous[po + j] - candidate) * z * (1 - z));
        dCandidate[row + j] = dx[xo + 2 * U + j] = da;
        dZr[b * 2 * U + j] = dx[xo + j] = dz;
        dh[row + j] = dhv * z;
      }
    }
    // The initial state is a constant (zero): nothing flows through r ⊙ h or h·R_zr into it.
    if (s === first) continue;
    const dResetH = multiply(dCandidate, batch, kernelHT);
    for (let b = 0; b < batch; b++) {
      if (!plan.real(b, t)) continue;
      const row = b * U;
      const xo = (b * time + t) * G;
      const go = (s * batch + b) * G;
      const po = (b * time + t) * U;
      for (let j = 0; j < U; j++) {
        const r = gates[go + U + j];
        const d = dResetH[row + j];
        const dr = flushTiny(d * previous[po + j] * r * (1 - r));
        dZr[b * 2 * U + U + j] = dx[xo + U + j] = dr;
        dh[row + j] += d * r;
      }
    }
    const back = multiply(dZr, batch, kernelZrT);
    for (let k = 0; k < back.length; k++) dh[k] += back[k];
  }
  return dx;
}
