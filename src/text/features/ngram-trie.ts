/**
 * {@link NgramTrie}, the integer table that lets the vectorizer count n-grams without building a
 * string per occurrence.
 *
 * Why a trie of integers: the IMDB training split has about 5.8 million tokens, which make about 1.7
 * million distinct bigrams and 4 million trigrams. Building the string "a b c" for every occurrence and
 * counting it in a `Map<string, number>` costs a string allocation plus a string hash per occurrence; a
 * trigram run then takes tens of seconds. Instead each distinct n-gram gets an integer id, and an n-gram
 * of order k is the pair (id of its first k-1 tokens, id of its last token): one integer hash-table
 * probe per occurrence, and strings only for the n-grams a model keeps.
 */
import { C1 } from './ngrams.js';

/** The smallest table, in bits of entries. */
const MIN_CAPACITY_BITS = 10;
/** Load factor above which the trie grows, and at which it is sized for the nodes expected. */
const MAX_LOAD = 0.6;
/** Fields of a trie entry: the key (parent, word), id + 1 (0 marks an empty entry), then the payload. */
export const TRIE_PARENT = 0;
export const TRIE_WORD = 1;
export const TRIE_ID = 2;
export const TRIE_PAYLOAD = 3;

/**
 * A trie of n-grams over integer word ids, stored as an open-addressing hash table with linear probing:
 * node `id` is the n-gram whose last word is `word` and whose other words are the n-gram `parent` (the
 * meaning of parent values is the caller's: a node id, a column, or an encoded word). Ids are handed out in
 * insertion order from 0, so a node's parent, when it is a node, has a smaller id.
 *
 * Why the layout: on the IMDB training split the bigram table outgrows the CPU caches, so every probe is a
 * cache miss, and counting is bound by how many misses each n-gram occurrence costs. Each entry therefore
 * holds its key, its id and a few payload words (the caller's counters) together in 12 to 32 bytes of one
 * Int32Array, so that finding an n-gram and updating its counters touch one cache line (two, for the few
 * entries that straddle a line boundary); and there is
 * no other per-node array, since every byte allocated here also costs garbage-collection time (V8 runs a
 * full collection for about every 64 MB of new typed arrays). Read nodes back by scanning {@link table}:
 * entry fields are at `offset + TRIE_PARENT`, `TRIE_WORD`, `TRIE_ID` (id + 1, 0 for an empty entry) and
 * `TRIE_PAYLOAD + k`. `entryOrAdd` returns the offset of an entry; offsets change when the table grows, so
 * use one before the next insertion.
 */
export class NgramTrie {
  /** Entry e is `table[e * stride .. (e + 1) * stride)`. */
  table: Int32Array;
  readonly stride: number;
  /** Number of entries; any integer, a slot being found by multiply-shift range reduction of the hash. */
  private capacity: number;
  /** Grows beyond this load factor. */
  private readonly maxLoad: number;
  private count = 0;

  /**
   * @param expectedNodes how many nodes to size the table for (it grows as needed).
   * @param payload payload words per entry (0..5), zero when an entry is added.
   * @param load the load factor to size for: up to 0.85 for a table that will not grow, so that it takes
   *   less memory. Default {@link MAX_LOAD}.
   */
  constructor(expectedNodes = 1 << MIN_CAPACITY_BITS, payload = 0, load = MAX_LOAD) {
    if (!Number.isInteger(payload) || payload < 0 || payload > 5)
      throw new RangeError('payload must be 0..5');
    if (!(load > 0 && load <= 0.85)) throw new RangeError('load must be in (0, 0.85]');
    this.stride = TRIE_PAYLOAD + payload;
    this.maxLoad = Math.max(MAX_LOAD, load);
    this.capacity = Math.max(1 << MIN_CAPACITY_BITS, Math.ceil(Math.max(1, expectedNodes) / load) + 1);
    this.table = new Int32Array(this.capacity * this.stride);
  }

  /** Number of nodes. */
  get size(): number {
    return this.count;
  }

