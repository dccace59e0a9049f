/**
 * The option parsers hold a bound in one place for text (a flag, a grid value) and for values a
 * library caller gives (`accepts`, which the trainers check with `checkValue`): the two must agree.
 * Property-based: whatever text `parse` turns into a value, `accepts` takes that value; and a
 * number `accepts` takes reads back from its own text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { OptionError } from '../../src/errors.js';
import {
  booleanValue,
  checkValue,
  fraction,
  integer,
  integerList,
  oneOf,
  openFraction,
  positiveNumber,
  unitInterval,
  type ValueParser,
} from '../../src/models/options.js';

const PARSERS: Record<string, ValueParser<unknown>> = {
  'integer()': integer(),
  'integer({ max: 5 })': integer({ max: 5 }),
  'integer({ ceiling: 1000 })': integer({ ceiling: 1000 }),
  'integer({ min: 0 })': integer({ min: 0 }),
  'positiveNumber()': positiveNumber(),
  'fraction()': fraction(),
  'openFraction()': openFraction(),
  'unitInterval()': unitInterval(),
  'oneOf(a, b)': oneOf(['a', 'b']),
  booleanValue,
  'integerList()': integerList({ max: 9 }),
};

/** Texts near the bounds as well as anything. */
const texts = fc.oneof(
  fc.string(),
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.double({ min: -2, max: 2, noNaN: false }).map(String),
  fc.constantFrom('a', 'b', 'true', 'false', '1,2,3', '0,1', '', ' 7', '1e3', 'NaN', 'Infinity'),
);

/** Values a library caller might pass, of every kind. */
const values = fc.oneof(
  fc.integer({ min: -5, max: 2000 }),
  fc.double({ min: -2, max: 2 }),
  fc.constantFrom(
    Number.NaN,
    Infinity,
    1e21,
    'a',
    'b',
    'c',
    true,
    false,
    null,
    undefined,
    [],
    [3, 4],
    [3, 0],
  ),
);

describe('value parsers: text and library values agree', () => {
  for (const [name, parser] of Object.entries(PARSERS)) {
    it(`${name}: what parse gives, accepts takes`, () => {
      fc.assert(
        fc.property(texts, (text) => {
          const value = parser.parse(text);
          if (value !== undefined) assert.equal(parser.accepts?.(value), true, `${text} → ${String(value)}`);
        }),
        { seed: 16 },
      );
    });

    it(`${name}: a number or name it accepts reads back from its text`, () => {
      fc.assert(
        fc.property(values, (value) => {
          if (!parser.accepts?.(value)) return;
          const text = Array.isArray(value) ? value.join(',') : String(value);
          // -0 is written "0", which reads back as 0: the same number, though not the same value.
          assert.deepEqual(parser.parse(text), Object.is(value, -0) ? 0 : value);
        }),
        { seed: 16 },
      );
    });
  }

  it('checkValue names the option and the declared expectation', () => {
    assert.throws(
      () => checkValue('dim', integer({ ceiling: 1000 }), 0),
      (error: Error) =>
        error instanceof OptionError &&
        error.message === 'dim must be a positive integer of at most 1,000, got 0',
    );
    assert.throws(
      () => checkValue('pooling', oneOf(['last', 'max']), 'mean'),
      /pooling must be one of last, max, got "mean"/,
    );
    assert.throws(
      () => checkValue('filterSizes', integerList(), []),
      /filterSizes must be a non-empty list of positive integers, got $/,
    );
    assert.doesNotThrow(() => checkValue('dim', integer({ ceiling: 1000 }), 1000));
  });
});
