import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';
import { parseSvg, pngSize } from '../report/helpers.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-report-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '', POLARITY_CACHE: join(root, 'cache') });
}

/** Checks every chart of a report directory (SVG, PNG) and that index.html refers to exactly its files. */
async function checkReport(dir: string, charts: string[], tables: string[]): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f !== 'polarity.json');
  assert.equal(
    (JSON.parse(await readFile(join(dir, 'polarity.json'), 'utf8')) as { format: string }).format,
    'polarity-report',
  );
  const expected = [
    'index.html',
    ...charts.flatMap((c) => [`${c}.svg`, `${c}.png`, `${c}.vl.json`]),
    ...tables.map((t) => `${t}.csv`),
  ];
  assert.deepEqual(files.sort(), expected.sort());
  for (const name of charts) {
    parseSvg(await readFile(join(dir, `${name}.svg`), 'utf8'));
    const { width, height } = pngSize(await readFile(join(dir, `${name}.png`)));
    assert.ok(
      width >= 300 && width <= 3000 && height >= 200 && height <= 3000,
      `${name}.png ${width}×${height}`,
    );
  }
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const references = new Set([...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]));
  assert.deepEqual(references, new Set(expected.filter((f) => f !== 'index.html')));
  return html;
}

describe('--report', () => {
  it('stats --report writes the dataset charts and tables, and still prints the statistics', async () => {
    const dir = join(root, 'stats');
    const result = await polarity('stats', '--data', IMDB_SAMPLE, '--report', dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /length median/);
    assert.match(
      result.stderr,
      /wrote report to .*: 5 charts \(SVG, PNG\), 3 tables \(CSV\); open .*index\.html/,
    );
    assert.doesNotMatch(result.stderr, /warning/);
    const html = await checkReport(
      dir,
      ['label-balance', 'length-histogram', 'length-boxplot', 'frequent-words', 'typical-words'],
      ['statistics', 'length-by-label', 'typical-words'],
    );
    assert.match(html, /<code>polarity stats --data \S*imdb-sample\.tar\.gz --report \S+<\/code>/);
    const csv = await readFile(join(dir, 'statistics.csv'), 'utf8');
    assert.match(csv, /^,train,test,all\nreviews,2000,500,2500\n/);
  });

  it('train --report writes the training curves; evaluate --report the confusion matrix and ROC curve', async () => {
    const model = join(root, 'mlp');
    const trained = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'mlp',
      '--out',
      model,
      '--epochs',
      '2',
      '--num-words',
      '500',
      '--max-len',
      '50',
      '--validation-split',
      '0.2',
      '--report',
      join(root, 'train-report'),
    );
    assert.equal(trained.code, 0, trained.stderr);
    await checkReport(join(root, 'train-report'), ['training-curves'], ['epochs', 'settings']);
    const epochs = (await readFile(join(root, 'train-report', 'epochs.csv'), 'utf8')).trim().split('\n');
    assert.equal(epochs[0], 'epoch,loss,accuracy,val_loss,val_accuracy,seconds');
    assert.deepEqual(
      epochs.slice(1).map((line) => line.split(',')[0]),
      ['1', '2'],
    );

    const evaluated = await polarity(
      'evaluate',
      '--model',
      model,
      '--data',
      IMDB_SAMPLE,
      '--report',
      join(root, 'eval'),
    );
    assert.equal(evaluated.code, 0, evaluated.stderr);
    await checkReport(join(root, 'eval'), ['confusion-matrix', 'roc-curve'], ['scores', 'per-label']);
    const scores = await readFile(join(root, 'eval', 'scores.csv'), 'utf8');
    assert.match(scores, /\nROC AUC,0\.\d+\n/);
  });

  it('cv --report and search --report write their charts and tables', async () => {
    const cv = await polarity(
      'cv',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nb',
      '--folds',
      '2',
      '--report',
      join(root, 'cv'),
    );
    assert.equal(cv.code, 0, cv.stderr);
    await checkReport(join(root, 'cv'), ['folds', 'confusion-matrix'], ['summary', 'folds']);
    const search = await polarity(
      'search',
      ...['--data', IMDB_SAMPLE, '--model', 'nb', '--grid', 'alpha=0.5,1', '--report', join(root, 'search')],
    );
    assert.equal(search.code, 0, search.stderr);
    await checkReport(join(root, 'search'), ['trials'], ['trials']);
    const trials = await readFile(join(root, 'search', 'trials.csv'), 'utf8');
    assert.match(trials, /^trial,best,alpha,accuracy,/);
    assert.equal(trials.trim().split('\n').length, 3);
  });

  it('train --report is refused for models that train in one pass', async () => {
    const result = await polarity(
      'train',
      '--model',
      'nb',
      '--out',
      join(root, 'nb'),
      '--report',
      join(root, 'r'),
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--report does not apply to --model nb/);
  });
});
