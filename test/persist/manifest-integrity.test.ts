/**
 * The manifest's own fields are covered by its `manifestSha256`; manifests written before it existed
 * still load; a field of the wrong type is called wrong, not missing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ModelFormatError } from '../../src/errors.js';
import { addModelFiles, readManifest, readModelFile, writeModelDirectory } from '../../src/persist/index.js';
import { manifestDigest, MANIFEST_FILE } from '../../src/persist/manifest.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-manifest-'));
after(() => rm(root, { recursive: true, force: true }));

const manifest = {
  kind: 'nb',
  labels: ['neg', 'pos'],
  hyperParameters: { ngrams: 2 },
  encoder: {},
  training: { createdAt: '2026-01-01T00:00:00.000Z' },
} as const;

let count = 0;
/** A fresh model directory and its parsed manifest as written. */
async function saved(): Promise<{ dir: string; json: Record<string, unknown> }> {
  const dir = join(root, `m${count++}`);
  await writeModelDirectory(dir, manifest, { 'w.bin': new Uint8Array([1, 2, 3]) });
  return {
    dir,
    json: JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Record<string, unknown>,
  };
}

const write = (dir: string, json: unknown) =>
  writeFile(join(dir, MANIFEST_FILE), JSON.stringify(json, null, 2));

describe('manifest integrity', () => {
  it('writes a manifestSha256 over the other fields, which any key order or indentation keeps', async () => {
    const { dir, json } = await saved();
    assert.match(json.manifestSha256 as string, /^[0-9a-f]{64}$/);
    assert.equal(json.manifestSha256, manifestDigest(json));
    const reordered = Object.fromEntries(Object.entries(json).reverse());
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(reordered));
    assert.deepEqual((await readManifest(dir)).labels, ['neg', 'pos']);
  });

  for (const [field, edit] of [
    ['kind', { kind: 'linear' }],
    ['labels', { labels: ['pos', 'neg'] }],
    ['formatVersion', { formatVersion: 0 }],
    ['a file record', { files: { 'w.bin': { bytes: 3, sha256: 'a'.repeat(64) } } }],
  ] as const) {
    it(`a changed ${field} fails the check, naming the manifest`, async () => {
      const { dir, json } = await saved();
      await write(dir, { ...json, ...edit });
      await assert.rejects(
        readManifest(dir),
        (error: Error) =>
          error instanceof ModelFormatError &&
          error.message ===
            `${join(dir, MANIFEST_FILE)}: "manifestSha256" does not match the manifest: its fields were changed after the model was saved`,
      );
    });
  }

  it('a manifest of the current format without manifestSha256 still loads, and its files are still checked', async () => {
    const { dir, json } = await saved();
    const { manifestSha256: _dropped, ...old } = json;
    await write(dir, old);
    const read = await readManifest(dir);
    assert.equal(read.kind, 'nb');
    assert.deepEqual([...(await readModelFile(dir, read, 'w.bin'))], [1, 2, 3]);
  });

  it('addModelFiles seals the manifest again, an old one included', async () => {
    const { dir, json } = await saved();
    const { manifestSha256: _dropped, ...old } = json;
    await write(dir, old);
    await addModelFiles(dir, { 'split.json': '{}' });
    const after = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(after.manifestSha256, manifestDigest(after));
    assert.ok((await readManifest(dir)).files['split.json']);
  });

  for (const [field, value, message] of [
    ['formatVersion', '1', '"formatVersion" should be a number, found "1"'],
    ['kind', 7, '"kind" should be a model family name, found 7'],
    ['labels', 'neg,pos', '"labels" should be a list of at least two label names, found "neg,pos"'],
    ['training', [], '"training" should be an object, found []'],
    ['manifestSha256', 42, '"manifestSha256" should be a hex SHA-256, found 42'],
  ] as const) {
    it(`a ${field} of the wrong type is called wrong, not missing`, async () => {
      const { dir, json } = await saved();
      await write(dir, { ...json, [field]: value });
      await assert.rejects(readManifest(dir), {
        message: `${join(dir, MANIFEST_FILE)}: not a valid Polarity manifest: ${message}`,
      });
    });
  }

  it('a missing field is still called missing', async () => {
    const { dir, json } = await saved();
    const { formatVersion: _dropped, ...rest } = json;
    await write(dir, rest);
    await assert.rejects(readManifest(dir), /not a valid Polarity manifest: "formatVersion" is missing$/);
  });
});
