import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dataset } from '../../src/data/types.js';
import { OptionError } from '../../src/errors.js';
import type { Classifier, Trainer } from '../../src/models/classifier.js';
import { FastTextTrainer } from '../../src/models/fasttext/fasttext-trainer.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import { NeuralTrainer } from '../../src/models/neural/neural-trainer.js';
import {
  applyConfiguration,
  bestTrial,
  configurationAt,
  createTrainers,
  gridConfigurations,
  gridSize,
  integer,
  integerList,
  parseGrid,
  runSearch,
  sampleConfigurations,
  searchParameters,
  type SearchParameters,
  type TrialResult,
} from '../../src/experiments/search.js';
import { createTrainer } from '../../src/models/trainers.js';
import { Random } from '../../src/util/random.js';
import { toyDataset } from '../helpers/toy.js';

const linear = searchParameters('linear');
const neural = searchParameters('cnn');

describe('parseGrid', () => {
  it('reads keys in order with typed values, ignoring white space and a trailing ";"', () => {
    assert.deepEqual(parseGrid(' c = 0.5, 1 ,2 ; ngrams=1,2;', linear, 'linear'), [
      { key: 'c', values: [0.5, 1, 2] },
      { key: 'ngrams', values: [1, 2] },
    ]);
    assert.deepEqual(parseGrid('loss=logistic,hinge;sublinearTf=true,false', linear, 'linear'), [
      { key: 'loss', values: ['logistic', 'hinge'] },
      { key: 'sublinearTf', values: [true, false] },
    ]);
    assert.deepEqual(parseGrid('maxLen=200,500,1000;numWords=5000,20000', neural, 'cnn'), [
      { key: 'maxLen', values: [200, 500, 1000] },
      { key: 'numWords', values: [5000, 20000] },
    ]);
  });

  const bad: [string, RegExp][] = [
    ['', /--grid is empty; expected key=v1,v2/],
    ['   ', /--grid is empty/],
    ['c', /entry "c" has no "="/],
    ['=1,2', /entry "=1,2" has no key before "="/],
    ['c=1;;ngrams=2', /entry 2 is empty/],
    [
      'numWords=5000',
      /key "numWords" is not a hyper-parameter of --model linear; expected one of: ngrams, minDf/,
    ],
    ['toString=1', /key "toString" is not a hyper-parameter/],
    ['c=1;c=2', /names "c" twice/],
    ['c=', /key "c" has no values/],
    ['c=1,,2', /key "c" has an empty value in "1,,2"/],
    ['c=abc', /c=abc: expected a positive number/],
    ['c=-1', /c=-1: expected a positive number/],
    ['ngrams=1.5', /ngrams=1.5: expected an integer from 1 to \d+/],
    ['minDf=0', /minDf=0: expected a positive integer/],
    ['loss=svm', /loss=svm: expected one of logistic, hinge, squared-hinge/],
    ['sublinearTf=yes', /sublinearTf=yes: expected true or false/],
    ['c=1,1.0', /key "c" lists 1.0 twice/],
    ['c=[1,2', /unbalanced brackets/],
  ];
  for (const [grid, message] of bad) {
    it(`rejects ${JSON.stringify(grid)} with an option error saying what was expected`, () => {
      assert.throws(
        () => parseGrid(grid, linear, 'linear'),
        (e: unknown) => e instanceof OptionError && message.test(e.message),
      );
    });
  }

  it('keeps a bracketed list as one value, for keys that take lists', () => {
    const parameters: SearchParameters = { sizes: { ...integerList(1), apply: (c) => c } };
    assert.deepEqual(parseGrid('sizes=[3,4,5],[2, 3]', parameters, 'x'), [
      {
        key: 'sizes',
        values: [
          [3, 4, 5],
          [2, 3],
        ],
      },
    ]);
    assert.throws(
      () => parseGrid('sizes=3', parameters, 'x'),
      /sizes=3: expected a bracketed list of positive integers/,
    );
    assert.throws(() => parseGrid('sizes=[3,0]', parameters, 'x'), /expected a bracketed list/);
  });

  it('has no grid for an ensemble', () => {
    assert.throws(() => searchParameters('ensemble'), /cannot be searched/);
  });
});

