import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '', POLARITY_CACHE: join(root, 'cache') });
}

describe('polarity CLI end to end on the IMDB sample', () => {
  const model = join(root, 'cnn');

  it('trains, evaluates (--json) and predicts raw text and files', async () => {
    const train = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'cnn',
      '--out',
      model,
      '--epochs',
      '3',
      '--num-words',
      '1000',
      '--max-len',
      '100',
      '--batch-size',
      '32',
      '--validation-split',
      '0.2',
      '--backend',
      'wasm',
    );
    assert.equal(train.code, 0, train.stderr);
    assert.match(train.stderr, /backend: wasm/);
    assert.match(train.stderr, /Epoch 3\/3/);
    assert.match(train.stderr, /val_accuracy: \d\.\d{4}/);

    const evaluation = await polarity('evaluate', '--model', model, '--data', IMDB_SAMPLE, '--json');
    assert.equal(evaluation.code, 0, evaluation.stderr);
    const report = JSON.parse(evaluation.stdout) as {
      accuracy: number;
      examples: number;
      confusion: number[][];
    };
    assert.equal(report.examples, 500);
    assert.ok(report.accuracy > 0.6, `accuracy ${report.accuracy}`);
    assert.equal(
      report.confusion.flat().reduce((a, b) => a + b, 0),
      500,
    );

    const predict = await polarity(
      'predict',
      '--model',
      model,
      '--json',
      'a wonderful, moving film',
      'awful and boring',
    );
    assert.equal(predict.code, 0, predict.stderr);
    const lines = predict.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; label: string; scores: Record<string, number> });
    assert.deepEqual(
      lines.map((l) => l.text),
      ['a wonderful, moving film', 'awful and boring'],
    );
    for (const line of lines) assert.ok(Math.abs(line.scores.neg + line.scores.pos - 1) < 1e-6);

    const jsonl = join(root, 'in.jsonl');
    await writeFile(
      jsonl,
      ['{"text":"great"}', '{"text":"terrible"}', '', '{"text":"a wonderful, moving film"}'].join('\n'),
    );
    const fromFile = await polarity('predict', '--model', model, '--input', jsonl);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const out = fromFile.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { label: string; score: number });
    // One row per input line: the blank one is there, skipped.
    assert.equal(out.length, 4);
    assert.deepEqual(out[2], { line: 3, label: null, score: null, scores: null, skipped: 'empty text' });
    assert.deepEqual(out[3], {
      line: 4,
      label: lines[0].label,
      score: (lines[0] as unknown as { score: number }).score,
      scores: lines[0].scores,
    });
  });

  it('reports bad input clearly', async () => {
    const missing = await polarity('evaluate', '--model', join(root, 'nope'), '--data', IMDB_SAMPLE);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /error: .*nope: model directory does not exist/);

    const badJsonl = join(root, 'bad.jsonl');
    await writeFile(badJsonl, '{"text":"ok"}\n{"txt":"no"}\n');
    const bad = await polarity('predict', '--model', model, '--input', badJsonl);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.jsonl:2: expected a JSON object with a string "text" field/);

    const flag = await polarity('train', '--data', IMDB_SAMPLE, '--out', join(root, 'x'), '--epochs', 'two');
    assert.notEqual(flag.code, 0);
    assert.match(flag.stderr, /expected a positive integer, got "two"/);
  });

  it('prints dataset statistics as a table and as JSON', async () => {
    const table = await polarity('stats', '--data', IMDB_SAMPLE);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /reviews\s+2,000\s+500\s+2,500/);
    const json = await polarity('stats', '--data', IMDB_SAMPLE, '--json');
    const stats = JSON.parse(json.stdout) as { train: { reviews: number }; all: { reviews: number } };
    assert.equal(stats.train.reviews, 2000);
    assert.equal(stats.all.reviews, 2500);
  });

  it('prints the Keras-style summary and explains 3,104 in --help', async () => {
    const summary = await polarity('summary', '--model', 'cnn');
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /conv1d \(Conv1D\)\s+\(None, 500, 32\)\s+3,104/);
    const mlp = await polarity('summary', '--model', 'mlp');
    assert.match(mlp.stdout, /embedding \(Embedding\)\s+\(None, 500, 32\)\s+160,000/);
    assert.match(mlp.stdout, /hidden \(Dense\)\s+\(None, 250\)\s+4,000,250/);
    assert.match(mlp.stdout, /output \(Dense\)\s+\(None, 1\)\s+251/);
    const help = await polarity('summary', '--help');
    assert.match(help.stdout, /3 positions × 32 inputs\) \+ 32 biases\s+= 3,104/);
  });
});
