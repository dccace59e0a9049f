import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { noisyToyDataset, toyDataset } from '../../helpers/toy.js';
import type { Dataset } from '../../../src/data/types.js';
import type { Classifier, Prediction, Trainer } from '../../../src/models/classifier.js';
import { EnsembleTrainer } from '../../../src/models/ensemble/ensemble-trainer.js';
import { loadClassifier } from '../../../src/models/load.js';
import { createTrainer, trainerOfSaved } from '../../../src/models/trainers.js';
import type { FastTextTrainer } from '../../../src/models/fasttext/fasttext-trainer.js';
import type { LinearTrainer } from '../../../src/models/linear/linear-trainer.js';
import type { EnsembleClassifier } from '../../../src/models/ensemble/ensemble.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-cross-fit-'));
after(() => rm(root, { recursive: true, force: true }));

const labels = ['neg', 'pos'] as const;

function prediction(pos: number): Prediction {
  return { label: pos >= 0.5 ? 'pos' : 'neg', score: Math.max(pos, 1 - pos), scores: { neg: 1 - pos, pos } };
}

/** A classifier of fixed scoring, saved nowhere: only the weights are under test. */
function scorer(kind: string, score: (text: string) => number): Classifier {
  return {
    kind,
    labels,
    predict: async (texts) => texts.map((t) => prediction(score(t))),
    save: async () => {},
    dispose: () => {},
  };
}

/** Remembers every training text's label and knows nothing else: perfect in sample, a coin outside. */
const memoriser: Trainer = {
  async fit(dataset: Dataset) {
    const seen = new Map(dataset.train.map((e) => [e.text, e.label]));
    return scorer('memoriser', (t) => (seen.has(t) ? (seen.get(t) === 'pos' ? 0.99 : 0.01) : 0.5));
  },
};

/** Reads the word that decides the toy label: right on every review whose label was not flipped. */
const honest: Trainer = {
  fit: async () => scorer('honest', (t) => (t.includes('good') ? 0.8 : 0.2)),
};

// A fifth of the labels flipped: only a member that memorised them gets them right.
const data = noisyToyDataset(200, 0.2);

async function ensembleOfSaved(weightFolds: number, seed: number): Promise<EnsembleClassifier> {
  // Saved members trained on the whole training split, as `--members DIR,DIR` gives them.
  const members = [
    { name: 'memoriser', classifier: await memoriser.fit(data), trainer: memoriser },
    { name: 'honest', classifier: await honest.fit(data), trainer: honest },
  ];
  return new EnsembleTrainer({ members, weightFolds }).fit(data, { seed });
}

describe('ensemble weights from out-of-fold predictions', () => {
  it('in-sample weights favour a member that memorised the training texts; out-of-fold weights do not', async () => {
    const heldOut = await ensembleOfSaved(0, 1);
    const [memorised, read] = heldOut.weights;
    assert.ok(memorised > read, `held-out slice the members saw: weights ${heldOut.weights}`);

    const crossFitted = await ensembleOfSaved(5, 1);
    assert.deepEqual(crossFitted.weights, [0, 1]);
    // Out of fold, the honest member is right on the unflipped reviews only.
    assert.ok(crossFitted.metrics!.oofAccuracy < 0.9 && crossFitted.metrics!.oofAccuracy > 0.7);
    assert.deepEqual(crossFitted.weighting, { method: 'out-of-fold', folds: 5, seed: 1, examples: 200 });
  });

  it('gives the same weights and out-of-fold scores for the same seed', async () => {
    const mixed: Trainer = {
      // A member whose out-of-fold score depends on which texts fall in which fold.
      async fit(dataset: Dataset) {
        const pos = dataset.train.filter((e) => e.label === 'pos').length / dataset.train.length;
        const seen = new Set(dataset.train.map((e) => e.text));
        return scorer('mixed', (t) => (seen.has(t) ? 0.5 : pos + (t.includes('good') ? 0.3 : -0.3)));
      },
    };
    const fit = (seed: number) =>
      new EnsembleTrainer({
        members: [
          { name: 'mixed', trainer: mixed },
          { name: 'honest', trainer: honest },
        ],
        weightFolds: 3,
      }).fit(data, { seed });
    const [a, b] = [await fit(9), await fit(9)];
    assert.deepEqual(a.weights, b.weights);
    assert.deepEqual(a.metrics, b.metrics);
  });

  it('refuses a trained member without a trainer to cross-fit it, and one fold', () => {
    const members = [{ classifier: scorer('x', () => 0.5) }, { name: 'honest', trainer: honest }];
    assert.throws(() => new EnsembleTrainer({ members }), /member 1 is a trained model without a trainer/);
    assert.doesNotThrow(() => new EnsembleTrainer({ members, weightFolds: 0 }));
    assert.throws(
      () => new EnsembleTrainer({ members: [members[1], members[1]], weightFolds: 1 }),
      /weightFolds must be 0 or an integer from 2 to 20, got 1/,
    );
  });
});

describe('saved members trained again', () => {
  it('a saved linear model gives a trainer with the options it was trained with', async () => {
    const trainer = (await createTrainer('nbsvm', {
      linear: { minDf: 1, ngrams: 2, c: 2 },
    })) as LinearTrainer;
    const model = await trainer.fit(toyDataset(40), { seed: 1 });
    const dir = join(root, 'nbsvm');
    await model.save(dir);
    model.dispose();
    const again = (await trainerOfSaved(dir)) as LinearTrainer;
    assert.deepEqual(again.options, trainer.options);
  });

  it('so does a saved fastText model', async () => {
    const trainer = (await createTrainer('fasttext', {
      fasttext: { dim: 8, epochs: 2, ngrams: 1, buckets: 1000 },
    })) as FastTextTrainer;
    const model = await trainer.fit(toyDataset(40), { seed: 1 });
    const dir = join(root, 'fasttext');
    await model.save(dir);
    model.dispose();
    assert.deepEqual(((await trainerOfSaved(dir)) as FastTextTrainer).options, trainer.options);
  });

  it('an ensemble of a saved model and a fresh one records how its weights were learnt', async () => {
    const dir = join(root, 'nbsvm');
    const trainer = await createTrainer('ensemble', { members: [dir, 'nb'], weightFolds: 2 });
    const ensemble = (await trainer.fit(toyDataset(40), { seed: 4 })) as EnsembleClassifier;
    const out = join(root, 'ensemble');
    await ensemble.save(out);
    ensemble.dispose();
    const manifest = JSON.parse(await readFile(join(out, 'polarity.json'), 'utf8'));
    assert.deepEqual(manifest.hyperParameters.weighting, {
      method: 'out-of-fold',
      folds: 2,
      seed: 4,
      examples: 40,
    });
    assert.ok('oofLogLoss' in manifest.metrics);
    const loaded = (await loadClassifier(out)) as EnsembleClassifier;
    assert.deepEqual(loaded.weighting, manifest.hyperParameters.weighting);
    loaded.dispose();
  });
});
