/**
 * N-gram machinery for the bag-of-n-grams vectorizer: naming n-grams, hashing them (the hashing trick),
 * and {@link NgramTrie}, the integer table that lets the vectorizer count n-grams without building a
 * string per occurrence.
 *
 * Why a trie of integers: the IMDB training split has about 5.8 million tokens, which make about 1.7
 * million distinct bigrams and 4 million trigrams. Building the string "a b c" for every occurrence and
 * counting it in a `Map<string, number>` costs a string allocation plus a string hash per occurrence; a
 * trigram run then takes tens of seconds. Instead each distinct n-gram gets an integer id, and an n-gram
 * of order k is the pair (id of its first k-1 tokens, id of its last token): one integer hash-table
 * probe per occurrence, and strings only for the n-grams a model keeps.
 */

/** Joins the tokens of an n-gram in its name, as scikit-learn does: "not very good". */
export const NGRAM_SEPARATOR = ' ';

/**
 * All n-grams of orders `minN`..`maxN` of a token list, named by joining their tokens with a single space,
 * in scikit-learn's order: every unigram by position, then every bigram by position, and so on. An n-gram
 * that occurs twice is listed twice.
 */
export function ngrams(tokens: readonly string[], maxN: number, minN = 1): string[] {
  const out: string[] = [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(NGRAM_SEPARATOR));
  }
  return out;
}

