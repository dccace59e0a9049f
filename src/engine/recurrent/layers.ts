/**
 * TF.js's LSTM and GRU layers, running their recurrence as one fused operation (see lstm.ts and
 * gru.ts for why and how).
 *
 * They are TF.js's own classes in every other respect: same class names ('LSTM', 'GRU'), same
 * configuration, same weights (kernel, recurrent_kernel, bias), so a saved model is a standard
 * TF.js `model.json` that any TF.js loads as plain LSTM/GRU layers. Importing this module registers
 * them under those names, which is what makes `Bidirectional` (it clones its layer by class name)
 * and model loading use the fused versions. A layer whose configuration the fused path does not
 * cover (other activations, dropout inside the cell, stateful, returned states, an initial state)
 * runs TF.js's per-step loop unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedGru } from './gru.js';
import { fusedLstm } from './lstm.js';
import type { SequenceOptions } from './steps.js';

type LstmLayer = ReturnType<typeof tf.layers.lstm>;
type GruLayer = ReturnType<typeof tf.layers.gru>;
type Kwargs = Parameters<LstmLayer['call']>[1];

/** The weights of an LSTM or GRU cell (public fields at run time, absent from TF.js's types). */
interface CellWeights {
  readonly kernel: tf.LayerVariable;
  readonly recurrentKernel: tf.LayerVariable;
  readonly bias?: tf.LayerVariable;
}

/** A serialisable layer class, as TF.js declares its own. */
interface LayerClass<Layer, Args> {
  new (args: Args): Layer;
  className: string;
  fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T;
}

// TF.js exports the factories but not the classes; the classes are what we extend.
const LstmBase = tf.layers.lstm({ units: 1 }).constructor as LayerClass<LstmLayer, tf.LSTMLayerArgs>;
const GruBase = tf.layers.gru({ units: 1 }).constructor as LayerClass<GruLayer, tf.GRULayerArgs>;

type Fused = (projected: tf.Tensor3D, recurrentKernel: tf.Tensor2D, options: SequenceOptions) => tf.Tensor;

/** Whether a layer's configuration is one the fused recurrence computes exactly. */
function fusable(layer: LstmLayer | GruLayer): boolean {
  const config = layer.getConfig();
  return (
    config.activation === 'tanh' &&
    config.recurrentActivation === 'sigmoid' &&
    !config.dropout &&
    !config.recurrentDropout &&
    !layer.stateful &&
    !layer.returnState
  );
}

/** The layer's call through `fused`, or undefined when the per-step loop must run instead. */
function callFused(
  layer: LstmLayer | GruLayer,
  fused: Fused,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
): tf.Tensor | undefined {
  if (kwargs?.initialState != null || !fusable(layer)) return undefined;
  const x = Array.isArray(inputs) ? inputs[0] : inputs;
  const mask = Array.isArray(kwargs?.mask) ? kwargs.mask[0] : kwargs?.mask;
  if (x.rank !== 3 || (Array.isArray(inputs) && inputs.length !== 1)) return undefined;
  const { kernel, recurrentKernel, bias } = layer.cell as unknown as CellWeights;
  return tf.tidy(() => {
    const [batch, time, features] = x.shape;
    // The input projection of every step at once: one large product instead of one per step.
    let projected: tf.Tensor = tf.matMul(tf.reshape(x, [batch * time, features]), kernel.read());
    if (bias !== undefined) projected = tf.add(projected, bias.read());
    return fused(
      tf.reshape(projected, [batch, time, projected.shape[1]!]),
      recurrentKernel.read() as tf.Tensor2D,
      {
        goBackwards: layer.goBackwards,
        returnSequences: layer.returnSequences,
        mask: mask ?? undefined,
      },
    );
  });
}

/** TF.js's LSTM layer with the fused recurrence. */
export class FusedLSTM extends LstmBase {
  static override className = 'LSTM';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return callFused(this, fusedLstm, inputs, kwargs) ?? super.call(inputs, kwargs);
  }
}

/** TF.js's GRU layer (reset gate applied before the recurrent product) with the fused recurrence. */
export class FusedGRU extends GruBase {
  static override className = 'GRU';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return callFused(this, fusedGru, inputs, kwargs) ?? super.call(inputs, kwargs);
  }
}

tf.serialization.registerClass(FusedLSTM);
tf.serialization.registerClass(FusedGRU);
