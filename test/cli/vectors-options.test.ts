/** The flags of `polarity vectors` that parse numbers: property tests (seeded) over any text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { sampleParser, sizeParser } from '../../src/cli/vectors.js';
import { WORD_VECTOR_LIMITS } from '../../src/text/vectors/word-vector-options.js';

/** The value, or undefined where the parser refuses it (always with commander's error). */
function parsed<T>(parse: (text: string) => T, text: string): T | undefined {
  try {
    return parse(text);
  } catch (error) {
    assert.ok(error instanceof InvalidArgumentError, String(error));
    return undefined;
  }
}

describe('polarity vectors: number flags', () => {
  for (const key of Object.keys(WORD_VECTOR_LIMITS) as (keyof typeof WORD_VECTOR_LIMITS)[]) {
    const [min, max] = WORD_VECTOR_LIMITS[key];
    const parse = sizeParser(key);
    it(`--${key}: integers from ${min} to ${max} read back, anything else is refused`, () => {
      fc.assert(
        fc.property(fc.integer({ min: -10, max: max + 10 }), (n) => {
          assert.equal(parsed(parse, String(n)), n >= min && n <= max ? n : undefined);
        }),
        { seed: 19 },
      );
      fc.assert(
        fc.property(fc.string(), (text) => {
          const value = parsed(parse, text);
          if (value !== undefined) assert.ok(Number.isInteger(value) && value >= min && value <= max, text);
        }),
        { seed: 19 },
      );
    });
  }

  it('--sample: numbers from 0 to below 1 read back, anything else is refused', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 2, noNaN: true }), (n) => {
        const value = parsed(sampleParser, String(n));
        assert.equal(value, n >= 0 && n < 1 ? (Object.is(n, -0) ? 0 : n) : undefined);
      }),
      { seed: 19 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const value = parsed(sampleParser, text);
        if (value !== undefined) assert.ok(value >= 0 && value < 1, text);
      }),
      { seed: 19 },
    );
  });
});
