import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DatasetError, DownloadError } from '../../src/errors.js';
import { defaultCacheDir, IMDB_ARCHIVE, resolveImdb } from '../../src/data/cache.js';
import { tempDir } from './archive-helpers.js';
import { serveFile } from './server-helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/imdb-sample.tar.gz', import.meta.url));
const VARIABLES = ['POLARITY_DATA', 'POLARITY_CACHE', 'XDG_CACHE_HOME'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let dir: string;
let cleanup: () => Promise<void>;
let counter = 0;
before(async () => ({ dir, cleanup } = await tempDir()));
after(async () => cleanup());
beforeEach(() => {
  for (const name of VARIABLES) delete process.env[name];
});
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function emptyCache(): Promise<string> {
  const cacheDir = join(dir, `cache-${++counter}`);
  await mkdir(cacheDir, { recursive: true });
  return cacheDir;
}

async function touch(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'x');
  return path;
}

describe('defaultCacheDir', () => {
  it('prefers $POLARITY_CACHE, then $XDG_CACHE_HOME/polarity, then ~/.cache/polarity', () => {
    assert.equal(defaultCacheDir(), join(homedir(), '.cache', 'polarity'));
    process.env.XDG_CACHE_HOME = '/var/cache/someone';
    assert.equal(defaultCacheDir(), '/var/cache/someone/polarity');
    process.env.POLARITY_CACHE = 'relative/cache';
    assert.equal(defaultCacheDir(), resolve('relative/cache'));
  });

  it('ignores a relative or empty $XDG_CACHE_HOME', () => {
    process.env.XDG_CACHE_HOME = 'not/absolute';
    assert.equal(defaultCacheDir(), join(homedir(), '.cache', 'polarity'));
    process.env.XDG_CACHE_HOME = '';
    assert.equal(defaultCacheDir(), join(homedir(), '.cache', 'polarity'));
  });
});

describe('resolveImdb', () => {
  it('takes the data option first, even when POLARITY_DATA and the cache have data', async () => {
    const cacheDir = await emptyCache();
    await touch(join(cacheDir, IMDB_ARCHIVE.fileName));
    process.env.POLARITY_DATA = await touch(join(dir, 'env.tar.gz'));
    const explicit = await touch(join(dir, 'explicit.tar.gz'));
    assert.equal(await resolveImdb({ data: explicit, cacheDir, download: false }), explicit);
  });

  it('takes POLARITY_DATA next', async () => {
    const cacheDir = await emptyCache();
    await touch(join(cacheDir, IMDB_ARCHIVE.fileName));
    process.env.POLARITY_DATA = await touch(join(dir, 'env.tar.gz'));
    assert.equal(await resolveImdb({ cacheDir, download: false }), join(dir, 'env.tar.gz'));
  });

  it('does not fall through when the data option or POLARITY_DATA names a missing path', async () => {
    const cacheDir = await emptyCache();
    await touch(join(cacheDir, IMDB_ARCHIVE.fileName));
    await assert.rejects(
      resolveImdb({ data: join(dir, 'typo.tar.gz'), cacheDir }),
      (error: unknown) =>
        error instanceof DatasetError && /typo\.tar\.gz: does not exist.*--data/.test(error.message),
    );
    process.env.POLARITY_DATA = join(dir, 'gone');
    await assert.rejects(
      resolveImdb({ cacheDir }),
      (error: unknown) =>
        error instanceof DatasetError && /gone: does not exist.*POLARITY_DATA/.test(error.message),
    );
  });

  it('then the archive in the cache folder, then an unpacked aclImdb/ there', async () => {
    const cacheDir = await emptyCache();
    await mkdir(join(cacheDir, 'aclImdb'));
    assert.equal(await resolveImdb({ cacheDir, download: false }), join(cacheDir, 'aclImdb'));
    const archive = await touch(join(cacheDir, IMDB_ARCHIVE.fileName));
    assert.equal(await resolveImdb({ cacheDir, download: false }), archive);
  });

  it('uses the default cache folder ($POLARITY_CACHE) when none is given', async () => {
    const cacheDir = await emptyCache();
    process.env.POLARITY_CACHE = cacheDir;
    const archive = await touch(join(cacheDir, IMDB_ARCHIVE.fileName));
    assert.equal(await resolveImdb({ download: false }), archive);
  });

  it('says how to provide the data when nothing is found and downloads are off', async () => {
    const cacheDir = await emptyCache();
    await assert.rejects(resolveImdb({ cacheDir, download: false }), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      for (const hint of ['--data', 'POLARITY_DATA', 'polarity download imdb', cacheDir]) {
        assert.ok(error.message.includes(hint), `message lacks ${hint}: ${error.message}`);
      }
      return true;
    });
  });

  it('downloads into the cache folder last', async () => {
    const body = await readFile(FIXTURE);
    const server = await serveFile(body);
    try {
      const cacheDir = await emptyCache();
      const sha256 = createHash('sha256').update(body).digest('hex');
      const path = await resolveImdb({ cacheDir, url: server.url, sha256 });
      assert.equal(path, join(cacheDir, IMDB_ARCHIVE.fileName));
      assert.deepEqual(await readFile(path), body);
      assert.equal(server.ranges.length, 1);
      assert.equal(await resolveImdb({ cacheDir, url: server.url, sha256 }), path);
      assert.equal(server.ranges.length, 1);
    } finally {
      await server.close();
    }
  });

  it('says how to provide the data when the download fails', async () => {
    const body = await readFile(FIXTURE);
    const server = await serveFile(body);
    try {
      const cacheDir = await emptyCache();
      // A wrong checksum fails every attempt, as a download without a network would.
      const wrong = '0'.repeat(64);
      await assert.rejects(resolveImdb({ cacheDir, url: server.url, sha256: wrong }), (error: unknown) => {
        assert.ok(error instanceof DownloadError);
        for (const hint of ['--data', 'POLARITY_DATA', cacheDir]) {
          assert.ok(error.message.includes(hint), `message lacks ${hint}: ${error.message}`);
        }
        return true;
      });
    } finally {
      await server.close();
    }
  });
});
