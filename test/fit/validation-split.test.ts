import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitForValidation } from '../../src/fit/validation-split.js';
import { Random } from '../../src/util/random.js';

const examples = Array.from({ length: 100 }, (_, i) => ({ text: `t${i}`, label: i % 2 ? 'pos' : 'neg' }));

describe('splitForValidation', () => {
  it('holds out the requested fraction, disjoint from the rest and covering everything', () => {
    const { train, validation } = splitForValidation(examples, 0.2, new Random(1));
    assert.equal(validation.length, 20);
    assert.equal(train.length, 80);
    const seen = new Set([...train, ...validation].map((e) => e.text));
    assert.equal(seen.size, 100);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = splitForValidation(examples, 0.2, new Random(7)).validation.map((e) => e.text);
    const b = splitForValidation(examples, 0.2, new Random(7)).validation.map((e) => e.text);
    const c = splitForValidation(examples, 0.2, new Random(8)).validation.map((e) => e.text);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('holds out nothing for a zero fraction', () => {
    assert.equal(splitForValidation(examples, 0, new Random(1)).validation.length, 0);
  });
});
