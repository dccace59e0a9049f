/**
 * The family table (src/models/families.ts): a toy family from one folder (test/helpers/toy-family/)
 * registered with one call is trained, saved, loaded, scored and summarised through the same look-ups
 * the CLI, search, cross-validation and the loader use; `polarity train`, `summary`, `cv` and `search`
 * find it, its one declared option is a flag in --help and a grid key, and the service serves it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildProgram, main } from '../../src/cli/main.js';
import { createService } from '../../src/serve/server.js';
import { OptionError } from '../../src/errors.js';
import {
  families,
  familyNeedsBackend,
  familyOfKind,
  familyOfModel,
  registerFamily,
  unregisterFamily,
} from '../../src/models/families.js';
import { loadClassifier } from '../../src/models/load.js';
import { NEURAL_MODELS } from '../../src/models/neural/architecture-names.js';
import { modelNames } from '../../src/models/neural/registry.js';
import {
  createTrainer,
  modelFamily,
  trainableModels,
  type TrainerChoice,
} from '../../src/models/trainers.js';
import { readManifest } from '../../src/persist/model-dir.js';
import { wordVoteFamily } from '../helpers/toy-family/family.js';
import { WORD_VOTE_KIND } from '../helpers/toy-family/word-vote.js';
import { captureStdout } from '../helpers/cli.js';
import { toyDataset } from '../helpers/toy.js';

const TEXTS = ['a good fine film', 'a bad awful film'];

/** Runs the CLI in-process (so that it sees the registered family), returning status and stdout. */
async function polarity(...argv: string[]): Promise<{ status: number; stdout: string }> {
  const { result: status, stdout } = await captureStdout(() => main(argv));
  return { status, stdout };
}

describe('the family table', () => {
  it('lists the built-in families in the order --model lists their models', () => {
    assert.deepEqual(
      families().map((f) => f.family),
      ['neural', 'linear', 'fasttext', 'docvec', 'ensemble'],
    );
    assert.deepEqual(trainableModels(), [
      ...NEURAL_MODELS,
      'nb',
      'linear',
      'nbsvm',
      'fasttext',
      'docvec',
      'ensemble',
    ]);
    assert.equal(modelFamily('bilstm'), 'neural');
    assert.equal(modelFamily('nbsvm'), 'linear');
    assert.equal(familyOfKind('fasttext')?.family, 'fasttext');
    assert.equal(familyOfModel('no-such-model'), undefined);
    assert.throws(() => modelFamily('no-such-model'), OptionError);
  });

  it('names the networks without TF.js exactly as the registry does', () => {
    assert.deepEqual([...NEURAL_MODELS], modelNames());
  });

  it('says which families need the TensorFlow.js backend', () => {
    assert.deepEqual(
      families().map((f) => [f.family, familyNeedsBackend(f.family)]),
      [
        ['neural', true],
        ['linear', false],
        ['fasttext', false],
        ['docvec', false],
        ['ensemble', true],
      ],
    );
  });
});

