/**
 * A GRU layer over a whole sequence as one differentiable operation; see lstm.ts for why and
 * fused-layer.ts for how (the kernel: gru.wat through gru-kernel.ts).
 *
 * The arithmetic is TF.js's GRUCell (Keras `reset_after=False`) with `activation: 'tanh'` and
 * `recurrentActivation: 'sigmoid'`; the kernels' columns hold the update gate z, the reset gate r
 * and the candidate h̃, and with R = [R_zr | R_h]:
 *   z, r = σ(x·W_zr + b_zr + h·R_zr),  h̃ = tanh(x·W_h + b_h + (r ⊙ h)·R_h),  h' = z ⊙ h + (1 − z) ⊙ h̃.
 * Per step forward the products x·W, h·R_zr, then (r ⊙ h)·R_h; backward their gradients, and those
 * of W, R and the bias summed step by step. test/engine/recurrent.test.ts compares values and
 * gradients with the TF.js layer.
 */
import type * as tf from '../tf.js';
import { fusedLayer, type CellKernel, type CellWeights } from './fused-layer.js';
import { gruBackward, gruForward, type GruTrace } from './gru-kernel.js';
import type { SequenceOptions } from './steps.js';

const GRU: CellKernel<GruTrace> = { name: 'fusedGru', gates: 3, forward: gruForward, backward: gruBackward };

/**
 * Runs a GRU over `input`, `[batch, time, features]`, from a zero initial state. Returns `[batch,
 * units]`, or `[batch, time, units]` with `returnSequences`.
 */
export function fusedGru(input: tf.Tensor3D, weights: CellWeights, options: SequenceOptions): tf.Tensor {
  return fusedLayer(GRU, input, weights, options);
}
