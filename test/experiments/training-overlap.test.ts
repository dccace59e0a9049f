/**
 * What a model saved by `trainModel` records of its training data, as a library user reads it back
 * (src/experiments/training-overlap.ts): the source of data read from a file, with the options it was
 * read with, nothing for data in memory; and the overlap of any texts with the training texts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DATA_SOURCE_FILE } from '../../src/data/data-source.js';
import { LabelMap } from '../../src/data/label-map.js';
import { trainingDataFrom, trainingDataOf, trainModel } from '../../src/experiments/train-model.js';
import {
  overlapWarning,
  recordedDataSource,
  trainingOverlap,
} from '../../src/experiments/training-overlap.js';
import { readManifest } from '../../src/persist/model-dir.js';
import { toyDataset } from '../helpers/toy.js';

describe('the training data a saved model records', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-overlap-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('records where data read from a file came from, and how it was read', async () => {
    const data = join(dir, 'reviews.tsv');
    const rows = toyDataset(30).train.map((e) => `${e.label === 'pos' ? 9 : 1}\t${e.text}`);
    await writeFile(data, ['stars\treview', ...rows].join('\n') + '\n');
    const out = join(dir, 'from-file');
    const { classifier } = await trainModel({
      model: 'nb',
      data: trainingDataFrom(data, {
        textColumn: 'review',
        labelColumn: 'stars',
        labelMap: LabelMap.parse('1=neg,9=pos'),
        onError: 'skip',
      }),
      out,
    });
    classifier.dispose();
    assert.deepEqual(await recordedDataSource(out), {
      format: 'polarity-data-source',
      version: 1,
      path: data,
      dataFormat: 'tsv',
      reading: { textColumn: 'review', labelColumn: 'stars', labelMap: '1=neg,9=pos', onError: 'skip' },
    });
  });

  it('records no source for data in memory, but the texts, so an overlap is counted', async () => {
    const dataset = toyDataset(40);
    const out = join(dir, 'in-memory');
    const { classifier } = await trainModel({ model: 'nb', data: trainingDataOf(dataset), out });
    classifier.dispose();
    assert.equal((await readManifest(out)).files[DATA_SOURCE_FILE], undefined);
    assert.equal(await recordedDataSource(out), undefined);

    const seen = dataset.train.slice(0, 4);
    const fresh = [
      { text: 'a text the model never saw', label: 'pos' },
      { text: 'nor this one', label: 'neg' },
    ];
    const overlap = await trainingOverlap(out, [...seen, ...fresh]);
    assert.deepEqual(overlap, { overlapping: 4, total: 6, by: 'text-hashes' });
    assert.equal(overlapWarning(overlap), 'warning: 4 of 6 test texts (66.7%) were in the training data');
    assert.equal(overlapWarning(await trainingOverlap(out, fresh)), undefined);
  });

  it('says an overlap as a share that never rounds to none or to all', () => {
    const warn = (overlapping: number, total: number) =>
      overlapWarning({ overlapping, total, by: 'text-hashes' });
    assert.equal(warn(412, 5000), 'warning: 412 of 5,000 test texts (8.2%) were in the training data');
    assert.equal(warn(1, 5000), 'warning: 1 of 5,000 test texts (<0.1%) were in the training data');
    assert.equal(warn(4999, 5000), 'warning: 4,999 of 5,000 test texts (>99.9%) were in the training data');
    assert.equal(warn(0, 5000), undefined);
  });
});
