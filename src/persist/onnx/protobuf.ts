/**
 * A small protocol-buffers writer: just what the ONNX messages need (varints, 32-bit floats, 64-bit
 * doubles and length-delimited fields: strings, bytes, packed arrays and nested messages). Fields are
 * written in the order they are added, which protobuf readers accept in any order.
 *
 * Wire types (protobuf encoding spec): 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit.
 */
const utf8 = new TextEncoder();

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
    let v = typeof value === 'bigint' ? BigInt.asUintN(64, value) : undefined;
    this.ensure(10);
    if (v === undefined) {
      const n = value as number;
      if (!Number.isSafeInteger(n)) throw new RangeError(`protobuf: ${n} is not a safe integer`);
      if (n < 0) v = BigInt.asUintN(64, BigInt(n));
      else {
        let rest = n;
        while (rest >= 0x80) {
          this.scratch[this.used++] = (rest % 0x80) | 0x80;
          rest = Math.floor(rest / 0x80);
        }
        this.scratch[this.used++] = rest;
        return;
      }
    }
    while (v >= 0x80n) {
      this.scratch[this.used++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.scratch[this.used++] = Number(v);
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
    this.bytes(field, utf8.encode(value));
  }

  /** A nested message written by `write` into a fresh writer. */
  message(field: number, write: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    write(inner);
    this.bytes(field, inner.finish());
  }

  /** A packed repeated int32/int64 field (proto3 packs repeated scalars by default; proto2 readers accept it). */
  packedInts(field: number, values: ArrayLike<number | bigint>): void {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]);
    this.bytes(field, inner.finish());
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
