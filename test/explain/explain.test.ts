import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  explainText,
  occlusionAttributions,
  spreadOverWords,
  textWords,
  withoutWord,
} from '../../src/explain/index.js';
import type { Classifier, Prediction } from '../../src/models/classifier.js';
import { loadClassifier } from '../../src/models/load.js';
import { tokenize } from '../../src/text/sequences/tokenize.js';
import { runPolarity } from '../helpers/cli.js';
import { imdbSample } from '../helpers/fixtures.js';
import { saveSampleNbsvm, saveToyMlp, TOY_POSITIVE } from '../helpers/models.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-explain-'));
const nbsvmDir = join(root, 'nbsvm');
const mlpDir = join(root, 'mlp');
before(() => Promise.all([saveSampleNbsvm(nbsvmDir), saveToyMlp(mlpDir)]));
after(() => rm(root, { recursive: true, force: true }));

/** A model whose probability of "pos" is the logistic of (#good − #bad): easy to reason about. */
function countingModel(): Classifier & { calls: number } {
  const model = {
    kind: 'counting',
    labels: ['neg', 'pos'] as const,
    calls: 0,
    async predict(texts: readonly string[]): Promise<Prediction[]> {
      model.calls++;
      return texts.map((text) => {
        const tokens = tokenize(text);
        const margin = tokens.filter((t) => t === 'good').length - tokens.filter((t) => t === 'bad').length;
        const pos = 1 / (1 + Math.exp(-margin));
        const label = pos >= 0.5 ? 'pos' : 'neg';
        return { label, score: Math.max(pos, 1 - pos), scores: { neg: 1 - pos, pos } };
      });
    },
    async save() {},
    dispose() {},
  };
  return model;
}

describe('textWords', () => {
  it('gives exactly the tokens of the whole text, on every review of the fixture', async () => {
    const dataset = await imdbSample();
    for (const { text } of [...dataset.train, ...dataset.test]) {
      assert.deepEqual(
        textWords(text).flatMap((w) => w.tokens),
        tokenize(text),
      );
    }
  });

  it('points at the words as written, around tags, references and punctuation', () => {
    const text = 'A well-made film<br /><br />Dvo&#345;ák&apos;s <a href="x y">score</a> — “great”!';
    const words = textWords(text);
    assert.deepEqual(
      words.map((w) => text.slice(w.start, w.end)),
      ['A', 'well-made', 'film', 'Dvo&#345;ák&apos;s', 'score', '“great”!'],
    );
    assert.deepEqual(words[1].tokens, ['well', 'made']);
    assert.deepEqual(words[3].tokens, ["dvořák's"]);
    assert.deepEqual(
      words.flatMap((w) => w.tokens),
      tokenize(text),
    );
  });
});

describe('spreadOverWords', () => {
  it('shares each n-gram between its occurrences and its tokens, keeping the total', () => {
    const words = textWords('not good, not good at all');
    const spread = spreadOverWords(words, [
      { token: 'not good', weight: -2 },
      { token: 'all', weight: 0.5 },
      { token: 'absent', weight: 9 },
    ]);
    // "not good" occurs twice: each occurrence gets -1, half for "not" and half for "good".
    assert.deepEqual(
      spread.map((w) => w.weight),
      [-0.5, -0.5, -0.5, -0.5, 0, 0.5],
    );
  });
});

describe('occlusion', () => {
  it('weighs each word by the drop in the predicted probability without it, in one call to predict', async () => {
    const model = countingModel();
    const text = 'good film, bad plot; good cast';
    const { prediction, words } = await occlusionAttributions((texts) => model.predict(texts), text);
    assert.equal(model.calls, 1);
    assert.equal(prediction.label, 'pos');
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    // The margin is 1; without a "good" it is 0, without "bad" 2, without any other word still 1.
    const expected = ['good', 'film', 'bad', 'plot', 'good', 'cast'].map((word) =>
      word === 'good' ? sigmoid(1) - sigmoid(0) : word === 'bad' ? sigmoid(1) - sigmoid(2) : 0,
    );
    assert.deepEqual(
      words.map((w) => w.weight),
      expected,
    );
  });

  it('cuts one word out and keeps its neighbours apart', () => {
    const text = 'one two three';
    const [, two] = textWords(text);
    assert.equal(withoutWord(text, two), 'one   three');
  });
});

describe('explainText', () => {
  it('uses a linear model’s own n-gram weights, spread over the words', async () => {
    const classifier = await loadClassifier(nbsvmDir);
    const text = 'A wonderful film with a superb cast, but the ending was awful and boring.';
    const explanation = await explainText(classifier, text);
    assert.equal(explanation.method, 'model');
    const [prediction] = await classifier.predict([text]);
    assert.deepEqual(explanation.prediction, prediction);
    const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
    assert.ok(
      Math.abs(
        total(explanation.words.map((w) => w.weight)) - total(explanation.attributions.map((a) => a.weight)),
      ) < 1e-9,
    );
    const weightOf = (word: string) =>
      explanation.words.find((w) => text.slice(w.start, w.end) === word)?.weight;
    assert.ok((weightOf('wonderful') ?? 0) * (weightOf('awful') ?? 0) < 0);
    classifier.dispose();
  });

  it('explains a neural model by occlusion', async () => {
    const classifier = await loadClassifier(mlpDir);
    const explanation = await explainText(classifier, TOY_POSITIVE);
    assert.equal(explanation.method, 'occlusion');
    assert.equal(explanation.prediction.label, 'pos');
    assert.equal(explanation.words.length, tokenize(TOY_POSITIVE).length);
    // Each weight is the probability lost without that word, whether scored in one batch or alone.
    for (const word of explanation.words) {
      const [without] = await classifier.predict([withoutWord(TOY_POSITIVE, word)]);
      const expected = explanation.prediction.score - without.scores.pos;
      assert.ok(
        Math.abs(word.weight - expected) < 1e-6,
        `${word.tokens.join(' ')}: ${word.weight} vs ${expected}`,
      );
    }
    classifier.dispose();
  });

  it('polarity explain lists the words of a neural model', async () => {
    const result = await runPolarity(['explain', '--model', mlpDir, '--json', TOY_POSITIVE]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as { label: string; method: string; attributions: unknown[] };
    assert.equal(parsed.method, 'occlusion');
    assert.equal(parsed.label, 'pos');
    assert.equal(parsed.attributions.length, 6);
  });
});
