/**
 * What Polarity reads back from an ONNX model (a `.onnx` file that `polarity export` wrote): the
 * producer name and the `metadata_props` of its ModelProto, from the top-level fields alone. The
 * graph, the bulk of the file, is skipped over by its length: onnxruntime reads it.
 *
 * Field numbers are onnx/onnx.proto's, as onnx-proto.ts writes them: ModelProto.producer_name (2),
 * ModelProto.metadata_props (14), StringStringEntryProto.key (1) and value (2).
 */

/** What an ONNX model says of itself. */
export interface OnnxModelInfo {
  /** ModelProto.producer_name; undefined when absent. */
  readonly producer: string | undefined;
  /** ModelProto.metadata_props, the last value of a key repeated. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Bytes that are not a protobuf message (cut short, or a wire type ONNX never uses). */
export class ProtobufReadError extends Error {}

const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

const utf8 = new TextDecoder();

/** Reads one message's fields in turn, each as its number, wire type and value. */
class ProtoReader {
  private at: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.at = start;
  }

  get done(): boolean {
    return this.at >= this.end;
  }

  /** An unsigned varint; at most 2^53 − 1 (a length or a field key), else ProtobufReadError. */
  varint(): number {
    const value = this.anyVarint();
    if (!Number.isSafeInteger(value)) throw new ProtobufReadError('a varint is too large');
    return value;
  }

  /** A varint of any value, exact up to 2^53 (a negative int64 takes 10 bytes, above it). */
  private anyVarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) throw new ProtobufReadError('a varint runs past the end');
      const byte = this.bytes[this.at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new ProtobufReadError('a varint is longer than 10 bytes');
  }

  /** The next field's number and wire type. */
  key(): { field: number; wire: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wire: key % 8 };
  }

  /** A length-delimited value's start and end. */
  span(): { start: number; end: number } {
    const length = this.varint();
    const start = this.at;
    if (length > this.end - start) throw new ProtobufReadError('a field runs past the end');
    this.at = start + length;
    return { start, end: this.at };
  }

  string(): string {
    const { start, end } = this.span();
    return utf8.decode(this.bytes.subarray(start, end));
  }

  /** Steps over a value of wire type `wire`. */
  skip(wire: number): void {
    if (wire === WIRE.VARINT) this.anyVarint();
    else if (wire === WIRE.LEN) this.span();
    else if (wire === WIRE.I64 || wire === WIRE.I32) {
      const size = wire === WIRE.I64 ? 8 : 4;
      if (size > this.end - this.at) throw new ProtobufReadError('a fixed-size field runs past the end');
      this.at += size;
    } else throw new ProtobufReadError(`wire type ${wire} is not used by ONNX`);
  }

  /** A nested message's reader, stepping over it in this one. */
  message(): ProtoReader {
    const { start, end } = this.span();
    return new ProtoReader(this.bytes, start, end);
  }
}

/**
 * The producer and metadata of the ONNX model in `bytes`.
 * @throws ProtobufReadError when the bytes are not a protobuf message.
 */
export function readOnnxModelInfo(bytes: Uint8Array): OnnxModelInfo {
  const reader = new ProtoReader(bytes);
  let producer: string | undefined;
  // No prototype: a key such as `__proto__` is just a key.
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  while (!reader.done) {
    const { field, wire } = reader.key();
    if (field === 2 && wire === WIRE.LEN) producer = reader.string();
    else if (field === 14 && wire === WIRE.LEN) {
      const entry = reader.message();
      let key = '';
      let value = '';
      while (!entry.done) {
        const inner = entry.key();
        if (inner.field === 1 && inner.wire === WIRE.LEN) key = entry.string();
        else if (inner.field === 2 && inner.wire === WIRE.LEN) value = entry.string();
        else entry.skip(inner.wire);
      }
      metadata[key] = value;
    } else reader.skip(wire);
  }
  return { producer, metadata };
}
