/**
 * A small protocol-buffers writer: just what the ONNX messages need (varints, 32-bit floats, 64-bit
 * doubles and length-delimited fields: strings, bytes, packed arrays and nested messages). Fields are
 * written in the order they are added, which protobuf readers accept in any order.
 *
 * Wire types (protobuf encoding spec): 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit.
 */
const utf8 = new TextEncoder();

/** The longest string whose UTF-8 length (3 bytes per UTF-16 unit at most) fits a one-byte varint. */
const SHORT_STRING_UNITS = 42;

/** The longest varint: a 64-bit value in 7-bit groups. */
const MAX_VARINT_BYTES = 10;

/** -1 as a varint (two's complement in 64 bits), the int64 that the graphs write most after 0. */
const MINUS_ONE = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);

/**
 * Writes `value` as a varint into `out` at `offset` (room for {@link MAX_VARINT_BYTES} bytes
 * assumed) and returns the offset after it: an unsigned varint of a non-negative safe integer, a
 * negative one as 10 bytes (two's complement in 64 bits), a bigint as its low 64 bits.
 */
function writeVarint(out: Uint8Array, offset: number, value: number | bigint): number {
  let at = offset;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf: ${value} is not a safe integer`);
    if (value >= 0) {
      let rest = value;
      // Above 31 bits the bitwise operators would wrap: divide until they would not.
      while (rest > 0x7fffffff) {
        out[at++] = (rest % 0x80) | 0x80;
        rest = Math.floor(rest / 0x80);
      }
      while (rest >= 0x80) {
        out[at++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      out[at++] = rest;
      return at;
    }
    if (value === -1) {
      out.set(MINUS_ONE, at);
      return at + MINUS_ONE.length;
    }
  }
  let v = BigInt.asUintN(64, BigInt(value));
  while (v >= 0x80n) {
    out[at++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[at++] = Number(v);
  return at;
}

/** Bytes appended in chunks, joined once at the end. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch = new Uint8Array(64);
  private used = 0;
  private total = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.total + this.used;
  }

  private ensure(bytes: number): void {
    if (this.used + bytes <= this.scratch.length) return;
    this.flush();
    if (bytes > this.scratch.length) this.scratch = new Uint8Array(Math.max(bytes, 4096));
  }

  private flush(): void {
    if (this.used === 0) return;
    this.chunks.push(this.scratch.slice(0, this.used));
    this.total += this.used;
    this.used = 0;
    if (this.scratch.length < 65536) this.scratch = new Uint8Array(this.scratch.length * 2);
  }

  private raw(bytes: Uint8Array): void {
    if (bytes.length <= 256) {
      this.ensure(bytes.length);
      this.scratch.set(bytes, this.used);
      this.used += bytes.length;
      return;
    }
    this.flush();
    this.chunks.push(bytes);
    this.total += bytes.length;
  }

  /** An unsigned varint of a non-negative safe integer, or a negative one as 10 bytes (two's complement). */
  varint(value: number | bigint): void {
    this.ensure(MAX_VARINT_BYTES);
    this.used = writeVarint(this.scratch, this.used, value);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** An int32, int64, uint64, enum or bool field. */
  int(field: number, value: number | bigint | boolean): void {
    this.tag(field, 0);
    this.varint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }

  /** A `float` field (32 bits, little-endian). */
  float(field: number, value: number): void {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.scratch.buffer).setFloat32(this.used, value, true);
    this.used += 4;
  }

  /** A `bytes` field. */
  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.varint(value.length);
    this.raw(value);
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, value: string): void {
    // At most 3 bytes per UTF-16 unit: a string of up to 42 units has a one-byte length, and is
    // encoded in place (a vocabulary's words, one field each, without an array apiece).
    if (value.length > SHORT_STRING_UNITS) {
      this.bytes(field, utf8.encode(value));
      return;
    }
    this.tag(field, 2);
    this.ensure(1 + value.length * 3);
    const { written } = utf8.encodeInto(value, this.scratch.subarray(this.used + 1));
    this.scratch[this.used] = written;
    this.used += 1 + written;
  }

  /** A nested message written by `write` into a fresh writer. */
  message(field: number, write: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    write(inner);
    this.bytes(field, inner.finish());
  }

  /** A packed repeated int32/int64 field (proto3 packs repeated scalars by default; proto2 readers accept it). */
  packedInts(field: number, values: ArrayLike<number | bigint>): void {
    // One buffer of the largest size the varints can take, filled in one pass: the sparse linear
    // graph's lookups hold millions of int64s, and a varint call per value was most of its export.
    const packed = new Uint8Array(values.length * MAX_VARINT_BYTES);
    let used = 0;
    for (let i = 0; i < values.length; i++) used = writeVarint(packed, used, values[i]);
    this.bytes(field, packed.subarray(0, used));
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: ArrayLike<number>): void {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    this.bytes(field, bytes);
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