describe('grid configurations', () => {
  const grid = parseGrid('c=0.5,1,2;ngrams=1,2', linear, 'linear');

  it('are the cartesian product, the last key varying fastest', () => {
    assert.equal(gridSize(grid), 6);
    assert.deepEqual(gridConfigurations(grid), [
      { c: 0.5, ngrams: 1 },
      { c: 0.5, ngrams: 2 },
      { c: 1, ngrams: 1 },
      { c: 1, ngrams: 2 },
      { c: 2, ngrams: 1 },
      { c: 2, ngrams: 2 },
    ]);
    assert.deepEqual(configurationAt(grid, 3), { c: 1, ngrams: 2 });
  });

  it('random search samples distinct configurations of the grid, the same for a seed', () => {
    const big = parseGrid('c=1,2,3,4,5;ngrams=1,2,3;minDf=1,2,3,4', linear, 'linear');
    const all = gridConfigurations(big).map((c) => JSON.stringify(c));
    const sample = sampleConfigurations(big, 12, new Random(3)).map((c) => JSON.stringify(c));
    assert.equal(sample.length, 12);
    assert.equal(new Set(sample).size, 12);
    for (const c of sample) assert.ok(all.includes(c), c);
    assert.deepEqual(
      sampleConfigurations(big, 12, new Random(3)).map((c) => JSON.stringify(c)),
      sample,
    );
    assert.notDeepEqual(
      sampleConfigurations(big, 12, new Random(4)).map((c) => JSON.stringify(c)),
      sample,
    );
    // Asking for every configuration returns each once.
    assert.deepEqual(
      sampleConfigurations(big, 60, new Random(3)).map((c) => JSON.stringify(c)),
      all,
    );
  });

  it('random search refuses more trials than the grid holds', () => {
    assert.throws(
      () => sampleConfigurations(grid, 7, new Random(1)),
      /--trials 7 is more than the 6 configurations/,
    );
    assert.throws(() => sampleConfigurations(grid, 0, new Random(1)), /--trials must be a positive integer/);
  });
});

describe('applyConfiguration', () => {
  it('sets linear options and neural hyper-parameters on top of the fixed ones', async () => {
    const base = {
      linear: { loss: 'logistic' as const },
      neural: { hyperParameters: { epochs: 3, maxLen: 100 } },
    };
    const linearChoice = applyConfiguration(base, { c: 2, ngrams: 1 }, linear);
    const linearTrainer = (await createTrainer('linear', linearChoice)) as LinearTrainer;
    assert.equal(linearTrainer.options.c, 2);
    assert.equal(linearTrainer.options.ngrams, 1);
    assert.equal(linearTrainer.options.loss, 'logistic');
    const neuralTrainer = (await createTrainer(
      'cnn',
      applyConfiguration(
        base,
        gridConfigurations(
          parseGrid('maxLen=200;learningRate=0.01;learningRateSchedule=linear', neural, 'cnn'),
        )[0],
        neural,
      ),
    )) as NeuralTrainer;
    assert.equal(neuralTrainer.hyperParameters.maxLen, 200);
    assert.equal(neuralTrainer.hyperParameters.learningRate, 0.01);
    assert.equal(neuralTrainer.hyperParameters.learningRateSchedule, 'linear');
    assert.equal(neuralTrainer.hyperParameters.epochs, 3);
    assert.deepEqual(base.neural.hyperParameters, { epochs: 3, maxLen: 100 }, 'the base is not changed');
  });

  it('sets fastText options, keeping the fixed ones', async () => {
    const fasttext = searchParameters('fasttext');
    const base = { fasttext: { buckets: 1000 } };
    const choice = applyConfiguration(base, { dim: 7, learningRate: 0.25, minCount: 2 }, fasttext);
    const trainer = (await createTrainer('fasttext', choice)) as FastTextTrainer;
    assert.deepEqual(
      [trainer.options.dim, trainer.options.learningRate, trainer.options.minCount, trainer.options.buckets],
      [7, 0.25, 2, 1000],
    );
    assert.throws(() => parseGrid('ngrams=6', fasttext, 'fasttext'), /ngrams/);
  });

  it('names the configuration a trainer refuses', async () => {
    const nb = searchParameters('nb');
    await assert.rejects(
      createTrainers(gridConfigurations(parseGrid('alpha=1;c=1', nb, 'nb')), (configuration) =>
        createTrainer('nb', applyConfiguration({}, configuration, nb)),
      ),
      (e: unknown) =>
        e instanceof OptionError && /^alpha=1 c=1: c does not apply to model "nb"/.test(e.message),
    );
  });
});

