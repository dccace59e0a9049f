/**
 * TensorFlow.js layers as ONNX nodes (opset 17), in Keras's channels-last layout: a sequence is
 * `[N, T, C]` between layers, as in the TF.js model, and a convolution or pooling transposes to
 * ONNX's `[N, C, T]` and back around its own op. Dropout is the identity at inference: no node.
 */
import type * as tf from '../../../engine/tf.js';
import { OptionError } from '../../../errors.js';
import type { OnnxGraphBuilder } from '../../onnx-graph.js';

/** A layer's weights as float arrays with their shapes, in TF.js's order. */
export interface LayerWeight {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function layerWeights(layer: tf.layers.Layer): LayerWeight[] {
  return layer.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
}

/** The layer's configuration (TF.js's `getConfig`), read as plain values. */
export function layerConfig(layer: tf.layers.Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** `data` of shape [rows, cols] transposed to [cols, rows]. */
export function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/**
 * Keras's element-wise activations, each as its ONNX operator (none for `linear`) and as a function
 * of one number (for outputs worked out at export): one table, so that the graph and the numbers
 * worked out beside it cannot disagree on a name.
 */
const ELEMENT_WISE: Readonly<Record<string, { readonly op?: string; readonly of: (z: number) => number }>> = {
  linear: { of: (z) => z },
  relu: { op: 'Relu', of: (z) => Math.max(0, z) },
  sigmoid: { op: 'Sigmoid', of: (z) => 1 / (1 + Math.exp(-z)) },
  tanh: { op: 'Tanh', of: Math.tanh },
};

/** The element-wise activation `name` (a layer config's; none means linear), or an OptionError. */
function elementWise(name: unknown, where: string): (typeof ELEMENT_WISE)[string] {
  const key = name === undefined || name === null ? 'linear' : String(name);
  const found = Object.hasOwn(ELEMENT_WISE, key) ? ELEMENT_WISE[key] : undefined;
  if (!found) throw new OptionError(`ONNX export: activation "${key}" is not supported${where}`);
  return found;
}

/** Keras's activation `name` on `x`; `linear` adds no node. */
export function activation(graph: OnnxGraphBuilder, x: string, name: unknown, local: string): string {
  if (name === 'softmax') return graph.node('Softmax', [x], local, { axis: { int: -1 } });
  const { op } = elementWise(name, '');
  return op === undefined ? x : graph.node(op, [x], local);
}

/** Keras's activation `name` as a function of one number, for outputs worked out at export. */
export function activationOf(name: unknown): (z: number) => number {
  return elementWise(name, ' here').of;
}

/** Embedding: the rows of its table for ids `[N, W]` (int64), `[N, W, E]`. */
export function embedding(graph: OnnxGraphBuilder, layer: tf.layers.Layer, ids: string): string {
  const [table] = layerWeights(layer);
  const weights = graph.constant(`${layer.name}_table`, {
    type: 'float',
    dims: table.shape,
    data: table.data,
  });
  return graph.node('Gather', [weights, ids], layer.name, { axis: { int: 0 } });
}

/** Dense on `[N, F]`: Gemm with its kernel `[F, units]` and bias, then its activation. */
export function dense(graph: OnnxGraphBuilder, layer: tf.layers.Layer, x: string): string {
  const [kernel, bias] = layerWeights(layer);
  const units = kernel.shape[1];
  const w = graph.constant(`${layer.name}_kernel`, { type: 'float', dims: kernel.shape, data: kernel.data });
  const b = graph.constant(`${layer.name}_bias`, {
    type: 'float',
    dims: [units],
    data: bias?.data ?? new Float32Array(units),
  });
  const z = graph.node('Gemm', [x, w, b], `${layer.name}_z`);
  return activation(graph, z, layerConfig(layer).activation, layer.name);
}

/** A "same" Conv1D's zero padding on each side, as TF pads it (the odd cell on the right). */
export function samePadding(width: number): { left: number; right: number } {
  const left = Math.floor((width - 1) / 2);
  return { left, right: width - 1 - left };
}

/** `[N, T, C]` ↔ `[N, C, T]`. */
function swapLast(graph: OnnxGraphBuilder, x: string, local: string): string {
  return graph.node('Transpose', [x], local, { perm: { ints: [0, 2, 1] } });
}

/** A layer's setting that Keras may give as a one-element list, as one number. */
export function single(value: unknown, what: string): number {
  const n = Array.isArray(value) ? (value as number[])[0] : value;
  if (typeof n !== 'number') throw new OptionError(`ONNX export: ${what} ${String(value)} is not supported`);
  return n;
}

/**
 * Conv1D on `[N, T, C]`: ONNX Conv on `[N, C, T]` with the kernel `[width, in, out]` laid out as
 * `[out, in, width]`; "same" padding as TF pads it (the odd cell on the right), then its activation.
 * `pads`, when given, replaces the layer's own padding.
 */
export function conv1d(
  graph: OnnxGraphBuilder,
  layer: tf.layers.Layer,
  x: string,
  pads?: { readonly left: number; readonly right: number },
): string {
  const config = layerConfig(layer);
  const [kernel, bias] = layerWeights(layer);
  const [width, inputs, outputs] = kernel.shape;
  const stride = single(config.strides ?? 1, 'stride');
  const dilation = single(config.dilationRate ?? 1, 'dilation');
  if (stride !== 1 || dilation !== 1) {
    throw new OptionError('ONNX export: only Conv1D with stride 1 and dilation 1 is supported');
  }
  const w = new Float32Array(width * inputs * outputs);
  for (let k = 0; k < width; k++)
    for (let i = 0; i < inputs; i++)
      for (let o = 0; o < outputs; o++)
        w[(o * inputs + i) * width + k] = kernel.data[(k * inputs + i) * outputs + o];
  const padding = config.padding;
  if (padding !== 'same' && padding !== 'valid') {
    throw new OptionError(`ONNX export: Conv1D padding "${String(padding)}" is not supported`);
  }
  const { left, right } = pads ?? (padding === 'same' ? samePadding(width) : { left: 0, right: 0 });
  const convolved = graph.node(
    'Conv',
    [
      swapLast(graph, x, `${layer.name}_in`),
      graph.constant(`${layer.name}_kernel`, { type: 'float', dims: [outputs, inputs, width], data: w }),
      graph.constant(`${layer.name}_bias`, {
        type: 'float',
        dims: [outputs],
        data: bias?.data ?? new Float32Array(outputs),
      }),
    ],
    `${layer.name}_conv`,
    { kernel_shape: { ints: [width] }, pads: { ints: [left, right] } },
  );
  const activated = activation(graph, convolved, config.activation, `${layer.name}_act`);
  return swapLast(graph, activated, layer.name);
}

/** MaxPooling1D on `[N, T, C]` ("valid": the last incomplete window is dropped, as in TF). */
export function maxPooling1d(graph: OnnxGraphBuilder, layer: tf.layers.Layer, x: string): string {
  const config = layerConfig(layer);
  const size = single(config.poolSize, 'pool size');
  const stride = single(config.strides ?? size, 'pool stride');
  if (config.padding !== undefined && config.padding !== 'valid') {
    throw new OptionError(`ONNX export: MaxPooling1D padding "${String(config.padding)}" is not supported`);
  }
  const pooled = graph.node('MaxPool', [swapLast(graph, x, `${layer.name}_in`)], `${layer.name}_pool`, {
    kernel_shape: { ints: [size] },
    strides: { ints: [stride] },
  });
  return swapLast(graph, pooled, layer.name);
}

/** GlobalMaxPooling1D on `[N, T, C]`: each channel's maximum over the whole row, `[N, C]`. */
export function globalMaxPooling1d(graph: OnnxGraphBuilder, x: string, local: string): string {
  return graph.node('ReduceMax', [x], local, { axes: { ints: [1] }, keepdims: { int: 0 } });
}

/** Flatten `[N, …]` to `[N, F]` in row-major order, as Keras's Flatten. */
export function flatten(graph: OnnxGraphBuilder, x: string, local: string): string {
  return graph.node('Flatten', [x], local, { axis: { int: 1 } });
}
