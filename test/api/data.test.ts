/** In-memory data for train() and evaluate(): lists paired by position, every mismatch refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evaluationExamples, examplesOf, trainingDataset } from '../../src/api/data.js';
import { DatasetError } from '../../src/errors.js';

// Seeded, so that a run is repeatable (a failure prints its counterexample).
fc.configureGlobal({ seed: 16 });

const label = fc.string({ minLength: 1, maxLength: 5 });

describe('examplesOf', () => {
  it('pairs texts and labels by position, whatever they hold', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), label), { maxLength: 30 }), (pairs) => {
        const texts = pairs.map(([text]) => text);
        const labels = pairs.map(([, l]) => l);
        assert.deepEqual(
          examplesOf({ texts, labels }),
          pairs.map(([text, l]) => ({ text, label: l })),
        );
      }),
    );
  });

  it('refuses lists of different lengths, a non-string, and an empty label', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 10 }),
        fc.array(label, { maxLength: 10 }),
        (texts, labels) => {
          fc.pre(texts.length !== labels.length);
          assert.throws(() => examplesOf({ texts, labels }), DatasetError);
        },
      ),
    );
    assert.throws(() => examplesOf([{ text: 3 as unknown as string, label: 'pos' }]), /example 1 needs/);
    assert.throws(() => examplesOf([{ text: 'fine', label: '' }]), /empty label/);
  });
});

describe('trainingDataset', () => {
  it('lists the labels of the examples, sorted', () => {
    const dataset = trainingDataset([
      { text: 'b', label: 'pos' },
      { text: 'a', label: 'neg' },
    ]);
    assert.deepEqual(dataset.labels, ['neg', 'pos']);
    assert.equal(dataset.test.length, 0);
  });

  it('refuses no examples, and a Dataset whose labels do not match its examples', () => {
    assert.throws(() => trainingDataset([]), /no training examples/);
    const train = [{ text: 'a', label: 'neg' }];
    const base = { name: 'mine', train, test: [] };
    assert.throws(
      () => trainingDataset({ ...base, labels: ['neg', 'pos'] }),
      /"pos", which no training example has/,
    );
    assert.throws(() => trainingDataset({ ...base, labels: ['neg', 'neg'] }), /a label twice/);
    assert.throws(
      () => trainingDataset({ ...base, labels: ['neg'], test: [{ text: 'b', label: 'pos' }] }),
      /examples carry "pos", which its labels do not list/,
    );
  });
});

describe('evaluationExamples', () => {
  it("scores every example given, or a Dataset's test split", () => {
    const test = [{ text: 't', label: 'pos' }];
    assert.equal(evaluationExamples({ texts: ['a', 'b'], labels: ['neg', 'pos'] }).length, 2);
    assert.deepEqual(evaluationExamples({ name: 'd', labels: ['pos'], train: [], test }), test);
  });
});
