import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { DatasetError } from '../../src/errors.js';
import { loadImdb } from '../../src/data/imdb.js';
import type { Dataset } from '../../src/data/types.js';
import type { ProgressEvent } from '../../src/util/progress.js';
import {
  labelledEntries,
  officialEntries,
  review,
  tempDir,
  writeFolder,
  writeTarball,
  type FakeEntry,
} from './archive-helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/imdb-sample.tar.gz', import.meta.url));

let dir: string;
let cleanup: () => Promise<void>;
before(async () => ({ dir, cleanup } = await tempDir()));
after(async () => cleanup());

/** Asserts that `promise` rejects with a DatasetError whose message matches every pattern. */
async function rejectsWith(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

function summary(dataset: Dataset, split: 'train' | 'test'): string[] {
  return dataset[split].map((example) => `${example.label}/${example.id}_${example.rating}`);
}

function assertSmallDataset(dataset: Dataset): void {
  assert.equal(dataset.name, 'imdb');
  assert.deepEqual(dataset.labels, ['neg', 'pos']);
  const expected = ['neg/0_2', 'neg/3_4', 'neg/11_1', 'pos/1_10', 'pos/2_7', 'pos/10_9'];
  assert.deepEqual(summary(dataset, 'train'), expected);
  assert.deepEqual(summary(dataset, 'test'), expected);
  const first = dataset.train[0];
  assert.deepEqual(first, { text: 'train neg review 0, 2 stars.', label: 'neg', id: '0', rating: 2 });
  assert.equal(dataset.test.at(-1)?.text, 'test pos review 10, 9 stars.');
}

describe('loadImdb: archives', () => {
  it('reads a labelled-style .tar.gz, keeping id and rating, sorted by label then numeric id', async () => {
    const path = await writeTarball(join(dir, 'labelled.tar.gz'), labelledEntries());
    assertSmallDataset(await loadImdb(path));
  });

  it('ignores unsup/, README, vocabulary and feature files of the official archive', async () => {
    const path = await writeTarball(join(dir, 'aclImdb_v1.tar.gz'), officialEntries());
    assertSmallDataset(await loadImdb(path));
  });

  it('does not depend on the archive order', async () => {
    const path = await writeTarball(join(dir, 'reversed.tgz'), officialEntries().reverse());
    assertSmallDataset(await loadImdb(path));
  });

  it('reads a plain (uncompressed) tarball too', async () => {
    const path = await writeTarball(join(dir, 'plain.tar'), labelledEntries(), false);
    assertSmallDataset(await loadImdb(path));
  });

  it('reads only the requested splits', async () => {
    const path = await writeTarball(join(dir, 'train-only.tar.gz'), [
      review('train', 'pos', 5, 8),
      review('train', 'neg', 6, 3),
    ]);
    const dataset = await loadImdb(path, { splits: ['train'] });
    assert.deepEqual(summary(dataset, 'train'), ['neg/6_3', 'pos/5_8']);
    assert.deepEqual(dataset.test, []);
    await rejectsWith(loadImdb(path), /train-only\.tar\.gz/, /no reviews in test\/neg\/ or test\/pos\//);
  });

  it('reports progress as reviews read', async () => {
    const path = await writeTarball(join(dir, 'progress.tar.gz'), labelledEntries());
    const events: ProgressEvent[] = [];
    await loadImdb(path, { onProgress: (event) => events.push(event) });
    assert.ok(events.length >= 2);
    assert.ok(events.every((event) => event.task === 'reading imdb' && event.unit === 'reviews'));
    assert.deepEqual(events[0], { task: 'reading imdb', done: 0, total: 50_000, unit: 'reviews' });
    assert.deepEqual(events.at(-1), { task: 'reading imdb', done: 12, total: 12, unit: 'reviews' });
  });

  it('keeps non-ASCII text intact', async () => {
    const text = 'Amélie — «charmant» 😀';
    const path = await writeTarball(join(dir, 'utf8.tar.gz'), [
      review('train', 'pos', 1, 9, text),
      review('train', 'neg', 2, 1),
    ]);
    const dataset = await loadImdb(path, { splits: ['train'] });
    assert.equal(dataset.train[1].text, text);
  });
});

describe('loadImdb: folders', () => {
  it('reads a folder containing aclImdb/, and the aclImdb/ folder itself', async () => {
    const root = await writeFolder(join(dir, 'unpacked'), officialEntries());
    assertSmallDataset(await loadImdb(root));
    assertSmallDataset(await loadImdb(join(root, 'aclImdb')));
  });

  it('reports a bad file name with its path', async () => {
    const root = await writeFolder(join(dir, 'badname'), [
      ...labelledEntries(),
      { name: 'aclImdb/test/neg/notes.txt', content: 'x' },
    ]);
    await rejectsWith(loadImdb(root), /notes\.txt/, /does not match ID_RATING\.txt/);
  });

  it('reports a folder without train/pos', async () => {
    const root = await writeFolder(join(dir, 'empty'), [{ name: 'aclImdb/', directory: true }]);
    await rejectsWith(
      loadImdb(root),
      /empty/,
      /no reviews in train\/neg\/ or train\/pos\//,
      /aclImdb\/\{train,test\}/,
    );
  });
});

describe('loadImdb: errors', () => {
  const broken = async (name: string, entries: FakeEntry[]): Promise<string> =>
    writeTarball(join(dir, name), entries);

  it('reports a missing path', async () => {
    await rejectsWith(loadImdb(join(dir, 'nowhere.tar.gz')), /nowhere\.tar\.gz: does not exist/);
  });

  it('reports a file that is not gzip', async () => {
    const path = join(dir, 'text.tar.gz');
    await writeFile(path, 'just some text, not an archive\n');
    await rejectsWith(loadImdb(path), /text\.tar\.gz/, /not a gzip-compressed tarball/);
  });

  it('reports an empty file', async () => {
    const path = join(dir, 'empty.tar.gz');
    await writeFile(path, '');
    await rejectsWith(loadImdb(path), /empty\.tar\.gz: is empty/);
  });

  it('reports gzip data that is not a tarball', async () => {
    const path = join(dir, 'notar.tar.gz');
    await writeFile(path, gzipSync(Buffer.from('x'.repeat(4096))));
    await rejectsWith(loadImdb(path), /notar\.tar\.gz/, /not a tarball/);
  });

  it('reports a gzip archive cut in half as truncated', async () => {
    const whole = await readFile(FIXTURE);
    const path = join(dir, 'half.tar.gz');
    await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    await rejectsWith(loadImdb(path), /half\.tar\.gz/, /truncated gzip data/, /download it again/);
  });

  it('reports an archive without train/pos', async () => {
    const path = await broken('nopos.tar.gz', [review('train', 'neg', 1, 2), review('test', 'pos', 1, 9)]);
    await rejectsWith(loadImdb(path), /nopos\.tar\.gz/, /no reviews in train\/pos\/ \(/);
  });

  it('reports an archive of something else', async () => {
    const path = await broken('other.tar.gz', [{ name: 'src/index.js', content: 'x' }]);
    await rejectsWith(loadImdb(path), /other\.tar\.gz/, /no reviews in train\/neg\/ or train\/pos\//);
  });

  it('reports a file name not matching ID_RATING.txt, naming the entry', async () => {
    const path = await broken('badname.tar.gz', [...labelledEntries(), { name: 'aclImdb/train/pos/12.txt' }]);
    await rejectsWith(
      loadImdb(path),
      /badname\.tar\.gz: entry aclImdb\/train\/pos\/12\.txt/,
      /does not match ID_RATING\.txt/,
    );
  });

  it('reports a rating outside 1–10', async () => {
    const path = await broken('rating.tar.gz', [...labelledEntries(), review('train', 'pos', 99, 11)]);
    await rejectsWith(loadImdb(path), /99_11\.txt/, /outside 1–10/);
  });

  it('reports a review that is not valid UTF-8, naming archive and entry', async () => {
    const path = await broken('latin1.tar.gz', [
      ...labelledEntries(),
      { name: 'aclImdb/train/neg/7_3.txt', content: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x21]) },
    ]);
    await rejectsWith(
      loadImdb(path),
      /latin1\.tar\.gz: entry aclImdb\/train\/neg\/7_3\.txt/,
      /not valid UTF-8/,
    );
  });

  it('reports the same review twice', async () => {
    const path = await broken('twice.tar.gz', [...labelledEntries(), { ...review('train', 'pos', 1, 10) }]);
    await rejectsWith(loadImdb(path), /train\/pos\/1 appears twice/);
  });
});

describe('loadImdb: the committed fixture', () => {
  it('holds 1,000 train and 250 test reviews per label', async () => {
    const dataset = await loadImdb(FIXTURE);
    assert.equal(dataset.train.length, 2000);
    assert.equal(dataset.test.length, 500);
    for (const split of ['train', 'test'] as const) {
      const pos = dataset[split].filter((example) => example.label === 'pos');
      assert.equal(pos.length, dataset[split].length / 2);
      assert.ok(pos.every((example) => (example.rating ?? 0) >= 7));
      assert.ok(dataset[split].every((example) => example.text.length > 0));
    }
  });
});

const shared = process.env.POLARITY_DATA;
describe(
  'loadImdb: the full dataset (POLARITY_DATA)',
  { skip: shared ? false : 'POLARITY_DATA not set' },
  () => {
    it('reads 25,000 + 25,000 reviews', async () => {
      const started = performance.now();
      const dataset = await loadImdb(shared ?? '');
      const seconds = (performance.now() - started) / 1000;
      assert.equal(dataset.train.length, 25_000);
      assert.equal(dataset.test.length, 25_000);
      assert.equal(dataset.train.filter((example) => example.label === 'pos').length, 12_500);
      assert.ok(dataset.test.every((example) => (example.label === 'pos') === (example.rating ?? 0) >= 7));
      console.log(`read the full dataset in ${seconds.toFixed(2)} s`);
    });
  },
);
