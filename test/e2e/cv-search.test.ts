import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPolarity } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-cv-search-'));
after(() => rm(root, { recursive: true, force: true }));

interface Metrics {
  accuracy: number;
  rocAuc: number;
  logLoss: number;
}

describe('polarity cv', () => {
  it('cross-validates on the training split and writes the folds as CSV', async () => {
    const csv = join(root, 'cv.csv');
    const run = await runPolarity([
      'cv',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nb',
      '--folds',
      '3',
      '--json',
      '--out',
      csv,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as {
      k: number;
      folds: { fold: number; trainExamples: number; testExamples: number; metrics: Metrics }[];
      summary: Record<string, { mean: number; std: number }>;
    };
    assert.equal(result.folds.length, 3);
    for (const fold of result.folds) {
      assert.equal(fold.trainExamples + fold.testExamples, 2000);
      assert.ok(fold.metrics.accuracy > 0.7 && fold.metrics.rocAuc > 0.75, JSON.stringify(fold.metrics));
    }
    const mean = result.folds.reduce((s, f) => s + f.metrics.accuracy, 0) / 3;
    assert.ok(Math.abs(result.summary.accuracy.mean - mean) < 1e-12);
    assert.match(run.stderr, /fold 3\/3: training nb on 13\d\d reviews, scoring 6\d\d/);

    const lines = (await readFile(csv, 'utf8')).trimEnd().split('\n');
    assert.equal(lines[0], 'fold,train,test,accuracy,precision,recall,f1,macroF1,rocAuc,logLoss,seconds');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[0]),
      ['1', '2', '3', 'mean', 'std'],
    );
  });

  it('prints a table of folds and mean ± std per metric', async () => {
    const run = await runPolarity(['cv', '--data', IMDB_SAMPLE, '--model', 'nb', '--folds', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^fold +train +test +accuracy/);
    assert.match(run.stdout, /mean ± standard deviation over 2 folds\naccuracy +\d+\.\d\d% ± \d+\.\d\d\n/);
    assert.match(run.stdout, /roc auc +0\.\d{4} ± 0\.\d{4}/);
  });

  it('refuses bad folds, output files it cannot write and flags of another family', async () => {
    const one = await runPolarity(['cv', '--data', IMDB_SAMPLE, '--model', 'nb', '--folds', '1']);
    assert.equal(one.code, 1);
    assert.match(one.stderr, /--folds must be at least 2, got 1/);
    const txt = await runPolarity([
      'cv',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nb',
      '--out',
      join(root, 'cv.txt'),
    ]);
    assert.match(txt.stderr, /--out must name a \.csv or \.json file/);
    const epochs = await runPolarity(['cv', '--data', IMDB_SAMPLE, '--model', 'nb', '--epochs', '3']);
    assert.match(epochs.stderr, /--epochs does not apply to --model nb/);
    const saved = await runPolarity([
      'cv',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'ensemble',
      '--members',
      `nb,${root}`,
    ]);
    assert.match(saved.stderr, /give member names .*not saved models/);
  });
});

describe('polarity search', () => {
  it('runs every configuration, marks the best and writes results.csv and results.json', async () => {
    const out = join(root, 'search');
    const run = await runPolarity([
      'search',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nb',
      '--grid',
      'alpha=0.5,1;ngrams=1,2',
      '--out',
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      bestTrial: number;
      validationExamples: number;
      trials: { trial: number; configuration: Record<string, number>; metrics: Metrics; best: boolean }[];
    };
    assert.equal(json.validationExamples, 400);
    assert.deepEqual(
      json.trials.map((t) => t.configuration),
      [
        { alpha: 0.5, ngrams: 1 },
        { alpha: 0.5, ngrams: 2 },
        { alpha: 1, ngrams: 1 },
        { alpha: 1, ngrams: 2 },
      ],
    );
    const top = Math.max(...json.trials.map((t) => t.metrics.accuracy));
    const best = json.trials.find((t) => t.best)!;
    assert.equal(best.trial, json.bestTrial);
    assert.equal(best.metrics.accuracy, top);
    assert.equal(json.trials.filter((t) => t.best).length, 1);

    const marked = run.stdout.split('\n').filter((l) => l.startsWith('*'));
    assert.equal(marked.length, 1);
    assert.match(marked[0], new RegExp(`^\\* +${json.bestTrial} `));
    assert.match(run.stdout, new RegExp(`best by accuracy: trial ${json.bestTrial} \\(alpha=`));

    const csv = (await readFile(join(out, 'results.csv'), 'utf8')).trimEnd().split('\n');
    assert.equal(
      csv[0],
      'trial,best,alpha,ngrams,accuracy,precision,recall,f1,macroF1,rocAuc,logLoss,seconds',
    );
    assert.equal(csv.length, 5);
  });

  it('random search runs the requested number of distinct configurations', async () => {
    const run = await runPolarity([
      'search',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nb',
      '--grid',
      'alpha=0.25,0.5,1;ngrams=1,2',
      '--trials',
      '2',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { search: string; trials: { configuration: object }[] };
    assert.equal(json.search, 'random');
    assert.equal(json.trials.length, 2);
    assert.notDeepEqual(json.trials[0].configuration, json.trials[1].configuration);
  });

  it('rejects bad grids clearly before reading any data', async () => {
    const unknown = await runPolarity([
      'search',
      '--data',
      join(root, 'missing.tar.gz'),
      '--model',
      'nb',
      '--grid',
      'maxLen=100',
    ]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /--grid key "maxLen" is not a hyper-parameter of --model nb; expected one of: ngrams/,
    );
    const both = await runPolarity([
      'search',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nb',
      '--alpha',
      '1',
      '--grid',
      'alpha=1,2',
    ]);
    assert.match(both.stderr, /--alpha is also in --grid/);
    const notForNb = await runPolarity([
      'search',
      '--data',
      join(root, 'missing.tar.gz'),
      '--model',
      'nb',
      '--grid',
      'c=1,2',
    ]);
    assert.match(notForNb.stderr, /c=1: c does not apply to model "nb"/);
  });
});

describe('polarity evaluate --errors', () => {
  it('lists the most confident mistakes, most confident first', async () => {
    const model = join(root, 'nb');
    const train = await runPolarity(['train', '--data', IMDB_SAMPLE, '--model', 'nb', '--out', model]);
    assert.equal(train.code, 0, train.stderr);
    const json = await runPolarity([
      'evaluate',
      '--model',
      model,
      '--data',
      IMDB_SAMPLE,
      '--json',
      '--errors',
      '3',
    ]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as Metrics & {
      macro: { f1: number };
      perLabel: { label: string; support: number }[];
      mistakes: { trueLabel: string; predictedLabel: string; score: number; excerpt: string }[];
    };
    assert.equal(report.mistakes.length, 3);
    for (const m of report.mistakes) assert.notEqual(m.trueLabel, m.predictedLabel);
    assert.ok(
      report.mistakes[0].score >= report.mistakes[1].score &&
        report.mistakes[1].score >= report.mistakes[2].score,
    );
    assert.ok(report.rocAuc > 0.8 && report.logLoss > 0 && report.macro.f1 > 0.7);
    assert.deepEqual(
      report.perLabel.map((p) => p.support),
      [250, 250],
    );

    const text = await runPolarity(['evaluate', '--model', model, '--data', IMDB_SAMPLE, '--errors', '2']);
    assert.match(
      text.stdout,
      /most confident mistakes \(2 shown\)\n +1\. (pos|neg) predicted (pos|neg) at [01]\.\d{4}/,
    );
    assert.match(text.stdout, /macro avg +\d+\.\d\d%/);
  });
});