describe('runSearch', () => {
  it('scores every trial on the same validation slice of the training split, never the test split', async () => {
    const data: Dataset = { ...toyDataset(50), test: [{ text: 'never read', label: 'unknown' }] };
    const trainSets: string[][] = [];
    const spy = (configuration: { [key: string]: unknown }): Trainer => ({
      async fit(dataset) {
        trainSets.push(dataset.train.map((e) => e.text));
        assert.equal(dataset.test.length, 0);
        const p = configuration.c === 2 ? 0.9 : 0.6;
        const classifier: Classifier = {
          kind: 'spy',
          labels: dataset.labels,
          async predict(texts) {
            return texts.map((t) => {
              const pos = t.includes('good') ? p : 1 - p;
              return {
                label: pos > 0.5 ? 'pos' : 'neg',
                score: Math.max(pos, 1 - pos),
                scores: { neg: 1 - pos, pos },
              };
            });
          },
          async save() {},
          dispose() {},
        };
        return classifier;
      },
    });
    const configurations = gridConfigurations(parseGrid('c=1,2', linear, 'linear'));
    const ended: number[] = [];
    const result = await runSearch(spy, data, configurations, {
      validationSplit: 0.2,
      metric: 'logLoss',
      onTrialEnd: (trial) => ended.push(trial.trial),
    });
    assert.deepEqual(ended, [1, 2]);
    assert.equal(result.trainExamples, 40);
    assert.equal(result.validationExamples, 10);
    assert.deepEqual(trainSets[0], trainSets[1]);
    // Both rank perfectly; c=2 is surer of being right, so its log loss is lower.
    assert.equal(result.trials[0].metrics.accuracy, 1);
    assert.ok(Math.abs(result.trials[1].metrics.logLoss! + Math.log(0.9)) < 1e-9);
    assert.equal(result.bestTrial, 2);
  });

  it('trains real models', async () => {
    const configurations = gridConfigurations(parseGrid('alpha=0.5,1', searchParameters('nb'), 'nb'));
    const result = await runSearch(
      (c) => new LinearTrainer({ model: 'nb', minDf: 1, alpha: c.alpha as number }),
      toyDataset(40),
      configurations,
    );
    assert.equal(result.trials.length, 2);
    assert.ok(result.trials.every((t) => t.metrics.accuracy! > 0.8));
  });

  it('refuses a validation split that leaves nothing to score', async () => {
    await assert.rejects(
      runSearch(() => new LinearTrainer({ model: 'nb' }), toyDataset(10), [{}], { validationSplit: 0 }),
      /validation split in \(0, 1\)/,
    );
  });
});

describe('bestTrial', () => {
  const trial = (n: number, accuracy: number | null, logLoss: number): TrialResult => ({
    trial: n,
    configuration: {},
    metrics: { accuracy, precision: 0, recall: 0, f1: 0, macroF1: 0, rocAuc: accuracy, logLoss },
    seconds: 0,
  });

  it('takes the highest value, the lowest for log loss, the earliest on ties, never an undefined one', () => {
    const trials = [trial(1, null, 0.5), trial(2, 0.8, 0.3), trial(3, 0.9, 0.4), trial(4, 0.9, 0.3)];
    assert.equal(bestTrial(trials, 'accuracy'), 3);
    assert.equal(bestTrial(trials, 'logLoss'), 2);
    assert.equal(bestTrial(trials, 'rocAuc'), 3);
  });
});

// The generic integer parser, whose message other keys reuse.
describe('integer', () => {
  it('accepts digits within its range only', () => {
    assert.equal(integer(4).parse('4'), 4);
    assert.equal(integer(4).parse('3'), undefined);
    assert.equal(integer(1, 8).parse('9'), undefined);
    assert.equal(integer(1).parse('1e3'), undefined);
    assert.equal(integer(0).expected, 'an integer of at least 0');
  });
});
