import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openAtomicWriteStream } from '../../src/util/atomic-write-stream.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-atomic-stream-'));
after(() => rm(root, { recursive: true, force: true }));

const partials = async () => (await readdir(root)).filter((name) => name.endsWith('.partial'));

describe('openAtomicWriteStream', () => {
  it('shows nothing at the target until commit, then the whole new file, with the old mode', async () => {
    const target = join(root, 'out.txt');
    await writeFile(target, 'old\n', { mode: 0o600 });
    const file = await openAtomicWriteStream(target);
    file.stream.write('new ');
    file.stream.write('contents\n');
    assert.equal(await readFile(target, 'utf8'), 'old\n');
    assert.deepEqual(await partials(), [file.tempPath.slice(root.length + 1)]);
    await file.commit();
    assert.equal(await readFile(target, 'utf8'), 'new contents\n');
    assert.equal((await stat(target)).mode & 0o777, 0o600);
    assert.deepEqual(await partials(), []);
  });

  it('leaves the target as it was and removes the temp file on abort', async () => {
    const target = join(root, 'kept.txt');
    await writeFile(target, 'old\n');
    const file = await openAtomicWriteStream(target);
    file.stream.write('half a fi');
    await file.abort();
    await file.abort();
    assert.equal(await readFile(target, 'utf8'), 'old\n');
    assert.deepEqual(await partials(), []);
    const absent = join(root, 'never.txt');
    const other = await openAtomicWriteStream(absent);
    await other.abort();
    await assert.rejects(stat(absent), { code: 'ENOENT' });
  });

  it('writes through a symbolic link, keeping it', async () => {
    const target = join(root, 'real.txt');
    const link = join(root, 'link.txt');
    await writeFile(target, 'old\n');
    await symlink(target, link);
    const file = await openAtomicWriteStream(link);
    file.stream.end('new\n');
    await file.commit();
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.equal(await readFile(target, 'utf8'), 'new\n');
  });

  it("removes temp files of processes that no longer run, never a running one's", async () => {
    const target = join(root, 'stale.txt');
    // Process ids above the kernel's maximum (2^22) never run.
    const dead = join(root, `.stale.txt.${2 ** 22 + 1}.0123abcd.partial`);
    const alive = join(root, `.stale.txt.${process.pid}.89abcdef.partial`);
    await writeFile(dead, 'left by a killed run');
    await writeFile(alive, 'being written');
    const file = await openAtomicWriteStream(target);
    await file.abort();
    await assert.rejects(stat(dead), { code: 'ENOENT' });
    assert.equal(await readFile(alive, 'utf8'), 'being written');
    await rm(alive);
  });
});
