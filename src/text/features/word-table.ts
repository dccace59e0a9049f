/**
 * {@link WordTable}: integer ids for token strings, the first step of counting n-grams (ngram-trie.ts)
 * and of building a corpus of token ids (token-ids.ts).
 */

/** The smallest table, in bits of slots. */
const MIN_CAPACITY_BITS = 10;

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
