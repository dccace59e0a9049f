/**
 * An LSTM over a whole sequence as one differentiable operation.
 *
 * Why: TF.js's LSTM layer runs its cell once per time step as a dozen separate operations, and
 * back-propagation adds three times as many; on the wasm backend each costs tens of microseconds
 * of dispatch whatever its size, so at 500 steps a training step of a 64-unit LSTM spends seconds
 * on bookkeeping (~6 s a batch of 128; a 25,000-review epoch would take ~20 minutes). Here the
 * input projection x·W + b for every step is computed beforehand by the caller as one large
 * product, and this operation runs the recurrence: per step one backend product h·R and the gate
 * arithmetic in a plain typed-array loop; back-propagation is the same walk in reverse, and the
 * gradient of R is one large product at the end (Σₜ hₜ₋₁ᵀ·dzₜ).
 *
 * The arithmetic is TF.js's LSTMCell with `activation: 'tanh'` and `recurrentActivation:
 * 'sigmoid'` (gate order i, f, c, o in the kernels' columns), and masked steps carry the state over
 * as TF.js's `rnn()` does; test/engine/recurrent.test.ts compares values and gradients with the
 * TF.js layer.
 */
import * as tf from '../tf.js';
import { flushTiny, multiply, sigmoid, StepPlan, type SequenceOptions } from './steps.js';

/** What the forward pass keeps for back-propagation. */
interface LstmTrace {
  /** Activated gates i, f, g, o at each step read: `[time, batch, 4 × units]`. */
  readonly gates: Float32Array;
  /** Cell state after each step read, `[time + 1, batch, units]` (index 0: the initial zeros). */
  readonly cells: Float32Array;
  /** tanh of each new cell state, `[time, batch, units]`. */
  readonly tanhCells: Float32Array;
  /** The output state entering each (row, time), `[batch, time, units]` (for the gradient of R). */
  readonly previous: Float32Array;
  /** The outputs, `[batch, time, units]` in reading order, or only the last `[batch, units]`. */
  readonly output: Float32Array;
}

/**
 * Runs an LSTM over `projected` = x·W + b, `[batch, time, 4 × units]`, with recurrent kernel
 * `[units, 4 × units]`, from zero initial states. Returns `[batch, units]`, or `[batch, time,
 * units]` with `returnSequences`.
 */
export function fusedLstm(
  projected: tf.Tensor3D,
  recurrentKernel: tf.Tensor2D,
  options: SequenceOptions,
): tf.Tensor {
  const [batch, time, width] = projected.shape;
  const units = recurrentKernel.shape[0];
  if (width !== 4 * units || recurrentKernel.shape[1] !== 4 * units) {
    throw new Error(
      `fusedLstm: projected width ${width} and recurrent kernel [${recurrentKernel.shape.join(',')}] ` +
        `do not match 4 × ${units} units`,
    );
  }
  const plan = StepPlan.of(batch, time, options);
  const shape: [number, number] | [number, number, number] = options.returnSequences
    ? [batch, time, units]
    : [batch, units];
  if (!tf.engine().isTapeOn()) {
    // Inference: nothing will ask for gradients, so keep no trace (it is ~25 floats per unit and step).
    const { output } = forward(
      projected.dataSync() as Float32Array,
      recurrentKernel,
      plan,
      units,
      options,
      false,
    );
    return tf.tensor(output, shape);
  }
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, kernel, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.GradSaveFunc];
    save([kernel]);
    const trace = forward(x.dataSync() as Float32Array, kernel, plan, units, options, true);
    const value = tf.tensor(trace.output, shape);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const kernelT = tf.transpose(saved[0]) as tf.Tensor2D;
      const dx = backward(dy.dataSync() as Float32Array, trace, kernelT, plan, units, options);
      kernelT.dispose();
      const dxTensor = tf.tensor2d(dx, [batch * time, 4 * units]);
      // dR = Σ over rows and steps of h_prevᵀ · dz, as one product.
      const dKernel = tf.matMul(tf.tensor2d(trace.previous, [batch * time, units]), dxTensor, true, false);
      return [tf.reshape(dxTensor, [batch, time, 4 * units]), dKernel];
    };
    return { value, gradFunc };
  });
  return run(projected, recurrentKernel);
}