/** The number of n-grams of orders 1..`maxN` in a text of `length` tokens. */
export function ngramCount(length: number, maxN: number): number {
  let total = 0;
  for (let n = 1; n <= maxN; n++) total += Math.max(0, length - n + 1);
  return total;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * One 32-bit block step of MurmurHash3 x86_32: mixes the block `k` into the running hash `h`.
 * Exposed so that n-gram hashes can be formed incrementally, one token at a time.
 */
export function murmurBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The finalisation of MurmurHash3 x86_32 for input of `byteLength` bytes; returns an unsigned 32-bit value. */
export function murmurFinish(h: number, byteLength: number): number {
  h ^= byteLength;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86_32 (Austin Appleby's reference algorithm) of the UTF-16LE bytes of `text`, with `seed`.
 * Hashing UTF-16 code units, two per 32-bit block, avoids encoding the string to UTF-8 first; the result is
 * the same as the reference implementation run over `Buffer.from(text, 'utf16le')`. (scikit-learn's
 * HashingVectorizer hashes UTF-8 bytes, so its columns differ from ours.)
 */
export function murmurHash3(text: string, seed = 0): number {
  const length = text.length;
  let h = seed | 0;
  let i = 0;
  for (; i + 1 < length; i += 2) h = murmurBlock(h, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  if (i < length) {
    // A 2-byte tail: mixed like a block, without the final rotate-multiply-add of the hash.
    let k = Math.imul(text.charCodeAt(i), C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  return murmurFinish(h, length * 2);
}

/** MurmurHash3 x86_32 of a sequence of 32-bit words (their little-endian bytes), with `seed`. */
export function murmurHash3Words(words: ArrayLike<number>, seed = 0): number {
  let h = seed | 0;
  for (let i = 0; i < words.length; i++) h = murmurBlock(h, words[i] | 0);
  return murmurFinish(h, words.length * 4);
}

/**
 * The hash of an n-gram used by the hashing vectorizer: MurmurHash3 x86_32 (with `seed`) of the sequence of
 * its tokens' hashes `murmurHash3(token, seed)`. Hashing token hashes rather than the joined string lets the
 * vectorizer hash each token once and extend a bigram's hash to the trigram with one block step; a unigram's
 * hash is the one-word case, so it differs from `murmurHash3(token)`. Column = hash mod 2^bits.
 */
export function hashNgram(tokens: readonly string[], seed = 0): number {
  return murmurHash3Words(
    tokens.map((token) => murmurHash3(token, seed)),
    seed,
  );
}

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

/**
 * Word ids for token strings: an open-addressing table over FNV-1a hashes of the UTF-16 code units. Ids are
 * handed out from 0 in order of first sight.
 *
 * Why not a `Map<string, number>`: the vectorizer maps every token it fits or transforms (5.8 million for the
 * IMDB training split), and a Map spends most of that time fetching the stored key string from wherever it
 * lies in the heap to compare it. Here each slot holds the hash next to the id, and the words' characters are
 * copied into one compact Uint16Array, so a lookup touches two small, cache-friendly arrays. Measured on that
 * split: 0.40 s for a Map, 0.29 s with stored hashes but heap strings, less with the character pool.
 */
export class WordTable {
  /** Slot s is `slots[2s]` = hash, `slots[2s + 1]` = id + 1 (0 when empty). */
  private slots: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  /** Word `id` is `chars[starts[id] .. starts[id + 1])`. */
  private chars: Uint16Array;
  private starts: Int32Array;
  private readonly list: string[] = [];

  constructor(expectedWords = 1 << MIN_CAPACITY_BITS) {
    const bits = Math.max(MIN_CAPACITY_BITS, Math.ceil(Math.log2(Math.max(1, expectedWords) / 0.5)));
    this.slots = new Int32Array(2 << bits);
    this.mask = (1 << bits) - 1;
    this.hashes = new Int32Array(Math.max(16, expectedWords));
    this.starts = new Int32Array(this.hashes.length + 1);
    this.chars = new Uint16Array(8 * this.hashes.length);
  }

  /** Number of words. */
  get size(): number {
    return this.list.length;
  }

  /** The words, by id. */
  get words(): readonly string[] {
    return this.list;
  }

  /** The id of `word`, or -1. */
  id(word: string): number {
    const h = stringHash(word);
    const { slots, mask } = this;
    let slot = h & mask;
    for (;;) {
      const id = slots[2 * slot + 1] - 1;
      if (id < 0) return -1;
      if (slots[2 * slot] === h && this.holds(id, word)) return id;
      slot = (slot + 1) & mask;
    }
  }

  /** The id of `word`, added when it is new. */
  idOrAdd(word: string): number {
    return this.idOrAddSlice(word, 0, word.length);
  }

  /**
   * The id of the word `text[start .. end)`, added when it is new. Only a new word becomes a string
   * of its own: looking up a known one allocates nothing, which is what makes tokenizing straight
   * into ids cheap.
   */
  idOrAddSlice(text: string, start: number, end: number): number {
    const h = sliceHash(text, start, end);
    const { slots, mask } = this;
    let slot = h & mask;
    for (;;) {
      const id = slots[2 * slot + 1] - 1;
      if (id < 0) break;
      if (slots[2 * slot] === h && this.holdsSlice(id, text, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    const word = start === 0 && end === text.length ? text : text.slice(start, end);
    const id = this.list.length;
    this.list.push(word);
    this.store(id, word, h);
    slots[2 * slot] = h;
    slots[2 * slot + 1] = id + 1;
    if (2 * this.list.length > mask + 1) this.rehash();
    return id;
  }

  /** Whether word `id` has exactly the characters of `word`. */
  private holds(id: number, word: string): boolean {
    return this.holdsSlice(id, word, 0, word.length);
  }

  /** Whether word `id` has exactly the characters of `text[start .. end)`. */
  private holdsSlice(id: number, text: string, start: number, end: number): boolean {
    const from = this.starts[id];
    const length = end - start;
    if (this.starts[id + 1] - from !== length) return false;
    const chars = this.chars;
    for (let i = 0; i < length; i++) if (chars[from + i] !== text.charCodeAt(start + i)) return false;
    return true;
  }

  private store(id: number, word: string, h: number): void {
    if (id + 2 > this.starts.length) {
      const hashes = new Int32Array(2 * this.hashes.length);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const starts = new Int32Array(hashes.length + 1);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.hashes[id] = h;
    const start = this.starts[id];
    if (start + word.length > this.chars.length) {
      const chars = new Uint16Array(Math.max(2 * this.chars.length, start + word.length));
      chars.set(this.chars);
      this.chars = chars;
    }
    for (let i = 0; i < word.length; i++) this.chars[start + i] = word.charCodeAt(i);
    this.starts[id + 1] = start + word.length;
  }

  private rehash(): void {
    const capacity = 2 * (this.mask + 1);
    const slots = new Int32Array(2 * capacity);
    const mask = capacity - 1;
    for (let id = 0; id < this.list.length; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = this.hashes[id];
      slots[2 * slot + 1] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** FNV-1a over UTF-16 code units, with a final avalanche so that the low bits (the slot) are well mixed. */
function stringHash(s: string): number {
  return sliceHash(s, 0, s.length);
}

/** {@link stringHash} of `s[start .. end)`, without making that string. */
function sliceHash(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
