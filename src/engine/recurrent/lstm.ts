/**
 * An LSTM over a whole sequence as one differentiable operation.
 *
 * Why: TF.js's LSTM layer runs its cell once per time step as a dozen separate operations, and
 * back-propagation adds three times as many; on the wasm backend each costs tens of microseconds
 * of dispatch whatever its size, so at 500 steps a training step of a 64-unit LSTM spends seconds
 * on bookkeeping (~6 s a batch of 128; a 25,000-review epoch would take ~20 minutes). Here the
 * input projection x·W + b for every step is computed beforehand by the caller as one large
 * product, and this operation runs the recurrence: all steps forward in one call of our
 * WebAssembly kernel (lstm.wat through lstm-kernel.ts: per step the product h·R and the gates),
 * and back-propagation as the same walk in reverse in a second call, which also sums the gradient
 * of R step by step (Σₜ hₜ₋₁ᵀ·dzₜ, while dzₜ is in cache).
 *
 * The arithmetic is TF.js's LSTMCell with `activation: 'tanh'` and `recurrentActivation:
 * 'sigmoid'` (gate order i, f, c, o in the kernels' columns), and masked steps carry the state over
 * as TF.js's `rnn()` does; test/engine/recurrent.test.ts compares values and gradients with the
 * TF.js layer.
 */
import * as tf from '../tf.js';
import { lstmBackward, lstmForward } from './lstm-kernel.js';
import { StepPlan, type SequenceOptions } from './steps.js';
import { tensorOf, valuesOf } from './tensor-io.js';

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
  const { returnSequences } = options;
  const shape: [number, number] | [number, number, number] = returnSequences
    ? [batch, time, units]
    : [batch, units];
  if (!tf.engine().isTapeOn()) {
    // Inference: nothing will ask for gradients, so keep no trace (it is ~7 floats per unit and step).
    const r = recurrentKernel.dataSync() as Float32Array;
    const { output } = lstmForward(valuesOf(projected), r, plan, units, returnSequences, false);
    return tensorOf(output, shape);
  }
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, kernel] = args as [tf.Tensor3D, tf.Tensor2D];
    const r = kernel.dataSync() as Float32Array;
    const { output, trace } = lstmForward(valuesOf(x), r, plan, units, returnSequences, true);
    const value = tensorOf(output, shape);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const { dx, dr } = lstmBackward(valuesOf(dy), trace!, r, plan, units, returnSequences);
      return [tensorOf(dx, [batch, time, 4 * units]), tensorOf(dr, [units, 4 * units])];
    };
    return { value, gradFunc };
  });
  return run(projected, recurrentKernel);
}
