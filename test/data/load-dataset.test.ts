import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LabelMap } from '../../src/data/label-map.js';
import { countDuplicates } from '../../src/data/leak-check.js';
import { loadDataset } from '../../src/data/load-dataset.js';
import { stratifiedTestRows } from '../../src/data/stratified-split.js';
import { DatasetError, OptionError } from '../../src/errors.js';
import { IMDB_SAMPLE, imdbSample } from '../helpers/fixtures.js';
import { fixtureDir, threeLabelRows, withInvalidByte } from './own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
before(async () => (fixtures = await fixtureDir()));
after(() => fixtures.cleanup());

function csvOf(rows: readonly { text: string; label: string }[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ['text,label', ...rows.map((r) => `${quote(r.text)},${r.label}`)].join('\n') + '\n';
}

/** Asserts a DatasetError naming `file:line` whose message matches `reason`. */
async function failsAt(promise: Promise<unknown>, where: RegExp, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    assert.match(error.message, where);
    assert.match(error.message, reason);
    return true;
  });
}

describe('loadDataset: bad rows', () => {
  // One of each kind of bad row, at known lines.
  const bad = () =>
    fixtures.write(
      'bad.csv',
      withInvalidByte(
        'text,label\nfine,pos\nonly text\na,b,c\n"  ",neg\nodd,7\nnot ',
        ' utf8,pos\nlast,neg\n',
      ),
    );

  it('stops at the first bad row by default, naming file, line and reason and how to skip', async () => {
    const file = await bad();
    await failsAt(loadDataset(file), /bad\.csv:3: /, /no field for column "label".*--on-error skip/);
  });

  it('names each kind of bad row at its line when it is the first one', async () => {
    const cases: [string, RegExp][] = [
      ['text,label\nok,1\na,b,c\n', /:3: 3 fields where 2 were expected/],
      ['text,label\nok,1\n" ",9\n', /:3: the text is empty/],
      ['text,label\nok,1\nhi,\n', /:3: the label is empty/],
      ['text,label\nok,1\nhi,5\n', /:3: label "5" is not covered by --label-map '1-4=neg,7-10=pos'/],
    ];
    for (const [i, [content, reason]] of cases.entries()) {
      const file = await fixtures.write(`kind-${i}.csv`, content);
      await failsAt(
        loadDataset(file, { labelMap: '1-4=neg,7-10=pos' }),
        new RegExp(`kind-${i}\\.csv`),
        reason,
      );
    }
    const utf8 = await fixtures.write('kind-utf8.csv', withInvalidByte('text,label\nok,pos\nbad ', ',neg\n'));
    await failsAt(loadDataset(utf8), /kind-utf8\.csv:3: /, /not valid UTF-8/);
  });

  it('with onError skip, leaves every bad row out, lists it with file, line and reason, and counts kinds', async () => {
    const file = await bad();
    const seen: number[] = [];
    const { dataset, report } = await loadDataset(file, {
      onError: 'skip',
      labelMap: 'pos=pos,neg=neg',
      onProblem: (problem) => seen.push(problem.line),
    });
    assert.deepEqual(
      dataset.train.map((e) => e.text),
      ['fine', 'last'],
    );
    assert.deepEqual(
      report.problems.map((p) => `${p.line}:${p.kind}`),
      ['3:missing-column', '4:too-many-fields', '5:empty-text', '6:unknown-label', '7:invalid-utf8'],
    );
    assert.deepEqual(seen, [3, 4, 5, 6, 7]);
    assert.ok(report.problems.every((p) => p.file === file && p.reason.length > 0));
    assert.equal(report.skippedByKind['unknown-label'], 1);
    assert.equal(report.skippedByKind.malformed, 0);
  });
});

