import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { imbalancedToyDataset } from '../helpers/toy.js';
import { initBackend } from '../../src/engine/index.js';
import { OptionError } from '../../src/errors.js';
import type { Classifier, Trainer } from '../../src/models/classifier.js';
import type { LinearTrainerOptions } from '../../src/models/linear/linear-options.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import {
  parseClassWeight,
  resolveClassWeights,
  validateClassWeight,
  type ClassWeightSpec,
} from '../../src/fit/class-weight.js';
import { NeuralTrainer } from '../../src/models/neural/neural-trainer.js';
import { classWeightedLoss } from '../../src/models/neural/weighted-loss.js';

before(() => initBackend({ backend: 'wasm' }));

describe('class weight specs', () => {
  it('parses auto, none and label=weight pairs', () => {
    assert.equal(parseClassWeight('auto'), 'auto');
    assert.equal(parseClassWeight(' none '), 'none');
    assert.deepEqual(parseClassWeight('neg=2,pos=1'), { neg: 2, pos: 1 });
    assert.deepEqual(parseClassWeight(' neg = 0.5 , very good=3'), { neg: 0.5, 'very good': 3 });
  });

  it('rejects bad syntax, bad numbers and repeated labels, naming the flag', () => {
    for (const [text, message] of [
      ['neg', /expected auto, none or label=weight pairs/],
      ['', /expected auto, none/],
      ['neg=2,', /expected auto, none/],
      ['neg=two', /the weight of "neg" must be a positive number, got "two"/],
      ['neg=0', /positive number, got "0"/],
      ['pos=-1', /positive number, got "-1"/],
      ['pos=Infinity', /positive number/],
      ['neg=1,neg=2', /label "neg" is given twice/],
    ] as const) {
      assert.throws(
        () => parseClassWeight(text),
        (error: Error) =>
          error instanceof OptionError &&
          /^--class-weight/.test(error.message) &&
          message.test(error.message),
        text,
      );
    }
    assert.throws(() => validateClassWeight({ neg: Number.NaN }), /--class-weight: the weight of "neg"/);
  });

  it("gives 'auto' weights n / (labels × count), as scikit-learn's 'balanced'", () => {
    const weights = resolveClassWeights('auto', ['neg', 'pos', 'mixed'], [0, 0, 0, 0, 0, 0, 1, 1, 2]);
    assert.deepEqual(Array.from(weights!), [9 / (3 * 6), 9 / (3 * 2), 9 / (3 * 1)]);
  });

  it('fills labels a map leaves out with 1 and refuses unknown labels', () => {
    assert.deepEqual(Array.from(resolveClassWeights({ pos: 4 }, ['neg', 'pos'], [0, 1])!), [1, 4]);
    assert.equal(resolveClassWeights('none', ['neg', 'pos'], [0, 1]), null);
    assert.equal(resolveClassWeights(undefined, ['neg', 'pos'], [0, 1]), null);
    assert.throws(
      () => resolveClassWeights({ nge: 2 } as ClassWeightSpec, ['neg', 'pos'], [0, 1]),
      /--class-weight: unknown label "nge"; the dataset's labels are neg, pos/,
    );
    assert.throws(() => resolveClassWeights('auto', ['neg', 'pos'], [0, 0]), /label "pos" has no training/);
  });
});

