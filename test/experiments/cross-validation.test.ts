import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dataset, Example } from '../../src/data/types.js';
import { OptionError } from '../../src/errors.js';
import type { Classifier, Trainer } from '../../src/models/classifier.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import { runCrossValidation, stratifiedKFold } from '../../src/experiments/cross-validation.js';
import { spread } from '../../src/experiments/headline-metrics.js';
import { Random } from '../../src/util/random.js';
import { toyDataset } from '../helpers/toy.js';

/** 23 of "a", 10 of "b", 7 of "c", shuffled so that input order says nothing of the label. */
const unbalanced: Example[] = new Random(99)
  .shuffle([...'a'.repeat(23), ...'b'.repeat(10), ...'c'.repeat(7)])
  .map((label, i) => ({ text: `example ${i}`, label }));

function counts(examples: readonly Example[], indices: readonly number[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const i of indices) result.set(examples[i].label, (result.get(examples[i].label) ?? 0) + 1);
  return result;
}

describe('stratifiedKFold', () => {
  it('gives disjoint folds that cover every example, fold sizes within one', () => {
    const folds = stratifiedKFold(unbalanced, 4, new Random(7));
    assert.equal(folds.length, 4);
    const all = folds.flat().sort((a, b) => a - b);
    assert.deepEqual(
      all,
      unbalanced.map((_, i) => i),
    );
    const sizes = folds.map((f) => f.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
    for (const fold of folds)
      assert.deepEqual(
        fold,
        [...fold].sort((a, b) => a - b),
      );
  });

  it('keeps each label’s share of every fold within one example of its proportion', () => {
    const total = counts(
      unbalanced,
      unbalanced.map((_, i) => i),
    );
    assert.deepEqual(Object.fromEntries(total), { a: 23, b: 10, c: 7 });
    for (const k of [2, 3, 5, 7]) {
      const folds = stratifiedKFold(unbalanced, k, new Random(k));
      for (const fold of folds) {
        const inFold = counts(unbalanced, fold);
        for (const [label, n] of total) {
          const expected = (n * fold.length) / unbalanced.length;
          const got = inFold.get(label) ?? 0;
          assert.ok(Math.abs(got - expected) <= 1, `k=${k} label ${label}: ${got} vs ${expected.toFixed(2)}`);
        }
      }
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    assert.deepEqual(
      stratifiedKFold(unbalanced, 5, new Random(1)),
      stratifiedKFold(unbalanced, 5, new Random(1)),
    );
    assert.notDeepEqual(
      stratifiedKFold(unbalanced, 5, new Random(1)),
      stratifiedKFold(unbalanced, 5, new Random(2)),
    );
  });

  it('refuses more folds than a label has examples, and fewer than two folds', () => {
    assert.throws(
      () => stratifiedKFold(unbalanced, 8, new Random(1)),
      (e: unknown) =>
        e instanceof OptionError && /8 folds need at least 8 examples.*label "c" has 7/.test(e.message),
    );
    assert.throws(() => stratifiedKFold(unbalanced, 1, new Random(1)), /at least 2, got 1/);
    assert.throws(() => stratifiedKFold(unbalanced, 2.5, new Random(1)), /at least 2, got 2.5/);
  });
});

describe('runCrossValidation', () => {
  /** Labels by the word "good" and records what each fit was given. */
  function spyTrainer(seen: Dataset[]): Trainer {
    return {
      async fit(dataset) {
        seen.push(dataset);
        const classifier: Classifier = {
          kind: 'spy',
          labels: dataset.labels,
          async predict(texts) {
            return texts.map((t) => {
              const p = t.includes('good') ? 0.9 : 0.2;
              return {
                label: p > 0.5 ? 'pos' : 'neg',
                score: Math.max(p, 1 - p),
                scores: { neg: 1 - p, pos: p },
              };
            });
          },
          async save() {},
          dispose() {},
        };
        return classifier;
      },
    };
  }

  it('trains a fresh model per fold on the other folds and scores the held-out one', async () => {
    const data = { ...toyDataset(30), test: [{ text: 'never read', label: 'unknown' }] };
    const seen: Dataset[] = [];
    let created = 0;
    const begun: number[] = [];
    const result = await runCrossValidation(
      () => {
        created++;
        return spyTrainer(seen);
      },
      data,
      { folds: 3, seed: 5, onFoldBegin: (fold) => begun.push(fold) },
    );
    assert.equal(created, 3);
    assert.deepEqual(begun, [1, 2, 3]);
    assert.equal(result.folds.length, 3);
    result.folds.forEach((fold, f) => {
      const trainTexts = new Set(seen[f].train.map((e) => e.text));
      assert.equal(seen[f].test.length, 0, 'the test split is never passed to training');
      assert.equal(fold.trainExamples + fold.testExamples, 30);
      assert.equal(trainTexts.size, fold.trainExamples);
      assert.equal(fold.report.examples, fold.testExamples);
      assert.equal(fold.metrics.accuracy, 1);
      assert.equal(fold.metrics.rocAuc, 1);
      assert.ok(Math.abs(fold.metrics.logLoss! - -(Math.log(0.9) + Math.log(0.8)) / 2) < 1e-9);
    });
    assert.equal(result.summary.accuracy.mean, 1);
    assert.equal(result.summary.accuracy.std, 0);
  });

  it('runs a real trainer end to end', async () => {
    const result = await runCrossValidation(
      () => new LinearTrainer({ model: 'nb', minDf: 1 }),
      toyDataset(40),
      {
        folds: 4,
      },
    );
    assert.deepEqual(
      result.folds.map((f) => f.testExamples),
      [10, 10, 10, 10],
    );
    assert.ok(result.summary.accuracy.mean! > 0.9, `toy accuracy ${result.summary.accuracy.mean}`);
  });
});

describe('spread', () => {
  it('is the mean and sample standard deviation of the defined values', () => {
    assert.deepEqual(spread([1, 2, 3, null]), { mean: 2, std: 1 });
    assert.deepEqual(spread([0.5]), { mean: 0.5, std: null });
    assert.deepEqual(spread([null]), { mean: null, std: null });
  });
});