/** Runs the recurrence; with `keep` false the trace holds only the last step (enough for the output). */
function forward(
  x: Float32Array,
  kernel: tf.Tensor2D,
  plan: StepPlan,
  units: number,
  { returnSequences }: SequenceOptions,
  keep: boolean,
): LstmTrace {
  const { batch, time } = plan;
  const U = units;
  const G = 4 * U;
  const steps = keep ? time : 1;
  const h = new Float32Array(batch * U);
  const c = new Float32Array(batch * U);
  const gates = new Float32Array(steps * batch * G);
  const cells = new Float32Array(keep ? (time + 1) * batch * U : 0);
  const tanhCells = new Float32Array(steps * batch * U);
  const previous = new Float32Array(keep ? batch * time * U : 0);
  const output = returnSequences ? new Float32Array(batch * time * U) : h;
  const zeros = new Float32Array(batch * G);
  let started = false;
  for (let s = 0; s < time; s++) {
    const t = plan.timeAt(s);
    if (plan.active[s]) {
      // Before the first real step the state is zero, and so is h·R.
      const recurrent = started ? multiply(h, batch, kernel) : zeros;
      started = true;
      for (let b = 0; b < batch; b++) {
        const row = b * U;
        if (keep) previous.set(h.subarray(row, row + U), (b * time + t) * U);
        if (!plan.real(b, t)) continue;
        const slot = keep ? s : 0;
        const xo = (b * time + t) * G;
        const ro = b * G;
        const go = (slot * batch + b) * G;
        const co = slot * batch * U + row;
        for (let j = 0; j < U; j++) {
          const i = sigmoid(x[xo + j] + recurrent[ro + j]);
          const f = sigmoid(x[xo + U + j] + recurrent[ro + U + j]);
          const g = Math.tanh(x[xo + 2 * U + j] + recurrent[ro + 2 * U + j]);
          const o = sigmoid(x[xo + 3 * U + j] + recurrent[ro + 3 * U + j]);
          const cell = f * c[row + j] + i * g;
          const tc = Math.tanh(cell);
          gates[go + j] = i;
          gates[go + U + j] = f;
          gates[go + 2 * U + j] = g;
          gates[go + 3 * U + j] = o;
          tanhCells[co + j] = tc;
          c[row + j] = cell;
          h[row + j] = flushTiny(o * tc);
        }
      }
    }
    if (keep) cells.set(c, (s + 1) * batch * U);
    if (returnSequences) {
      for (let b = 0; b < batch; b++) output.set(h.subarray(b * U, (b + 1) * U), (b * time + s) * U);
    }
  }
  return { gates, cells, tanhCells, previous, output };
}

/** Returns the gradient of the projected inputs, `[batch, time, 4 × units]`. */
function backward(
  dy: Float32Array,
  trace: LstmTrace,
  kernelT: tf.Tensor2D,
  plan: StepPlan,
  units: number,
  { returnSequences }: SequenceOptions,
): Float32Array {
  const { batch, time } = plan;
  const U = units;
  const G = 4 * U;
  const { gates, cells, tanhCells } = trace;
  const dh = new Float32Array(batch * U);
  const dc = new Float32Array(batch * U);
  if (!returnSequences) dh.set(dy);
  const dx = new Float32Array(batch * time * G);
  const dz = new Float32Array(batch * G);
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
    dz.fill(0);
    for (let b = 0; b < batch; b++) {
      // A masked row passes dh and dc through unchanged.
      if (!plan.real(b, t)) continue;
      const row = b * U;
      const go = (s * batch + b) * G;
      const co = s * batch * U + row;
      const xo = (b * time + t) * G;
      for (let j = 0; j < U; j++) {
        const i = gates[go + j];
        const f = gates[go + U + j];
        const g = gates[go + 2 * U + j];
        const o = gates[go + 3 * U + j];
        const tc = tanhCells[co + j];
        const dhv = dh[row + j];
        const dcv = dc[row + j] + dhv * o * (1 - tc * tc);
        const di = flushTiny(dcv * g * i * (1 - i));
        const df = flushTiny(dcv * cells[co + j] * f * (1 - f));
        const dg = flushTiny(dcv * i * (1 - g * g));
        const dO = flushTiny(dhv * tc * o * (1 - o));
        dz[b * G + j] = dx[xo + j] = di;
        dz[b * G + U + j] = dx[xo + U + j] = df;
        dz[b * G + 2 * U + j] = dx[xo + 2 * U + j] = dg;
        dz[b * G + 3 * U + j] = dx[xo + 3 * U + j] = dO;
        dc[row + j] = dcv * f;
        dh[row + j] = 0;
      }
    }
    // The initial state is a constant: no gradient flows into it.
    if (s > first) {
      const back = multiply(dz, batch, kernelT);
      for (let k = 0; k < back.length; k++) dh[k] += back[k];
    }
  }
  return dx;
}