describe('class-weighted loss', () => {
  it('scales each example by its label weight; weights of 1 give the plain cross-entropy', () => {
    const yTrue = tf.tensor2d([[0], [1], [1]]);
    const yPred = tf.tensor2d([[0.3], [0.6], [0.9]]);
    const plain = tf.metrics.binaryCrossentropy(yTrue, yPred).arraySync() as number[];
    const same = classWeightedLoss(Float64Array.from([1, 1]))(yTrue, yPred).arraySync() as number[];
    const weighted = classWeightedLoss(Float64Array.from([2, 0.5]))(yTrue, yPred).arraySync() as number[];
    plain.forEach((l, i) => assert.ok(Math.abs(same[i] - l) < 1e-6));
    [2, 0.5, 0.5].forEach((w, i) => assert.ok(Math.abs(weighted[i] - w * plain[i]) < 1e-6));

    const oneHot = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const softmax = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.2, 0.3, 0.5],
    ]);
    const base = tf.metrics.categoricalCrossentropy(oneHot, softmax).arraySync() as number[];
    const three = classWeightedLoss(Float64Array.from([3, 1, 0.25]))(oneHot, softmax).arraySync() as number[];
    assert.ok(Math.abs(three[0] - 3 * base[0]) < 1e-6);
    assert.ok(Math.abs(three[1] - 0.25 * base[1]) < 1e-6);
    tf.dispose([yTrue, yPred, oneHot, softmax]);
  });
});

/** Reviews with no sentiment word: the weights decide. */
const NEUTRAL = ['a film', 'film number 1000', 'a film number 77', 'a a a'];
/**
 * Reviews with one word of each kind. Not for the MLP: its weights are per position, so two words
 * at other positions than in training are not even evidence for it.
 */
const MIXED = ['a good awful film', 'a bad fine film', 'good bad', 'fine awful number 3'];

/** Mean probability of "pos" on `texts` after training on a 1:7 split. */
async function meanPositive(trainer: Trainer, texts: readonly string[]): Promise<number> {
  const classifier: Classifier = await trainer.fit(imbalancedToyDataset(160, 8), { seed: 1 });
  const predictions = await classifier.predict(texts);
  classifier.dispose();
  return predictions.reduce((sum, p) => sum + p.scores.pos, 0) / predictions.length;
}

describe('class weights shift predictions towards the up-weighted label on imbalanced data', () => {
  const neural = (classWeight?: ClassWeightSpec) =>
    new NeuralTrainer({
      model: 'mlp',
      hyperParameters: {
        numWords: 40,
        maxLen: 8,
        hiddenUnits: 8,
        epochs: 2,
        batchSize: 16,
        learningRate: 0.01,
      },
      classWeight,
    });

  it('neural models', async () => {
    const plain = await meanPositive(neural(), NEUTRAL);
    const auto = await meanPositive(neural('auto'), NEUTRAL);
    assert.ok(auto > plain + 0.1, `auto ${auto} vs none ${plain}`);
    // 'auto' is neg 4/7, pos 4 here: the same ratio as pos=7, which Adam (invariant to the scale
    // of the loss, but for its ε) follows almost exactly.
    const sameRatio = await meanPositive(neural({ pos: 7 }), NEUTRAL);
    assert.ok(Math.abs(sameRatio - auto) < 1e-3, `pos=7 ${sameRatio} vs auto ${auto}`);
  });

  // The linear SVM with a small C: on separable data a loosely regularised SVM fits every row
  // whatever their weights; the weights matter where margins are given up (nbsvm: logistic).
  const linearCases: readonly LinearTrainerOptions[] = [
    { model: 'nb', ngrams: 1, minDf: 1 },
    { model: 'linear', ngrams: 1, minDf: 1, c: 0.1 },
    { model: 'nbsvm', ngrams: 1, minDf: 1 },
  ];
  for (const options of linearCases) {
    it(`${options.model}${options.c ? ` (C ${options.c})` : ''}`, async () => {
      const texts = [...NEUTRAL, ...MIXED];
      const plain = await meanPositive(new LinearTrainer(options), texts);
      const auto = await meanPositive(new LinearTrainer({ ...options, classWeight: 'auto' }), texts);
      assert.ok(auto > plain + 0.1, `auto ${auto} vs none ${plain}`);
    });
  }

  it('records the weights in the manifest', async () => {
    const classifier = await neural('auto').fit(imbalancedToyDataset(160, 8));
    assert.deepEqual(classifier.provenance.training.classWeights, {
      neg: 160 / (2 * 140),
      pos: 160 / (2 * 20),
    });
    classifier.dispose();
  });
});
