import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import { DownloadError } from '../../src/errors.js';
import { downloadFile, downloadImdb } from '../../src/data/download.js';
import type { ProgressEvent } from '../../src/util/progress.js';
import { tempDir } from './archive-helpers.js';
import { serveFile, type FileServer, type ServerBehaviour } from './server-helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/imdb-sample.tar.gz', import.meta.url));

let body: Buffer;
let sha256: string;
let dir: string;
let cleanup: () => Promise<void>;
let server: FileServer | undefined;
let counter = 0;

before(async () => {
  body = await readFile(FIXTURE);
  sha256 = createHash('sha256').update(body).digest('hex');
  ({ dir, cleanup } = await tempDir());
});
after(async () => cleanup());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(behaviour: ServerBehaviour = {}): Promise<FileServer> {
  server = await serveFile(body, behaviour);
  return server;
}

function freshDest(): string {
  return join(dir, `download-${++counter}`, 'aclImdb_v1.tar.gz');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('downloadFile', () => {
  it('downloads, verifies the checksum and reports progress in bytes', async () => {
    const { url, ranges } = await start();
    const dest = freshDest();
    const events: ProgressEvent[] = [];
    const result = await downloadFile({ url, dest, sha256, onProgress: (event) => events.push(event) });
    assert.equal(result, dest);
    assert.deepEqual(await readFile(dest), body);
    assert.equal(await exists(`${dest}.part`), false);
    assert.deepEqual(ranges, [null]);
    assert.ok(events.every((event) => event.task === 'downloading' && event.unit === 'bytes'));
    assert.deepEqual(events.at(-1), {
      task: 'downloading',
      done: body.length,
      total: body.length,
      unit: 'bytes',
    });
  });

  it('resumes a partial .part with a Range request', async () => {
    const { url, ranges } = await start();
    const dest = freshDest();
    await mkdir(join(dest, '..'), { recursive: true });
    await writeFile(`${dest}.part`, body.subarray(0, 1000));
    const events: ProgressEvent[] = [];
    await downloadFile({ url, dest, sha256, onProgress: (event) => events.push(event) });
    assert.deepEqual(ranges, ['bytes=1000-']);
    assert.deepEqual(await readFile(dest), body);
    assert.equal(events[0].done, 1000);
    assert.equal(events[0].total, body.length);
  });

  it('starts over cleanly when the server ignores Range and answers 200', async () => {
    const { url, ranges } = await start({ ignoreRange: true });
    const dest = freshDest();
    await mkdir(join(dest, '..'), { recursive: true });
    await writeFile(`${dest}.part`, Buffer.alloc(5000, 0x41)); // not even a prefix of the file
    await downloadFile({ url, dest, sha256 });
    assert.deepEqual(ranges, ['bytes=5000-']);
    assert.deepEqual(await readFile(dest), body);
  });

  it('starts over when the .part is longer than the file (416)', async () => {
    const { url, ranges } = await start();
    const dest = freshDest();
    await mkdir(join(dest, '..'), { recursive: true });
    await writeFile(`${dest}.part`, Buffer.alloc(body.length + 10, 0x42));
    await downloadFile({ url, dest, sha256 });
    assert.deepEqual(ranges, [`bytes=${body.length + 10}-`, null]);
    assert.deepEqual(await readFile(dest), body);
  });

  it('throws on a checksum mismatch and leaves neither the file nor a .part', async () => {
    const { url } = await start();
    const dest = freshDest();
    const wrong = 'ab'.repeat(32);
    await assert.rejects(downloadFile({ url, dest, sha256: wrong }), (error: unknown) => {
      assert.ok(error instanceof DownloadError);
      assert.match(error.message, new RegExp(`expected SHA-256 ${wrong}, got ${sha256}`));
      return true;
    });
    assert.equal(await exists(dest), false);
    assert.equal(await exists(`${dest}.part`), false);
  });

  it('returns at once when the file is already there with the right checksum', async () => {
    const { url, ranges } = await start();
    const dest = freshDest();
    await downloadFile({ url, dest, sha256 });
    ranges.length = 0;
    assert.equal(await downloadFile({ url, dest, sha256 }), dest);
    assert.deepEqual(ranges, []);
  });

  it('retries an interrupted response, resuming where it stopped', async () => {
    const { url, ranges } = await start({ cutFirst: 1 });
    const dest = freshDest();
    await downloadFile({ url, dest, sha256, retryDelayMs: 10 });
    assert.equal(ranges.length, 2);
    assert.equal(ranges[0], null);
    assert.match(ranges[1] ?? '', /^bytes=[1-9]\d*-$/);
    assert.deepEqual(await readFile(dest), body);
  });

  it('aborts and resumes a transfer that stalls', async () => {
    const { url, ranges } = await start({ stallFirst: 1 });
    const dest = freshDest();
    await downloadFile({ url, dest, sha256, retryDelayMs: 10, idleTimeoutMs: 200 });
    assert.equal(ranges.length, 2);
    assert.match(ranges[1] ?? '', /^bytes=[1-9]\d*-$/);
    assert.deepEqual(await readFile(dest), body);
  });

  it('gives up after maxRetries interruptions, keeping the .part for next time', async () => {
    const { url, ranges } = await start({ cutFirst: 10 });
    const dest = freshDest();
    await assert.rejects(
      downloadFile({ url, dest, sha256, maxRetries: 1, retryDelayMs: 10 }),
      (error: unknown) => error instanceof DownloadError && /failed after 2 attempts/.test(error.message),
    );
    assert.equal(ranges.length, 2);
    assert.equal(await exists(dest), false);
    assert.equal(await exists(`${dest}.part`), true);
  });

  it('reports an HTTP error without retrying', async () => {
    const { url, ranges } = await start();
    const dest = freshDest();
    await assert.rejects(
      downloadFile({ url: url.replace('aclImdb', 'missing'), dest, sha256, retryDelayMs: 10 }),
      (error: unknown) => error instanceof DownloadError && /HTTP 404/.test(error.message),
    );
    assert.equal(ranges.length, 1);
  });

  it('rejects a malformed checksum before any request', async () => {
    await assert.rejects(
      downloadFile({ url: 'http://127.0.0.1:9/x', dest: freshDest(), sha256: 'abc' }),
      (error: unknown) => error instanceof DownloadError && /64 hexadecimal digits/.test(error.message),
    );
  });
});

describe('downloadImdb', () => {
  it('puts aclImdb_v1.tar.gz in the cache folder', async () => {
    const { url } = await start();
    const cacheDir = join(dir, 'cache');
    const path = await downloadImdb({ cacheDir, url, sha256 });
    assert.equal(path, join(cacheDir, 'aclImdb_v1.tar.gz'));
    assert.deepEqual(await readFile(path), body);
  });
});
