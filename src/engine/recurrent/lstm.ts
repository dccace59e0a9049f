/**
 * An LSTM over a whole sequence as one differentiable operation.
 *
 * Why: TF.js's LSTM layer runs its cell once per time step as a dozen separate operations, and
 * back-propagation adds three times as many; on the wasm backend each costs tens of microseconds
 * of dispatch whatever its size, so at 500 steps a training step of a 64-unit LSTM spends seconds
 * on bookkeeping (~6 s a batch of 128; a 25,000-review epoch would take ~20 minutes). Here the
 * layer runs all steps forward in one call of our WebAssembly kernel (lstm.wat through
 * lstm-kernel.ts: per step the products x·W and h·R and the gates), and back-propagation as the
 * same walk in reverse in a second call, which also sums the gradients of W, R and the bias step
 * by step (Σₜ xₜᵀ·dzₜ and hₜ₋₁ᵀ·dzₜ, while dzₜ is in cache).
 *
 * The arithmetic is TF.js's LSTMCell with `activation: 'tanh'` and `recurrentActivation:
 * 'sigmoid'` (gate order i, f, c, o in the kernels' columns), and masked steps carry the state over
 * as TF.js's `rnn()` does; test/engine/recurrent.test.ts compares values and gradients with the
 * TF.js layer.
 */
import * as tf from '../tf.js';
import { lstmBackward, lstmForward, type LstmArrays } from './lstm-kernel.js';
import { StepPlan, type SequenceOptions } from './steps.js';
import { tensorOf, valuesOf } from './tensor-io.js';

/** The weights of an LSTM cell, as TF.js's LSTMCell holds them. */
export interface LstmWeights {
  /** `[features, 4 × units]`. */
  readonly kernel: tf.Tensor2D;
  /** `[units, 4 × units]`. */
  readonly recurrentKernel: tf.Tensor2D;
  /** `[4 × units]`; none when the layer has `useBias: false`. */
  readonly bias?: tf.Tensor1D;
}

/**
 * Runs an LSTM over `input`, `[batch, time, features]`, from zero initial states. Returns `[batch,
 * units]`, or `[batch, time, units]` with `returnSequences`.
 *
 * The whole layer is one operation, input projection and bias included: as separate tensor
 * operations on the tape, TF.js would keep copies of their inputs for back-propagation (tens of
 * megabytes a batch) and run their gradients as transposed products over the whole batch.
 */
export function fusedLstm(input: tf.Tensor3D, weights: LstmWeights, options: SequenceOptions): tf.Tensor {
  const [batch, time, features] = input.shape;
  const { kernel, recurrentKernel } = weights;
  const units = recurrentKernel.shape[0];
  if (
    kernel.shape[0] !== features ||
    kernel.shape[1] !== 4 * units ||
    recurrentKernel.shape[1] !== 4 * units
  ) {
    throw new Error(
      `fusedLstm: kernel [${kernel.shape.join(',')}] and recurrent kernel [${recurrentKernel.shape.join(',')}] ` +
        `do not match ${features} features and 4 × ${units} units`,
    );
  }
  const plan = StepPlan.of(batch, time, options);
  const { returnSequences } = options;
  const shape: [number, number] | [number, number, number] = returnSequences
    ? [batch, time, units]
    : [batch, units];
  const arraysOf = (w: tf.Tensor, r: tf.Tensor, b: tf.Tensor | undefined): LstmArrays => ({
    w: w.dataSync() as Float32Array,
    r: r.dataSync() as Float32Array,
    bias: b === undefined ? new Float32Array(4 * units) : (b.dataSync() as Float32Array),
  });
  if (!tf.engine().isTapeOn()) {
    // Inference: nothing will ask for gradients, so keep no trace (it is ~8 floats per unit and step).
    const arrays = arraysOf(kernel, recurrentKernel, weights.bias);
    const { output } = lstmForward(valuesOf(input), arrays, plan, units, returnSequences, false);
    return tensorOf(output, shape);
  }
  const bias = weights.bias ?? tf.zeros([4 * units]);
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, r, b] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    // The weights as they are now, for the backward pass (they change only after it). The input
    // is kept in the kernel's trace.
    const arrays = arraysOf(w, r, b);
    const { output, trace } = lstmForward(valuesOf(x), arrays, plan, units, returnSequences, true);
    const value = tensorOf(output, shape);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const grads = lstmBackward(valuesOf(dy), trace!, arrays, plan, units, returnSequences);
      return [
        tensorOf(grads.dInput, [batch, time, features]),
        tensorOf(grads.dKernel, [features, 4 * units]),
        tensorOf(grads.dRecurrent, [units, 4 * units]),
        tensorOf(grads.dBias, [4 * units]),
      ];
    };
    return { value, gradFunc };
  });
  const out = run(input, kernel, recurrentKernel, bias);
  if (weights.bias === undefined) bias.dispose();
  return out;
}
