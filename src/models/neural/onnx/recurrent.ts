/**
 * TF.js's LSTM, GRU and Bidirectional(LSTM) layers as ONNX LSTM and GRU ops, on left-aligned
 * inputs with `sequence_lens` (see front-end.ts: running on the real steps alone is Keras's masking).
 *
 * Weights: Keras keeps a kernel `[inputs, gates × units]`, a recurrent kernel `[units, gates ×
 * units]` and one bias `[gates × units]`; ONNX wants W `[directions, gates × units, inputs]`, R
 * `[directions, gates × units, units]` and B `[directions, 2 × gates × units]` (input and
 * recurrent biases; Keras's goes in the first half, zeros in the second). The LSTM's gates are
 * i, f, c, o in Keras and i, o, f, c in ONNX. TF.js's GRU is Keras's `reset_after=False` (the
 * reset gate multiplies the state before the recurrent product), which is ONNX's
 * `linear_before_reset=0`; its gates z, r, h are in ONNX's order already.
 *
 * After the op: the last state (`Y_h`, both directions concatenated forward first, as Keras's
 * `concat` merge), or each feature's maximum over the real steps (Polarity's masked max pooling).
 * A row with no real step gives zeros either way, as Keras's zero initial state and
 * MaskedGlobalMaxPooling1D do; the op itself runs one step on it (ONNX needs lengths ≥ 1).
 */
import type * as tf from '../../../engine/tf.js';
import { OptionError } from '../../../errors.js';
import type { OnnxGraphBuilder } from '../../onnx-graph.js';
import { layerConfig, layerWeights, type LayerWeight } from './layers.js';

/** Keras's gate (block of the kernel's columns) for each of ONNX's gates, in ONNX's order. */
const GATES = { LSTM: [0, 3, 1, 2], GRU: [0, 1, 2] } as const;

type Cell = keyof typeof GATES;

/** One direction's [kernel, recurrent kernel, bias] as ONNX's W, R, B rows. */
function onnxWeights(cell: Cell, [kernel, recurrent, bias]: LayerWeight[], units: number) {
  const gates = GATES[cell];
  const width = gates.length * units;
  const reorder = (m: LayerWeight): Float32Array => {
    const rows = m.shape[0];
    const out = new Float32Array(width * rows);
    gates.forEach((kerasGate, g) => {
      for (let u = 0; u < units; u++) {
        const from = kerasGate * units + u;
        const to = (g * units + u) * rows;
        for (let r = 0; r < rows; r++) out[to + r] = m.data[r * width + from];
      }
    });
    return out;
  };
  const b = new Float32Array(2 * width);
  if (bias !== undefined) {
    gates.forEach((kerasGate, g) =>
      b.set(bias.data.subarray(kerasGate * units, (kerasGate + 1) * units), g * units),
    );
  }
  return { w: reorder(kernel), r: reorder(recurrent), b };
}

/** The wrapped LSTM/GRU of a layer, its cell type and how many directions it runs. */
function describeLayer(layer: tf.layers.Layer): { inner: tf.layers.Layer; cell: Cell; directions: 1 | 2 } {
  const wrapped = layer as unknown as { forwardLayer?: tf.layers.Layer; mergeMode?: string };
  const inner = wrapped.forwardLayer ?? layer;
  const className = inner.getClassName();
  if (className !== 'LSTM' && className !== 'GRU') {
    throw new OptionError(`ONNX export: recurrent layer ${className} is not supported`);
  }
  if (wrapped.forwardLayer !== undefined && wrapped.mergeMode !== 'concat') {
    throw new OptionError(
      `ONNX export: Bidirectional merge mode "${String(wrapped.mergeMode)}" is not supported`,
    );
  }
  const config = layerConfig(inner);
  if (
    config.activation !== 'tanh' ||
    config.recurrentActivation !== 'sigmoid' ||
    config.goBackwards === true
  ) {
    throw new OptionError(
      'ONNX export: only recurrent layers with tanh activation, sigmoid gates, forwards, are supported',
    );
  }
  return { inner, cell: className, directions: wrapped.forwardLayer === undefined ? 1 : 2 };
}

/** Whether the recurrent layer (or the one a Bidirectional wraps) returns its whole output sequence. */
export function returnsSequences(layer: tf.layers.Layer): boolean {
  return layerConfig(describeLayer(layer).inner).returnSequences === true;
}

/**
 * The recurrent layer on left-aligned inputs `x` `[N, T, C]` with real lengths `lengths` `[N, 1]`
 * (int64, 0 allowed): its last state `[N, directions × units]`, or with `maxPooled` each feature's
 * maximum over the real steps of its output sequence.
 */