  /** The id of the node whose entry is at `offset`. */
  idAt(offset: number): number {
    return this.table[offset + TRIE_ID] - 1;
  }

  /** The offset in {@link table} of the entry of (parent, word), or -1 when there is none. */
  entry(parent: number, word: number): number {
    const { table, capacity, stride } = this;
    let slot = reduce(slotHash(parent, word), capacity);
    for (;;) {
      const offset = slot * stride;
      if (table[offset + TRIE_ID] === 0) return -1;
      if (table[offset + TRIE_WORD] === word && table[offset + TRIE_PARENT] === parent) return offset;
      if (++slot === capacity) slot = 0;
    }
  }

  /** The offset in {@link table} of the entry of (parent, word), added with the next id when it is new. */
  entryOrAdd(parent: number, word: number): number {
    const { table, capacity, stride } = this;
    let slot = reduce(slotHash(parent, word), capacity);
    for (;;) {
      const offset = slot * stride;
      if (table[offset + TRIE_ID] === 0) break;
      if (table[offset + TRIE_WORD] === word && table[offset + TRIE_PARENT] === parent) return offset;
      if (++slot === capacity) slot = 0;
    }
    const id = this.count++;
    if (this.count > this.maxLoad * capacity) {
      this.rehash();
      return this.insertNew(parent, word, id);
    }
    const offset = slot * stride;
    table[offset + TRIE_PARENT] = parent;
    table[offset + TRIE_WORD] = word;
    table[offset + TRIE_ID] = id + 1;
    return offset;
  }

  /**
   * Reads the first entry that a lookup of (parent, word) would probe and returns a value of no meaning.
   * Calling it for a batch of keys before looking them up lets the CPU fetch their cache lines in parallel
   * (the lookups themselves wait on each miss in turn, behind data-dependent branches): a software prefetch.
   */
  touch(parent: number, word: number): number {
    return this.table[reduce(slotHash(parent, word), this.capacity) * this.stride];
  }

  /** The id of (parent, word), or -1 when it is not in the trie. */
  find(parent: number, word: number): number {
    const offset = this.entry(parent, word);
    return offset < 0 ? -1 : this.table[offset + TRIE_ID] - 1;
  }

  /** The id of (parent, word), added when it is new. */
  findOrAdd(parent: number, word: number): number {
    const offset = this.entryOrAdd(parent, word); // first: it may replace the table
    return this.table[offset + TRIE_ID] - 1;
  }

  private insertNew(parent: number, word: number, id: number): number {
    const { table, capacity, stride } = this;
    let slot = reduce(slotHash(parent, word), capacity);
    while (table[slot * stride + TRIE_ID] !== 0) if (++slot === capacity) slot = 0;
    const offset = slot * stride;
    table[offset + TRIE_PARENT] = parent;
    table[offset + TRIE_WORD] = word;
    table[offset + TRIE_ID] = id + 1;
    return offset;
  }

  private rehash(): void {
    const old = this.table;
    const { stride } = this;
    const capacity = 2 * this.capacity;
    const table = new Int32Array(capacity * stride);
    for (let from = 0; from < old.length; from += stride) {
      if (old[from + TRIE_ID] === 0) continue;
      let slot = reduce(slotHash(old[from + TRIE_PARENT], old[from + TRIE_WORD]), capacity);
      while (table[slot * stride + TRIE_ID] !== 0) if (++slot === capacity) slot = 0;
      table.set(old.subarray(from, from + stride), slot * stride);
    }
    this.table = table;
    this.capacity = capacity;
  }
}

/** Maps a 32-bit hash onto [0, n) by multiplying (Lemire's range reduction), so n need not be a power of 2. */
function reduce(hash: number, n: number): number {
  return Math.floor(((hash >>> 0) / 4294967296) * n);
}

/** A well-mixed 32-bit hash of a (parent, word) pair of small integers, for the trie's slots. */
function slotHash(parent: number, word: number): number {
  let h = Math.imul(parent, C1) ^ word;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
