/**
 * A recurrent layer (input projection, bias and recurrence) as one differentiable TF.js operation
 * whose forward and backward passes are one call each of a WebAssembly kernel of ours (lstm.ts,
 * gru.ts name theirs).
 *
 * Why one operation for the whole layer: as separate tensor operations on the tape (x·W, + b, the
 * recurrence), TF.js would keep copies of their inputs for back-propagation (tens of megabytes a
 * batch) and run their gradients as transposed products over the whole batch; the kernel computes
 * x·W step by step beside h·R and sums the gradients of W, R and the bias while each step's dz is
 * in cache.
 */
import * as tf from '../tf.js';
import { StepPlan, type SequenceOptions } from './steps.js';
import { tensorOf, valuesOf } from '../tensor-io.js';

/** The weights of an LSTM or GRU cell, as TF.js's cells hold them. */
export interface CellWeights {
  /** `[features, gates × units]`. */
  readonly kernel: tf.Tensor2D;
  /** `[units, gates × units]`. */
  readonly recurrentKernel: tf.Tensor2D;
  /** `[gates × units]`; none when the layer has `useBias: false`. */
  readonly bias?: tf.Tensor1D;
}

/** The same weights as plain arrays. */
export interface CellArrays {
  readonly w: Float32Array;
  readonly r: Float32Array;
  readonly bias: Float32Array;
}

/** The gradients a kernel's backward pass returns, as views of its memory. */
export interface CellGradients {
  readonly dInput: Float32Array;
  readonly dKernel: Float32Array;
  readonly dRecurrent: Float32Array;
  readonly dBias: Float32Array;
}

/** A cell's kernel: its gate count and its two passes (see lstm-kernel.ts, gru-kernel.ts). */
export interface CellKernel<Trace> {
  readonly name: string;
  readonly gates: number;
  forward(
    input: Float32Array,
    arrays: CellArrays,
    plan: StepPlan,
    units: number,
    returnSequences: boolean,
    keep: boolean,
  ): { output: Float32Array; trace?: Trace };
  /** Through the trace of a forward pass, with the same weights; the trace knows the rest. */
  backward(dy: Float32Array, trace: Trace, arrays: CellArrays): CellGradients;
}

/**
 * Runs `cell` over `input`, `[batch, time, features]`, from a zero state. Returns `[batch, units]`,
 * or `[batch, time, units]` with `returnSequences`.
 */
export function fusedLayer<Trace>(
  cell: CellKernel<Trace>,
  input: tf.Tensor3D,
  weights: CellWeights,
  options: SequenceOptions,
): tf.Tensor {
  const [batch, time, features] = input.shape;
  const { kernel, recurrentKernel } = weights;
  const { gates } = cell;
  const units = recurrentKernel.shape[0];
  if (
    kernel.shape[0] !== features ||
    kernel.shape[1] !== gates * units ||
    recurrentKernel.shape[1] !== gates * units
  ) {
    throw new Error(
      `${cell.name}: kernel [${kernel.shape.join(',')}] and recurrent kernel [${recurrentKernel.shape.join(',')}] ` +
        `do not match ${features} features and ${gates} × ${units} units`,
    );
  }
  const plan = StepPlan.of(batch, time, options);
  const { returnSequences } = options;
  const shape: [number, number] | [number, number, number] = returnSequences
    ? [batch, time, units]
    : [batch, units];
  const arraysOf = (w: tf.Tensor, r: tf.Tensor, b: tf.Tensor | undefined): CellArrays => ({
    w: w.dataSync() as Float32Array,
    r: r.dataSync() as Float32Array,
    bias: b === undefined ? new Float32Array(gates * units) : (b.dataSync() as Float32Array),
  });
  if (!tf.engine().isTapeOn()) {
    // Inference: nothing will ask for gradients, so keep no trace.
    const arrays = arraysOf(kernel, recurrentKernel, weights.bias);
    const { output } = cell.forward(valuesOf(input), arrays, plan, units, returnSequences, false);
    return tensorOf(output, shape);
  }
  const bias = weights.bias ?? tf.zeros([gates * units]);
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, r, b] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    // The weights as they are now, for the backward pass (they change only after it). The input
    // is kept in the kernel's trace.
    const arrays = arraysOf(w, r, b);
    const { output, trace } = cell.forward(valuesOf(x), arrays, plan, units, returnSequences, true);
    const value = tensorOf(output, shape);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const grads = cell.backward(valuesOf(dy), trace!, arrays);
      return [
        tensorOf(grads.dInput, [batch, time, features]),
        tensorOf(grads.dKernel, [features, gates * units]),
        tensorOf(grads.dRecurrent, [units, gates * units]),
        tensorOf(grads.dBias, [gates * units]),
      ];
    };
    return { value, gradFunc };
  });
  const out = run(input, kernel, recurrentKernel, bias);
  if (weights.bias === undefined) bias.dispose();
  return out;
}
