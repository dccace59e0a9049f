/**
 * The training-text hashes of a model directory (src/data/text-hashes.ts): texts compared as the
 * leak check compares them, a set that survives its bytes, and a reader that refuses any byte string
 * that is not a whole file of the format with a ModelFormatError, never another error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ModelFormatError } from '../../src/errors.js';
import { normalisedText } from '../../src/data/leak-check.js';
import { TextHashSet, textHash } from '../../src/data/text-hashes.js';

// Seeded, so that a run is repeatable (a failure prints its counterexample).
fc.configureGlobal({ seed: 16 });

const FILE = 'model/training-texts.bin';

describe('training-text hashes', () => {
  it('counts texts equal up to case and spacing as the same, each test text once', () => {
    const set = TextHashSet.of(['A fine film', 'a  fine\tfilm', 'Dull and long']);
    assert.equal(set.size, 2, 'repeats are kept once');
    assert.equal(textHash('A FINE film '), textHash('a fine film'));
    assert.equal(set.countIn(['a fine film', 'dull AND long', 'new text', 'a fine film']), 3);
    assert.equal(set.countIn([]), 0);
  });

  it('normalises as lower-casing, one space for each run of whitespace and trimming', () => {
    const spaces = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', ' \t ');
    const text = fc.array(fc.oneof(fc.string(), spaces)).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        assert.equal(normalisedText(t), t.toLowerCase().replace(/\s+/g, ' ').trim());
      }),
    );
  });

  it('writes 16 + 8 bytes per distinct text and reads the same set back', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 50 }), (texts) => {
        const set = TextHashSet.of(texts);
        const bytes = set.toBytes();
        assert.equal(bytes.byteLength, 16 + 8 * set.size);
        const back = TextHashSet.fromBytes(bytes, FILE);
        assert.deepEqual([...back.hashes], [...set.hashes]);
        for (const text of texts) assert.ok(back.has(text));
      }),
    );
  });

  it('refuses a truncated, extended or reordered file with a ModelFormatError naming it', () => {
    const bytes = TextHashSet.of(['one', 'two', 'three']).toBytes();
    const refused = (data: Uint8Array, reason: RegExp) =>
      assert.throws(
        () => TextHashSet.fromBytes(data, FILE),
        (error: unknown) =>
          error instanceof ModelFormatError && error.message.includes(FILE) && reason.test(error.message),
      );
    refused(bytes.subarray(0, bytes.byteLength - 1), /truncated/);
    refused(bytes.subarray(0, 10), /shorter than its header/);
    refused(Buffer.concat([bytes, Buffer.alloc(8)]), /truncated/);
    const swapped = Buffer.from(bytes);
    bytes.copy(swapped, 16, 24, 32);
    bytes.copy(swapped, 24, 16, 24);
    refused(swapped, /not above/);
    const foreign = Buffer.from(bytes);
    foreign.write('PK', 0, 'latin1');
    refused(foreign, /does not start/);
    const newer = Buffer.from(bytes);
    newer.writeUInt32LE(2, 4);
    refused(newer, /version 2/);
  });

  it('reads any bytes as a set or refuses them with a ModelFormatError', () => {
    const valid = TextHashSet.of(['a', 'b', 'c', 'd']).toBytes();
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      // A valid file cut short or with a byte changed: the cases a damaged file gives.
      fc.nat(valid.byteLength).map((end) => valid.subarray(0, end)),
      fc
        .tuple(fc.nat(valid.byteLength - 1), fc.integer({ min: 0, max: 255 }))
        .map(([at, value]) => Uint8Array.from(valid, (byte, i) => (i === at ? value : byte))),
    );
    fc.assert(
      fc.property(bytes, (data) => {
        try {
          const set = TextHashSet.fromBytes(data, FILE);
          assert.deepEqual(set.toBytes(), Buffer.from(data), 'what is read writes back the same bytes');
        } catch (error) {
          assert.ok(error instanceof ModelFormatError, String(error));
        }
      }),
    );
  });
});
