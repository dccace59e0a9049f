import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toyDataset } from '../../helpers/toy.js';
import { initBackend } from '../../../src/engine/index.js';
import { EnsembleClassifier, mixPredictions } from '../../../src/models/ensemble/ensemble.js';
import { loadClassifier } from '../../../src/models/load.js';
import { learnEnsembleWeights } from '../../../src/models/ensemble/ensemble-weights.js';
import { createTrainer } from '../../../src/models/trainers.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-ensemble-'));
before(() => initBackend({ backend: 'wasm' }));
after(() => rm(root, { recursive: true, force: true }));

const toy = toyDataset(80);
const small = {
  hyperParameters: { numWords: 40, maxLen: 12, hiddenUnits: 8, epochs: 6, batchSize: 16, learningRate: 0.01 },
};

describe('learnEnsembleWeights', () => {
  it('puts all the weight on a perfect member when the other guesses', () => {
    const truth = Int32Array.from([0, 1, 0, 1]);
    const perfect = Float64Array.from([0.9, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.9]);
    const coin = Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const result = learnEnsembleWeights([coin, perfect], truth, 2);
    assert.deepEqual(result.weights, [0, 1]);
    assert.equal(result.accuracy, 1);
  });

  it('mixes two complementary members', () => {
    // Member A is right and confident on examples 0-1, unsure on 2-3; member B the other way round.
    const truth = Int32Array.from([0, 1, 0, 1]);
    const a = Float64Array.from([0.95, 0.05, 0.05, 0.95, 0.4, 0.6, 0.6, 0.4]);
    const b = Float64Array.from([0.4, 0.6, 0.6, 0.4, 0.95, 0.05, 0.05, 0.95]);
    const { weights, accuracy } = learnEnsembleWeights([a, b], truth, 2);
    assert.ok(Math.abs(weights[0] - 0.5) < 1e-9, `weights ${weights}`);
    assert.equal(accuracy, 1);
  });
});

describe('mixPredictions', () => {
  it('averages member probabilities with the weights', () => {
    const p = mixPredictions(
      ['neg', 'pos'],
      [
        { label: 'pos', score: 0.8, scores: { neg: 0.2, pos: 0.8 } },
        { label: 'neg', score: 0.6, scores: { neg: 0.6, pos: 0.4 } },
      ],
      [0.2, 0.8],
    );
    assert.equal(p.label, 'neg');
    assert.ok(Math.abs(p.scores.neg - (0.2 * 0.2 + 0.8 * 0.6)) < 1e-12);
    assert.ok(Math.abs(p.scores.neg + p.scores.pos - 1) < 1e-12);
  });
});

describe('ensemble training and persistence', () => {
  it('trains fresh and saved members, saves as one directory, and loads to identical predictions', async () => {
    const savedMember = await (await createTrainer('cnn', { neural: small })).fit(toy, { seed: 3 });
    const memberDir = join(root, 'member-cnn');
    await savedMember.save(memberDir);
    savedMember.dispose();

    const trainer = await createTrainer('ensemble', {
      neural: small,
      members: ['mlp', memberDir],
      weightFolds: 2,
    });
    const ensemble = (await trainer.fit(toy, { seed: 1 })) as EnsembleClassifier;
    assert.deepEqual(
      ensemble.members.map((m) => m.kind),
      ['mlp', 'cnn'],
    );
    assert.ok(Math.abs(ensemble.weights.reduce((a, b) => a + b, 0) - 1) < 1e-9);

    const dir = join(root, 'ensemble');
    await ensemble.save(dir);
    const loaded = await loadClassifier(dir);
    const texts = ['a good fine film number 99', 'a bad awful film number 98', 'film'];
    assert.deepEqual(await loaded.predict(texts), await ensemble.predict(texts));
    const [pos, neg] = await loaded.predict(texts.slice(0, 2));
    assert.equal(pos.label, 'pos');
    assert.equal(neg.label, 'neg');
    loaded.dispose();
    ensemble.dispose();

    // A member file swapped for something else is caught by the ensemble's own manifest.
    await writeFile(join(dir, 'members', '0', 'vocabulary.json'), '{}');
    await assert.rejects(loadClassifier(dir), /members\/0\/vocabulary\.json/);
  });

  it('rejects fewer than two members, unknown members and nested ensembles', async () => {
    await assert.rejects(createTrainer('ensemble', { members: ['mlp'] }), /at least two/);
    await assert.rejects(createTrainer('ensemble', { members: ['mlp', 'svm9'] }), /unknown model "svm9"/);
    await assert.rejects(
      createTrainer('ensemble', { members: ['mlp', 'ensemble'] }),
      /cannot have an ensemble member/,
    );
  });
});