describe('a toy family registered from one folder', () => {
  let dir: string;
  before(async () => {
    registerFamily(wordVoteFamily);
    dir = await mkdtemp(join(tmpdir(), 'polarity-families-'));
  });
  after(async () => {
    unregisterFamily(wordVoteFamily.family);
    await rm(dir, { recursive: true, force: true });
  });

  it('is found by model name and by manifest kind', () => {
    assert.ok(trainableModels().includes(WORD_VOTE_KIND));
    assert.equal(modelFamily(WORD_VOTE_KIND), 'toy');
    assert.equal(familyOfKind(WORD_VOTE_KIND), wordVoteFamily);
    assert.equal(familyNeedsBackend('toy'), false);
  });

  it('refuses a second family of the same name or with a taken model name', () => {
    assert.throws(() => registerFamily(wordVoteFamily), /already registered/);
    assert.throws(() => registerFamily({ ...wordVoteFamily, family: 'toy2', models: () => ['nb'] }), /nb/);
  });

  it('trains through createTrainer, saves, loads through loadClassifier and predicts the same', async () => {
    const choice = { wordVote: { smoothing: 0.5 } } as TrainerChoice;
    const trainer = await createTrainer(WORD_VOTE_KIND, choice);
    const classifier = await trainer.fit(toyDataset(20), { seed: 1 });
    const predictions = await classifier.predict(TEXTS);
    assert.deepEqual(
      predictions.map((p) => p.label),
      ['pos', 'neg'],
    );
    const saved = join(dir, 'model');
    await classifier.save(saved);
    assert.equal((await readManifest(saved)).kind, WORD_VOTE_KIND);
    const loaded = await loadClassifier(saved);
    assert.deepEqual(await loaded.predict(TEXTS), predictions);
    const summary = await familyOfKind(loaded.kind)?.summarise?.(loaded);
    assert.match(summary?.text ?? '', /^word-vote: \d+ words, 2 labels$/);
  });

  it('is trained by `polarity train` and described by `polarity summary`', async () => {
    const data = join(dir, 'reviews.jsonl');
    const rows = toyDataset(20).train.map((e) => JSON.stringify(e));
    await writeFile(data, rows.join('\n') + '\n');
    const out = join(dir, 'cli-model');
    const train = await polarity('train', '--model', WORD_VOTE_KIND, '--data', data, '--out', out);
    assert.equal(train.status, 0);
    const loaded = await loadClassifier(out);
    assert.deepEqual(
      (await loaded.predict(TEXTS)).map((p) => p.label),
      ['pos', 'neg'],
    );
    const summary = await polarity('summary', '--model', out, '--backend', 'cpu');
    assert.equal(summary.status, 0);
    assert.match(summary.stdout, /^word-vote: \d+ words, 2 labels\n$/);
  });

  it('shows its model and its declared option in --help, and is cross-validated and searched', async () => {
    const help = await polarity('train', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, new RegExp(`"${WORD_VOTE_KIND}"`));
    assert.match(help.stdout, /--smoothing <x>\s+\[word-vote\] counts added to every word and\s+label/);
    const data = join(dir, 'cv.jsonl');
    await writeFile(
      data,
      toyDataset(30)
        .train.map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    const cv = await polarity(
      'cv',
      '--model',
      WORD_VOTE_KIND,
      '--data',
      data,
      '--folds',
      '3',
      '--smoothing',
      '0.5',
      '--json',
    );
    assert.equal(cv.status, 0);
    const folds = (JSON.parse(cv.stdout) as { folds: unknown[] }).folds;
    assert.equal(folds.length, 3);
    const search = await polarity(
      'search',
      '--model',
      WORD_VOTE_KIND,
      '--data',
      data,
      '--grid',
      'smoothing=0.5,2',
      '--json',
    );
    assert.equal(search.status, 0);
    const trials = (JSON.parse(search.stdout) as { trials: { configuration: Record<string, unknown> }[] })
      .trials;
    assert.deepEqual(
      trials.map((t) => t.configuration.smoothing),
      [0.5, 2],
    );
  });

  it("declares the run controls it reads: train streams its data, refuses the others' and tags --help", async () => {
    const data = join(dir, 'stream.jsonl');
    await writeFile(
      data,
      toyDataset(20)
        .train.map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    const streamed = join(dir, 'streamed');
    const train = await polarity(
      'train',
      '--model',
      WORD_VOTE_KIND,
      '--data',
      data,
      '--stream',
      '--out',
      streamed,
    );
    assert.equal(train.status, 0);
    const whole = await (await createTrainer(WORD_VOTE_KIND, {})).fit(toyDataset(20));
    const loaded = await loadClassifier(streamed);
    assert.deepEqual(await loaded.predict(TEXTS), await whole.predict(TEXTS));
    for (const flags of [
      ['--validation-split', '0.2'],
      ['--early-stopping', '1'],
      ['--checkpoint', join(dir, 'ck')],
      ['--report', join(dir, 'report')],
    ]) {
      const refused = await polarity(
        'train',
        '--model',
        WORD_VOTE_KIND,
        '--data',
        data,
        '--out',
        join(dir, 'x'),
        ...flags,
      );
      assert.equal(refused.status, 1, flags[0]);
    }
    const help = await polarity('train', '--help');
    assert.match(help.stdout, /--stream\s+\[nb, linear, nbsvm, word-vote\] read --data/);
    assert.match(help.stdout, /--validation-split <f>\s+\[neural, fasttext, ensemble\] fraction/);
  });

  it('is listed under "Model families:" by a program built before it was registered', async () => {
    unregisterFamily(wordVoteFamily.family);
    const program = await buildProgram();
    registerFamily(wordVoteFamily);
    const train = program.commands.find((command) => command.name() === 'train');
    let text = '';
    train?.configureOutput({ writeOut: (chunk) => (text += chunk) });
    train?.outputHelp();
    assert.match(text, /Model families:[^]*\n {2}word-vote {5}each word votes for the labels/);
  });

  it('is served like any other model', async () => {
    const saved = join(dir, 'served');
    const classifier = await (await createTrainer(WORD_VOTE_KIND, {})).fit(toyDataset(20), { seed: 1 });
    await classifier.save(saved);
    const loaded = await loadClassifier(saved);
    const app = await createService(loaded, await readManifest(saved));
    try {
      const response = await app.inject({ method: 'POST', url: '/v1/predict', payload: { texts: TEXTS } });
      assert.equal(response.statusCode, 200);
      const body = response.json<{ predictions: { label: string }[] }>();
      assert.deepEqual(
        body.predictions.map((p) => p.label),
        ['pos', 'neg'],
      );
    } finally {
      await app.close();
      loaded.dispose();
    }
  });
});
