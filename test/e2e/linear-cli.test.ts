import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-linear-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args);
}

describe('linear models and ensembles from the command line', () => {
  const nbsvm = join(root, 'nbsvm');

  it('trains nbsvm, evaluates it and explains a prediction with n-grams', async () => {
    const train = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nbsvm',
      '--out',
      nbsvm,
      '--seed',
      '3',
    );
    assert.equal(train.code, 0, train.stderr);
    const evaluation = await polarity('evaluate', '--model', nbsvm, '--data', IMDB_SAMPLE, '--json');
    assert.equal(evaluation.code, 0, evaluation.stderr);
    assert.ok((JSON.parse(evaluation.stdout) as { accuracy: number }).accuracy > 0.75);

    const text = 'a wonderful film, the best I have seen this year, but the ending was awful';
    const explain = await polarity('explain', '--model', nbsvm, '--top', '3', text);
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /^(pos|neg) \(0\.\d{4}\)\npushed towards (pos|neg):\n/);
    const json = await polarity('explain', '--model', nbsvm, '--json', text);
    const parsed = JSON.parse(json.stdout) as {
      label: string;
      attributions: { token: string; weight: number }[];
    };
    const weightOf = (token: string) => parsed.attributions.find((a) => a.token === token)?.weight ?? 0;
    // Relative to the predicted label, "wonderful" and "awful" must push opposite ways.
    assert.ok(weightOf('wonderful') * weightOf('awful') < 0, JSON.stringify(parsed.attributions.slice(0, 8)));
  });

  it('trains an ensemble of a fresh linear model and the saved nbsvm', async () => {
    const dir = join(root, 'ensemble');
    const train = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'ensemble',
      '--members',
      `linear,${nbsvm}`,
      '--out',
      dir,
    );
    assert.equal(train.code, 0, train.stderr);
    const evaluation = await polarity('evaluate', '--model', dir, '--data', IMDB_SAMPLE, '--json');
    assert.equal(evaluation.code, 0, evaluation.stderr);
    assert.ok((JSON.parse(evaluation.stdout) as { accuracy: number }).accuracy > 0.75);
  });

  it('refuses flags of another model family', async () => {
    const epochs = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nbsvm',
      '--epochs',
      '3',
      '--out',
      join(root, 'x'),
    );
    assert.equal(epochs.code, 1);
    assert.match(epochs.stderr, /--epochs does not apply to --model nbsvm/);
    const c = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'cnn',
      '--c',
      '2',
      '--out',
      join(root, 'x'),
    );
    assert.match(c.stderr, /--c does not apply to --model cnn/);
    const cForNb = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nb',
      '--c',
      '2',
      '--out',
      join(root, 'x'),
    );
    assert.match(cForNb.stderr, /c does not apply to model "nb"/);
  });
});