describe('loadDataset: labels', () => {
  it('keeps any number of labels as given, sorted, and maps ratings with --label-map, excluding on purpose', async () => {
    const file = await fixtures.write(
      'ratings.jsonl',
      [1, 2, 5, 6, 9, 10, 3].map((stars, i) => JSON.stringify({ text: `review ${i}`, stars })).join('\n'),
    );
    const { dataset, report } = await loadDataset(file, {
      labelField: 'stars',
      labelMap: '1-2=very bad,3-4=,5-6=Mixed,9-10=very good',
    });
    assert.deepEqual(dataset.labels, ['Mixed', 'very bad', 'very good']);
    assert.deepEqual(
      dataset.train.map((e) => e.label),
      ['very bad', 'very bad', 'Mixed', 'Mixed', 'very good', 'very good'],
    );
    assert.equal(report.excluded, 1);
  });

  it('maps IMDB star ratings, keeping review ids and ratings', async () => {
    const { dataset } = await loadDataset(IMDB_SAMPLE, {
      labelMap: '1-2=negative,3-4=mixed,7-8=mixed,9-10=positive',
    });
    const sample = await imdbSample();
    assert.deepEqual(dataset.labels, ['mixed', 'negative', 'positive']);
    assert.equal(dataset.train.length, sample.train.length);
    for (const [i, example] of dataset.train.entries()) {
      const rating = sample.train[i].rating!;
      assert.equal(example.rating, rating);
      assert.equal(example.id, sample.train[i].id);
      assert.equal(example.label, rating <= 2 ? 'negative' : rating >= 9 ? 'positive' : 'mixed');
    }
  });

  it('reports a test label that no training row has, and labels outside knownLabels', async () => {
    await fixtures.write('unseen/train/pos/1.txt', 'good');
    await fixtures.write('unseen/train/neg/1.txt', 'bad');
    await fixtures.write('unseen/test/meh/1.txt', 'so so');
    await failsAt(
      loadDataset(`${fixtures.dir}/unseen`),
      /unseen \(test\/meh\/1\.txt\):1/,
      /label "meh" appears in the test split but not in the training split/,
    );
    const file = await fixtures.write('known.csv', 'text,label\na,pos\nb,meh\n');
    await failsAt(
      loadDataset(file, {
        knownLabels: ['neg', 'pos'],
        knownLabelsFrom: "the model's labels",
        unsplit: 'test',
      }),
      /known\.csv:3/,
      /label "meh" is not one of the model's labels \(neg, pos\)/,
    );
  });

  it('says how many rows named several labels', async () => {
    const file = await fixtures.write('several.ft', '__label__a __label__b x\n__label__b y\n');
    const { report } = await loadDataset(file);
    assert.equal(report.severalLabels, 1);
  });
});

describe('loadDataset: splits and the leak check', () => {
  it('carves a stratified, seeded test split and records which rows went where', async () => {
    const rows = threeLabelRows(50);
    const file = await fixtures.write('three.csv', csvOf(rows));
    const { dataset, report } = await loadDataset(file, { testSplit: 0.2, seed: 7 });
    assert.equal(dataset.test.length, 30);
    assert.equal(dataset.train.length, 120);
    for (const label of dataset.labels) {
      assert.equal(dataset.test.filter((e) => e.label === label).length, 10, label);
    }
    const split = report.split!;
    assert.equal(split.source, 'three.csv');
    assert.deepEqual(split.rows, { train: 120, test: 30, skipped: 0 });
    // The record's ids are the test rows' line numbers: row r of `rows` is on line r + 2.
    assert.deepEqual(
      split.test.map((line) => rows[Number(line) - 2].text),
      dataset.test.map((e) => e.text),
    );
    const again = await loadDataset(file, { testSplit: 0.2, seed: 7 });
    assert.deepEqual(again.report.split!.test, split.test);
    const other = await loadDataset(file, { testSplit: 0.2, seed: 8 });
    assert.notDeepEqual(other.report.split!.test, split.test);
  });

  it('refuses --test-split for data with a test split of its own, and options of another format', async () => {
    await assert.rejects(loadDataset(IMDB_SAMPLE, { testSplit: 0.1 }), OptionError);
    const file = await fixtures.write('opts.jsonl', '{"text":"a","label":"b"}\n');
    await assert.rejects(
      loadDataset(file, { textColumn: 'body' }),
      (error: unknown) =>
        error instanceof OptionError &&
        /--text-column applies only to CSV and TSV data; this data is jsonl/.test(error.message),
    );
  });

  it('counts test texts that are also training texts, up to case and spacing', async () => {
    await fixtures.write('leak/train/pos/1.txt', 'A fine  film');
    await fixtures.write('leak/train/neg/1.txt', 'a dull film');
    await fixtures.write('leak/test/pos/1.txt', 'a FINE film\n');
    await fixtures.write('leak/test/neg/1.txt', 'another dull film');
    const { report } = await loadDataset(`${fixtures.dir}/leak`);
    assert.deepEqual(report.duplicates, { testInTrain: 1, test: 2 });
    assert.deepEqual(countDuplicates([{ text: 'x' }], [{ text: 'y' }]), { testInTrain: 0, test: 1 });
  });
});

