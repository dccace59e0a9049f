/**
 * An LSTM layer over a whole sequence as one differentiable operation.
 *
 * Why: TF.js's LSTM layer runs its cell once per time step as a dozen separate operations, and
 * back-propagation adds three times as many; on the wasm backend each costs tens of microseconds
 * of dispatch whatever its size, so at 500 steps a training step of a 64-unit LSTM spends seconds
 * on bookkeeping (~6 s a batch of 128; a 25,000-review epoch would take ~20 minutes). Here the
 * layer runs all steps forward in one call of our WebAssembly kernel (lstm.wat through
 * lstm-kernel.ts: per step the products x·W and h·R and the gates), and back-propagation as the
 * same walk in reverse in a second call, which also sums the gradients of W, R and the bias step
 * by step (Σₜ xₜᵀ·dzₜ and hₜ₋₁ᵀ·dzₜ, while dzₜ is in cache); see fused-layer.ts.
 *
 * The arithmetic is TF.js's LSTMCell with `activation: 'tanh'` and `recurrentActivation:
 * 'sigmoid'` (gate order i, f, c, o in the kernels' columns), and masked steps carry the state over
 * as TF.js's `rnn()` does; test/engine/recurrent.test.ts compares values and gradients with the
 * TF.js layer.
 */
import type * as tf from '../tf.js';
import { fusedLayer, type CellKernel, type CellWeights } from './fused-layer.js';
import { lstmBackward, lstmForward, type LstmTrace } from './lstm-kernel.js';
import type { SequenceOptions } from './steps.js';

const LSTM: CellKernel<LstmTrace> = {
  name: 'fusedLstm',
  gates: 4,
  forward: lstmForward,
  backward: lstmBackward,
};

/**
 * Runs an LSTM over `input`, `[batch, time, features]`, from zero initial states. Returns `[batch,
 * units]`, or `[batch, time, units]` with `returnSequences`.
 */
export function fusedLstm(input: tf.Tensor3D, weights: CellWeights, options: SequenceOptions): tf.Tensor {
  return fusedLayer(LSTM, input, weights, options);
}
