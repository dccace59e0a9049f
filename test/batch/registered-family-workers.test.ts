/**
 * A family registered with `registerFamily(entry, { module })` scores on worker threads too: each
 * worker imports the registering module before it loads the model. Without the module a worker
 * starts with the built-in table only and cannot load the model.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScoringPool } from '../../src/batch/scoring-pool.js';
import { main } from '../../src/cli/main.js';
import { OptionError } from '../../src/errors.js';
import { familyModules, registerFamily, unregisterFamily } from '../../src/models/families.js';
import type { Prediction } from '../../src/models/classifier.js';
import { createTrainer } from '../../src/models/trainers.js';
import { wordVoteFamily } from '../helpers/toy-family/family.js';
import { WORD_VOTE_KIND } from '../helpers/toy-family/word-vote.js';
import { toyDataset } from '../helpers/toy.js';

const REGISTER = new URL('../helpers/toy-family/register.ts', import.meta.url).href;

/** This thread's scorer, kept busy for ever: every chunk after the first must go to a worker. */
const neverLocal = () => new Promise<Prediction[]>(() => {});

/** Scores two chunks on a pool of one worker whose local scorer never finishes: the second is the worker's. */
async function scoreOnWorker(model: string): Promise<Prediction[]> {
  const pool = new ScoringPool({ model, workers: 1 }, neverLocal);
  try {
    void pool.score(['held by this thread']);
    return await pool.score(['a good fine film', 'a bad awful film']);
  } finally {
    await pool.close();
  }
}

describe('a registered family on worker threads', () => {
  let dir: string;
  let model: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-registered-workers-'));
    registerFamily(wordVoteFamily);
    const trainer = await createTrainer(WORD_VOTE_KIND, {});
    const classifier = await trainer.fit(toyDataset(40), { seed: 1 });
    model = join(dir, 'model');
    await classifier.save(model);
    unregisterFamily(wordVoteFamily.family);
  });
  after(async () => {
    unregisterFamily(wordVoteFamily.family);
    await rm(dir, { recursive: true, force: true });
  });

  it('is unknown to a worker when registered without its module', async () => {
    registerFamily(wordVoteFamily);
    try {
      assert.deepEqual(familyModules(), []);
      await assert.rejects(scoreOnWorker(model), /word-vote/);
    } finally {
      unregisterFamily(wordVoteFamily.family);
    }
  });

  it('scores on a worker once its registering module is named', async () => {
    await import(REGISTER);
    assert.deepEqual(familyModules(), [REGISTER]);
    const predictions = await scoreOnWorker(model);
    assert.deepEqual(
      predictions.map((p) => p.label),
      ['pos', 'neg'],
    );
  });

  it('scores through predict --workers 2', async () => {
    await import(REGISTER); // registered already by the test above: a module is imported once
    const input = join(dir, 'texts.txt');
    const output = join(dir, 'predictions.jsonl');
    await writeFile(
      input,
      Array.from({ length: 200 }, (_, i) => (i % 2 ? 'a good fine film' : 'a bad awful film')).join('\n'),
    );
    const status = await main([
      'predict',
      '--model',
      model,
      '--input',
      input,
      '--output',
      output,
      '--workers',
      '2',
    ]);
    assert.equal(status, 0);
    const labels = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { label: string }).label);
    assert.equal(labels.length, 200);
    assert.deepEqual(labels.slice(0, 2), ['neg', 'pos']);
  });

  it('refuses a module that is not an absolute URL', () => {
    const other = { ...wordVoteFamily, family: 'toy-relative', models: () => ['toy-relative-model'] };
    assert.throws(() => registerFamily(other, { module: './register.ts' }), OptionError);
  });
});