export function recurrentLayer(
  graph: OnnxGraphBuilder,
  layer: tf.layers.Layer,
  x: string,
  lengths: string,
  maxPooled: boolean,
): string {
  const { inner, cell, directions } = describeLayer(layer);
  const units = Number(layerConfig(inner).units);
  const weights = layerWeights(layer);
  const perDirection = weights.length / directions;
  const parts = Array.from({ length: directions }, (_, d) =>
    onnxWeights(cell, weights.slice(d * perDirection, (d + 1) * perDirection), units),
  );
  const gates = GATES[cell].length;
  const inputs = weights[0].shape[0];
  const stack = (pick: (p: (typeof parts)[number]) => Float32Array): Float32Array => {
    const all = parts.map(pick);
    const out = new Float32Array(all.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of all) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  const name = layer.name;
  const w = graph.constant(`${name}_w`, {
    type: 'float',
    dims: [directions, gates * units, inputs],
    data: stack((p) => p.w),
  });
  const r = graph.constant(`${name}_r`, {
    type: 'float',
    dims: [directions, gates * units, units],
    data: stack((p) => p.r),
  });
  const b = graph.constant(`${name}_b`, {
    type: 'float',
    dims: [directions, 2 * gates * units],
    data: stack((p) => p.b),
  });

  const one = graph.constant(`${name}_one`, { type: 'int64', dims: [], data: [1] });
  const atLeastOne = graph.node('Max', [lengths, one], `${name}_steps_int64`);
  const flat = graph.node('Reshape', [atLeastOne, graph.int64s(`${name}_flat`, [-1])], `${name}_steps_flat`);
  const sequenceLens = graph.node('Cast', [flat], `${name}_sequence_lens`, { to: { int: 6 } });
  const timeMajor = graph.node('Transpose', [x], `${name}_time_major`, { perm: { ints: [1, 0, 2] } });
  const [y, yH] = graph.nodeWithOutputs(
    cell,
    [timeMajor, w, r, b, sequenceLens],
    [`${name}_y`, `${name}_y_h`],
    {
      hidden_size: { int: units },
      direction: { string: directions === 2 ? 'bidirectional' : 'forward' },
      ...(cell === 'GRU' ? { linear_before_reset: { int: 0 } } : {}),
    },
  );

  const present = graph.node(
    'Greater',
    [lengths, graph.constant(`${name}_zero`, { type: 'int64', dims: [], data: [0] })],
    `${name}_present`,
  );
  const zero = graph.scalar(`${name}_zero_f`, 0);
  if (!maxPooled) {
    // Y_h [directions, N, units] → [N, directions × units].
    const batchMajor = graph.node('Transpose', [yH], `${name}_h_batch`, { perm: { ints: [1, 0, 2] } });
    const last = graph.node(
      'Reshape',
      [batchMajor, graph.int64s(`${name}_h_shape`, [0, -1])],
      `${name}_last`,
    );
    return graph.node('Where', [present, last, zero], name);
  }
  // Y [T, directions, N, units] → [N, T, directions × units]; steps past a row's length never win.
  const states = graph.node(
    'Reshape',
    [
      graph.node('Transpose', [y], `${name}_y_batch`, { perm: { ints: [2, 0, 1, 3] } }),
      graph.int64s(`${name}_y_shape`, [0, 0, -1]),
    ],
    `${name}_states`,
  );
  const time = graph.node(
    'Range',
    [
      graph.constant(`${name}_t0`, { type: 'int64', dims: [], data: [0] }),
      graph.node(
        'Squeeze',
        [
          graph.node(
            'Slice',
            [
              graph.node('Shape', [x], `${name}_x_shape`),
              graph.int64s(`${name}_s1`, [1]),
              graph.int64s(`${name}_s2`, [2]),
            ],
            `${name}_t_vector`,
          ),
        ],
        `${name}_t`,
      ),
      one,
    ],
    `${name}_steps`,
  );
  const real = graph.node(
    'Unsqueeze',
    [graph.node('Less', [time, lengths], `${name}_real_steps`), graph.int64s(`${name}_axis2`, [2])],
    `${name}_real`,
  );
  const masked = graph.node(
    'Where',
    [real, states, graph.scalar(`${name}_lowest`, -3.4e38)],
    `${name}_masked`,
  );
  const pooled = graph.node('ReduceMax', [masked], `${name}_pooled`, {
    axes: { ints: [1] },
    keepdims: { int: 0 },
  });
  return graph.node('Where', [present, pooled, zero], name);
}
