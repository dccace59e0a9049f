import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ModelFormatError } from '../../src/errors.js';
import { readManifest, readModelFile, writeModelDirectory } from '../../src/persist/index.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-persist-'));
after(() => rm(root, { recursive: true, force: true }));

const manifest = {
  kind: 'mlp',
  labels: ['neg', 'pos'],
  hyperParameters: { numWords: 10 },
  encoder: {},
  training: { createdAt: '2026-01-01T00:00:00.000Z' },
} as const;

describe('model directory', () => {
  it('writes every file with its size and checksum, and reads them back', async () => {
    const dir = join(root, 'a');
    await writeModelDirectory(dir, manifest, { 'x.bin': new Uint8Array([1, 2, 3]), 'y.json': '{"k":1}' });
    const read = await readManifest(dir);
    assert.equal(read.files['x.bin'].bytes, 3);
    assert.deepEqual([...(await readModelFile(dir, read, 'x.bin'))], [1, 2, 3]);
    assert.equal((await readModelFile(dir, read, 'y.json')).toString(), '{"k":1}');
  });

  it('replaces an existing directory whole and leaves no temp directories behind', async () => {
    const dir = join(root, 'b');
    await writeModelDirectory(dir, manifest, { 'old.bin': 'old' });
    await writeModelDirectory(dir, manifest, { 'new.bin': 'new' });
    assert.deepEqual((await readdir(dir)).sort(), ['new.bin', 'polarity.json']);
    assert.deepEqual(
      (await readdir(root)).filter((n) => n.startsWith('.polarity-')),
      [],
    );
  });

  it('rejects a truncated file, a changed file and a missing file, naming the file', async () => {
    const dir = join(root, 'c');
    await writeModelDirectory(dir, manifest, { 'w.bin': new Uint8Array(100), 'v.json': 'abc' });
    const read = await readManifest(dir);
    await truncate(join(dir, 'w.bin'), 50);
    await assert.rejects(
      readModelFile(dir, read, 'w.bin'),
      (e: Error) => e instanceof ModelFormatError && /w\.bin.*truncated/.test(e.message),
    );
    await writeFile(join(dir, 'v.json'), 'xyz');
    await assert.rejects(readModelFile(dir, read, 'v.json'), /v\.json.*checksum/);
    await rm(join(dir, 'w.bin'));
    await assert.rejects(readModelFile(dir, read, 'w.bin'), /w\.bin.*missing/);
  });

  it('rejects a missing directory, a directory without manifest, and a foreign or truncated manifest', async () => {
    await assert.rejects(readManifest(join(root, 'nope')), /does not exist/);
    const empty = join(root, 'empty');
    await writeModelDirectory(empty, manifest, {});
    await rm(join(empty, 'polarity.json'));
    await assert.rejects(readManifest(empty), /missing polarity\.json/);
    await writeFile(join(empty, 'polarity.json'), JSON.stringify({ format: 'something-else' }));
    await assert.rejects(readManifest(empty), /"format" should be "polarity-model"/);
    const text = await readFile(join(root, 'a', 'polarity.json'), 'utf8');
    await writeFile(join(empty, 'polarity.json'), text.slice(0, text.length / 2));
    await assert.rejects(readManifest(empty), /truncated/);
    await writeFile(
      join(empty, 'polarity.json'),
      JSON.stringify({ ...manifest, format: 'polarity-model', formatVersion: 99, files: {} }),
    );
    await assert.rejects(readManifest(empty), /newer than this Polarity/);
  });
});