describe('LabelMap', () => {
  it('maps numbers and ranges (decimals too) and exact text, and leaves the rest unknown', () => {
    const map = LabelMap.parse('1-4=neg, 7-10=pos, 4.5=mid, meh=mid, 5-6=');
    assert.equal(map.map('1'), 'neg');
    assert.equal(map.map(' 4 '), 'neg');
    assert.equal(map.map('4.5'), 'mid');
    assert.equal(map.map('9.5'), 'pos');
    assert.equal(map.map('meh'), 'mid');
    assert.equal(map.map('5'), null);
    assert.equal(map.map('11'), undefined);
    assert.equal(map.map('Meh'), undefined);
    assert.deepEqual(map.labels, ['mid', 'neg', 'pos']);
  });

  it('refuses entries it cannot read, naming them', () => {
    for (const [spec, reason] of [
      ['', /no entries/],
      ['1-4', /entry "1-4" has no "="/],
      ['=neg', /has no key/],
      ['4-1=neg', /range "4-1" runs backwards/],
      ['1-4=neg,3-5=pos', /"3-5" overlaps 1-4/],
      ['a=x,a=y', /"a" is mapped twice/],
    ] as const) {
      assert.throws(
        () => LabelMap.parse(spec),
        (error: unknown) =>
          error instanceof OptionError && reason.test(error.message) && /--label-map/.test(error.message),
        spec,
      );
    }
  });
});

describe('stratifiedTestRows', () => {
  it('gives each label its share of the test split and the total round(F × rows)', () => {
    const counts = [500, 300, 37, 3];
    const labels = Int32Array.from(counts.flatMap((n, k) => Array<number>(n).fill(k)));
    const test = stratifiedTestRows(labels, counts.length, 0.25, 1);
    const total = test.reduce((a, b) => a + b, 0);
    assert.equal(total, Math.round(labels.length * 0.25));
    counts.forEach((n, k) => {
      const taken = labels.reduce((sum, label, i) => sum + (label === k ? test[i] : 0), 0);
      assert.ok(Math.abs(taken - n * 0.25) < 1, `label ${k}: ${taken} of ${n}`);
    });
  });

  it('is the same for the same seed, differs for another, and never takes the last training row of a label', () => {
    const labels = Int32Array.from({ length: 200 }, (_, i) => i % 2);
    assert.deepEqual(stratifiedTestRows(labels, 2, 0.3, 5), stratifiedTestRows(labels, 2, 0.3, 5));
    assert.notDeepEqual(stratifiedTestRows(labels, 2, 0.3, 5), stratifiedTestRows(labels, 2, 0.3, 6));
    const rare = Int32Array.from([0, 0, 0, 0, 1]);
    const test = stratifiedTestRows(rare, 2, 0.5, 1);
    assert.equal(test[4], 0);
    assert.throws(() => stratifiedTestRows(rare, 2, 1, 1), OptionError);
  });
});
