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
import * as tf from '../tf.js';
import { fusedGru } from './gru.js';
import { fusedLstm } from './lstm.js';
import type { CellWeights } from './fused-layer.js';
import type { SequenceOptions } from './steps.js';

type LstmLayer = ReturnType<typeof tf.layers.lstm>;
type GruLayer = ReturnType<typeof tf.layers.gru>;
type Kwargs = Parameters<LstmLayer['call']>[1];

/** The weights of an LSTM or GRU cell (public fields at run time, absent from TF.js's types). */
interface CellVariables {
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

/** A fused layer over its input with the cell's weights. */
type Fused = (input: tf.Tensor3D, weights: CellWeights, options: SequenceOptions) => tf.Tensor;

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
  const { kernel, recurrentKernel, bias } = layer.cell as unknown as CellVariables;
  return tf.tidy(() => {
    const [input, inputMask] = layer.returnSequences ? [x, mask] : cropPadding(x, mask);
    return fused(
      input as tf.Tensor3D,
      {
        kernel: kernel.read() as tf.Tensor2D,
        recurrentKernel: recurrentKernel.read() as tf.Tensor2D,
        bias: bias?.read() as tf.Tensor1D | undefined,
      },
      {
        goBackwards: layer.goBackwards,
        returnSequences: layer.returnSequences,
        mask: inputMask ?? undefined,
      },
    );
  });
}

/**
 * Drops the leading and trailing steps where every row is padding. A masked step leaves the state
 * as it is, so the last state is the same without them, and the input projection (the largest
 * product of the layer) shrinks to the steps that are real somewhere in the batch: with batches
 * of similar lengths (see models/neural/length-buckets.ts) that is most of the saving.
 */
function cropPadding(x: tf.Tensor, mask: tf.Tensor | null | undefined): [tf.Tensor, tf.Tensor | undefined] {
  if (mask == null) return [x, undefined];
  const [batch, time] = mask.shape;
  const real = mask.dataSync();
  let first = time;
  let last = -1;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      if (real[b * time + t]) {
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
    }
  }
  if (last < 0 || (first === 0 && last === time - 1)) return [x, mask];
  const steps = last - first + 1;
  return [
    tf.slice(x, [0, first, 0], [batch, steps, x.shape[2]!]),
    tf.slice(mask, [0, first], [batch, steps]),
  ];
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
