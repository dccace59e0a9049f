/**
 * The subset of ONNX's messages Polarity writes, as plain data, and their protobuf encoding. Field
 * numbers are those of onnx/onnx.proto (IR version 8 and later keep them): ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto with TypeProto.Tensor and TensorShapeProto,
 * OperatorSetIdProto and StringStringEntryProto.
 */
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values used here. */
export const DataType = {
  FLOAT: 1,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  DOUBLE: 11,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** A constant tensor (an initializer or a TENSOR attribute). */
export type OnnxTensor =
  | {
      readonly name?: string;
      readonly dims: readonly number[];
      readonly type: 'float';
      readonly data: ArrayLike<number>;
    }
  | {
      readonly name?: string;
      readonly dims: readonly number[];
      readonly type: 'int64' | 'int32';
      readonly data: ArrayLike<number>;
    }
  | {
      readonly name?: string;
      readonly dims: readonly number[];
      readonly type: 'string';
      readonly data: readonly string[];
    };

/** A node attribute's value: its AttributeProto type follows from the JavaScript value. */
export type OnnxAttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly string: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly strings: readonly string[] }
  | { readonly tensor: OnnxTensor };

/** One node of a graph: an operator, its inputs and outputs by name, and its attributes. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** '' or absent: the default ONNX domain. */
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

/** A dimension: a fixed size or a symbolic name ('N'). */
export type OnnxDim = number | string;

/** A graph input or output: a tensor of an element type and shape. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly type: 'float' | 'int64' | 'string';
  readonly shape: readonly OnnxDim[];
  readonly doc?: string;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers?: readonly (OnnxTensor & { readonly name: string })[];
  readonly doc?: string;
}

export interface OnnxModel {
  readonly irVersion: number;
  /** Operator sets: '' is the default ONNX domain. */
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly doc?: string;
  readonly graph: OnnxGraph;
  readonly metadata?: Readonly<Record<string, string>>;
}

const ELEMENT_TYPE = {
  float: DataType.FLOAT,
  int32: DataType.INT32,
  int64: DataType.INT64,
  string: DataType.STRING,
} as const;

/** AttributeProto.AttributeType values. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  const size = t.dims.reduce((a, b) => a * b, 1);
  if (size !== t.data.length) {
    throw new RangeError(
      `onnx: tensor ${t.name ?? ''} has dims [${t.dims.join(', ')}] but ${t.data.length} values`,
    );
  }
  for (const d of t.dims) w.int(1, d); // dims
  w.int(2, ELEMENT_TYPE[t.type]); // data_type
  if (t.name !== undefined) w.string(8, t.name); // name
  if (t.type === 'string')
    for (const s of t.data) w.string(6, s); // string_data
  else if (t.type === 'float') {
    // raw_data (9): little-endian, as the spec requires.
    const bytes = new Uint8Array(t.data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < t.data.length; i++) view.setFloat32(i * 4, t.data[i], true);
    w.bytes(9, bytes);
  } else if (t.data.length > 0) w.packedInts(t.type === 'int32' ? 5 : 7, t.data); // int32_data, int64_data
}

function writeAttribute(w: ProtoWriter, name: string, value: OnnxAttributeValue): void {
  w.string(1, name);
  if ('int' in value) {
    w.int(20, AttributeType.INT);
    w.int(3, value.int);
  } else if ('float' in value) {
    w.int(20, AttributeType.FLOAT);
    w.float(2, value.float);
  } else if ('string' in value) {
    w.int(20, AttributeType.STRING);
    w.string(4, value.string);
  } else if ('ints' in value) {
    w.int(20, AttributeType.INTS);
    if (value.ints.length > 0) w.packedInts(8, value.ints);
  } else if ('floats' in value) {
    w.int(20, AttributeType.FLOATS);
    if (value.floats.length > 0) w.packedFloats(7, value.floats);
  } else if ('strings' in value) {
    w.int(20, AttributeType.STRINGS);
    for (const s of value.strings) w.string(9, s);
  } else {
    w.int(20, AttributeType.TENSOR);
    w.message(5, (t) => writeTensor(t, value.tensor));
  }
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  if (node.name !== undefined) w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, value));
  }
  if (node.domain) w.string(7, node.domain);
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  // TypeProto.tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1) | dim_param (2)
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ELEMENT_TYPE[info.type]);
      tensor.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
  if (info.doc !== undefined) w.string(3, info.doc);
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers ?? []) w.message(5, (t) => writeTensor(t, tensor));
  if (graph.doc !== undefined) w.string(10, graph.doc);
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

/** The protobuf bytes of an ONNX model (a `.onnx` file). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion); // ir_version
  if (model.producerName !== undefined) w.string(2, model.producerName);
  if (model.producerVersion !== undefined) w.string(3, model.producerVersion);
  if (model.doc !== undefined) w.string(6, model.doc);
  w.message(7, (g) => writeGraph(g, model.graph));
  for (const { domain, version } of model.opsets) {
    w.message(8, (o) => {
      if (domain !== '') o.string(1, domain);
      o.int(2, version);
    });
  }
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, (e) => {
      e.string(1, key);
      e.string(2, value);
    });
  }
  return w.finish();
}

/** The producer name Polarity writes into its ONNX files. */
export const ONNX_PRODUCER = 'polarity';

/**
 * Whether a file's first bytes (decoded as UTF-8, as the output policy reads them) are those of an
 * ONNX model Polarity wrote: ir_version (field 1, a one-byte varint) and then producer_name
 * (field 2) "polarity", the order {@link encodeOnnxModel} writes them in.
 */
export function isPolarityOnnxStart(start: string): boolean {
  const producer = `\x12${String.fromCharCode(ONNX_PRODUCER.length)}${ONNX_PRODUCER}`;
  return start.charCodeAt(0) === 0x08 && start.charCodeAt(1) < 0x80 && start.startsWith(producer, 2);
}
