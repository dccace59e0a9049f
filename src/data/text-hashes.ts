/**
 * The training texts of a model as a compact set of 64-bit hashes (`training-texts.bin` in the model
 * directory), so that `evaluate` can tell what share of its test texts the model was trained on. A
 * whole-set fingerprint can only say "the same data" or not; a set of hashes gives the share of any
 * overlap. Texts count as the same as the leak check counts them: equal after lower-casing and
 * collapsing runs of whitespace. With 64-bit hashes a false match needs a collision: about one chance
 * in 10^9 for a million training texts and a million test texts.
 *
 * The file: the 4 bytes `PTXH`, a u32 version (1), a u64 count N, then N u64 hashes in strictly
 * ascending order, all little-endian: 16 + 8·N bytes (25,000 IMDB reviews: about 200 KB).
 */
import { createHash } from 'node:crypto';
import { ModelFormatError } from '../errors.js';
import { normalisedText } from './leak-check.js';

export const TEXT_HASHES_FILE = 'training-texts.bin';
const MAGIC = 'PTXH';
const VERSION = 1;
const HEADER_BYTES = 16;

/** The 64-bit hash a text is compared by: its normalised form's SHA-1, cut. */
export function textHash(text: string): bigint {
  return createHash('sha1').update(normalisedText(text)).digest().readBigUInt64LE(0);
}

/** Collects the hashes of texts, in any order and with repeats; `sorted()` gives the set. */
export class TextHashCollector {
  private hashes = new BigUint64Array(1024);
  private count = 0;

  add(text: string): void {
    if (this.count === this.hashes.length) {
      const grown = new BigUint64Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.count++] = textHash(text);
  }

  /** The distinct hashes, ascending. */
  sorted(): TextHashSet {
    const all = this.hashes.slice(0, this.count).sort();
    let kept = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[kept - 1]) all[kept++] = all[i];
    return new TextHashSet(all.slice(0, kept));
  }
}

/** A set of text hashes, held sorted so that a lookup is a binary search. */
export class TextHashSet {
  /** @param hashes distinct, ascending */
  constructor(readonly hashes: BigUint64Array) {}

  static of(texts: Iterable<string>): TextHashSet {
    const collector = new TextHashCollector();
    for (const text of texts) collector.add(text);
    return collector.sorted();
  }

  get size(): number {
    return this.hashes.length;
  }

  has(text: string): boolean {
    const hash = textHash(text);
    let low = 0;
    let high = this.hashes.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.hashes[middle];
      if (found === hash) return true;
      if (found < hash) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** How many of `texts` (each one counted, repeats included) are in the set. */
  countIn(texts: Iterable<string>): number {
    let found = 0;
    for (const text of texts) if (this.has(text)) found++;
    return found;
  }

  /** The set as the bytes of `training-texts.bin`. */
  toBytes(): Buffer {
    const bytes = Buffer.alloc(HEADER_BYTES + 8 * this.hashes.length);
    bytes.write(MAGIC, 0, 'latin1');
    bytes.writeUInt32LE(VERSION, 4);
    bytes.writeBigUInt64LE(BigInt(this.hashes.length), 8);
    this.hashes.forEach((hash, i) => bytes.writeBigUInt64LE(hash, HEADER_BYTES + 8 * i));
    return bytes;
  }

  /**
   * Reads the bytes of `training-texts.bin`.
   * @throws ModelFormatError naming `file` when they are not a whole file of this format: another
   *   magic or version, a count that does not match the length, hashes out of order or repeated.
   */
  static fromBytes(bytes: Uint8Array, file: string): TextHashSet {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fail = (what: string): never => {
      throw new ModelFormatError(`not a set of training-text hashes: ${what}`, file);
    };
    if (data.byteLength < HEADER_BYTES) fail(`${data.byteLength} bytes, shorter than its header`);
    if (data.toString('latin1', 0, 4) !== MAGIC) fail(`it does not start with "${MAGIC}"`);
    const version = data.readUInt32LE(4);
    if (version !== VERSION) fail(`version ${version}, this Polarity reads version ${VERSION}`);
    const count = data.readBigUInt64LE(8);
    const expected = BigInt(HEADER_BYTES) + 8n * count;
    if (expected !== BigInt(data.byteLength)) {
      fail(`${count} hashes need ${expected} bytes, found ${data.byteLength}: the file is truncated`);
    }
    const hashes = new BigUint64Array(Number(count));
    for (let i = 0; i < hashes.length; i++) {
      hashes[i] = data.readBigUInt64LE(HEADER_BYTES + 8 * i);
      if (i > 0 && hashes[i] <= hashes[i - 1]) fail(`hash ${i + 1} is not above the one before`);
    }
    return new TextHashSet(hashes);
  }
}
