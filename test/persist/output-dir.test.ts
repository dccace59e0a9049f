import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PolarityError } from '../../src/errors.js';
import {
  claimOutputDir,
  readManifest,
  readModelDirectory,
  releaseOutputClaims,
  writeDirectoryAtomically,
  writeModelDirectory,
} from '../../src/persist/index.js';
import { checkOutputFile, outputMarker } from '../../src/persist/output-dir.js';
import { writeReport } from '../../src/report/report.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-output-dir-'));
after(() => rm(root, { recursive: true, force: true }));
afterEach(() => releaseOutputClaims());

const manifest = {
  kind: 'mlp',
  labels: ['neg', 'pos'],
  hyperParameters: {},
  encoder: {},
  training: { createdAt: '2026-01-01T00:00:00.000Z' },
} as const;

const writeModel = (dir: string, content = 'w') => writeModelDirectory(dir, manifest, { 'w.bin': content });

/** A PolarityError whose message matches `pattern`. */
const refused = (pattern: RegExp) => (e: Error) => e instanceof PolarityError && pattern.test(e.message);

let n = 0;
const fresh = () => join(root, `case-${++n}`);

/** The `.polarity-*` names beside `dir` (temp, ready, old, lock). */
async function leftovers(dir: string): Promise<string[]> {
  const parent = join(dir, '..');
  return (await readdir(parent)).filter((e) => e.startsWith('.polarity-'));
}

describe('output policy', () => {
  it('writes where nothing stands, into an empty directory, and over a model of its own', async () => {
    const dir = fresh();
    await writeModel(dir, 'one');
    await writeModel(dir, 'two');
    assert.equal(await readFile(join(dir, 'w.bin'), 'utf8'), 'two');
    const empty = fresh();
    await mkdir(empty);
    await writeModel(empty);
    assert.deepEqual((await readdir(empty)).sort(), ['polarity.json', 'w.bin']);
    assert.deepEqual(await leftovers(dir), []);
  });

  it('refuses a directory holding a file Polarity did not write, naming it and --overwrite, and keeps it', async () => {
    const dir = fresh();
    await mkdir(dir);
    await writeFile(join(dir, 'thesis.txt'), 'years of work');
    await assert.rejects(
      writeModel(dir),
      refused(/case-\d+ is not a Polarity model directory \(it holds thesis\.txt\).*--overwrite/),
    );
    assert.equal(await readFile(join(dir, 'thesis.txt'), 'utf8'), 'years of work');
    assert.deepEqual(await leftovers(dir), []);
  });

  it('refuses a model directory with a file its manifest does not list, and a report for a model', async () => {
    const dir = fresh();
    await writeModel(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await assert.rejects(writeModel(dir), refused(/also holds files Polarity did not write \(notes\.txt\)/));
    const report = fresh();
    await writeReport(report, { title: 'r', sections: [] });
    await assert.rejects(
      writeModel(report),
      refused(/is a Polarity report directory, not a model directory/),
    );
  });

  it('replaces a model whose addModelFiles was killed after its pending manifest, but not a stray file beside it', async () => {
    const dir = fresh();
    await writeModel(dir);
    // What a kill leaves after addModelFiles wrote its pending manifest and its file, before the rename.
    const pending = {
      ...(await readManifest(dir)),
      files: {
        'w.bin': { bytes: 1, sha256: '0'.repeat(64) },
        'split.json': { bytes: 2, sha256: '0'.repeat(64) },
      },
    };
    await writeFile(join(dir, '.polarity.json-0123abcd'), JSON.stringify(pending));
    await writeFile(join(dir, 'split.json'), '{}');
    await writeModel(dir, 'again');
    assert.equal(await readFile(join(dir, 'w.bin'), 'utf8'), 'again');
    await writeFile(join(dir, '.polarity.json-0123abcd'), JSON.stringify(pending));
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await assert.rejects(writeModel(dir), refused(/also holds files Polarity did not write \(notes\.txt\)/));
  });

  it('--overwrite (a claim with overwrite) replaces a foreign directory', async () => {
    const dir = fresh();
    await mkdir(dir);
    await writeFile(join(dir, 'thesis.txt'), 'x');
    await claimOutputDir(dir, 'model', { overwrite: true, flag: '--out' });
    await writeModel(dir);
    assert.deepEqual((await readdir(dir)).sort(), ['polarity.json', 'w.bin']);
  });

  it('never replaces a file, the current directory or a directory holding an input, even with overwrite', async () => {
    const file = join(root, 'plain.txt');
    await writeFile(file, 'keep');
    await assert.rejects(
      claimOutputDir(file, 'model', { overwrite: true, flag: '--out' }),
      refused(/--out \S*plain\.txt is a file, not a directory/),
    );
    assert.equal(await readFile(file, 'utf8'), 'keep');
    await assert.rejects(
      claimOutputDir(process.cwd(), 'model', { overwrite: true }),
      refused(/is the current directory/),
    );
    await assert.rejects(
      claimOutputDir(join(process.cwd(), '..'), 'report', { overwrite: true }),
      refused(/holds the current directory/),
    );
    const data = fresh();
    await mkdir(join(data, 'inner'), { recursive: true });
    await writeFile(join(data, 'inner', 'train.csv'), 'text,label\n');
    for (const input of [join(data, 'inner', 'train.csv'), data]) {
      await assert.rejects(
        claimOutputDir(data, 'model', { overwrite: true, inputs: [input], flag: '--out' }),
        refused(/(holds|is) the input/),
      );
    }
    assert.equal(await readFile(join(data, 'inner', 'train.csv'), 'utf8'), 'text,label\n');
  });

  it('recognises reports and search results written before they had a polarity.json', async () => {
    const report = fresh();
    await writeReport(report, { title: 'r', sections: [] });
    await rm(join(report, 'polarity.json'));
    await writeReport(report, { title: 'again', sections: [] });
    assert.match(await readFile(join(report, 'index.html'), 'utf8'), /again/);

    const search = fresh();
    await mkdir(search);
    await writeFile(join(search, 'results.json'), JSON.stringify({ bestTrial: 1, trials: [] }));
    await writeFile(join(search, 'results.csv'), 'trial\n');
    const files = { 'results.csv': 'new\n', 'results.json': '{}' };
    await writeDirectoryAtomically(
      search,
      { ...files, 'polarity.json': outputMarker('search', Object.keys(files)) },
      'search',
    );
    assert.equal(await readFile(join(search, 'results.csv'), 'utf8'), 'new\n');
    await writeFile(join(search, 'results.json'), 'not ours');
    await rm(join(search, 'polarity.json'));
    await assert.rejects(
      writeDirectoryAtomically(search, files, 'search'),
      refused(/not a Polarity search results directory/),
    );
  });

  it('an output file: refused over an input or a foreign file, replaced over its own', async () => {
    const file = join(root, 'cv.csv');
    await writeFile(file, 'fold,train,test,accuracy\n');
    const own = (start: string) => start.startsWith('fold,');
    await checkOutputFile(file, own);
    await writeFile(file, 'my notes');
    await assert.rejects(
      checkOutputFile(file, own, { flag: '--out' }),
      refused(/not written by Polarity.*--overwrite/),
    );
    await checkOutputFile(file, own, { overwrite: true });
    await assert.rejects(
      checkOutputFile(file, own, { overwrite: true, inputs: [file] }),
      refused(/is the input/),
    );
  });
});

describe('interrupted writes', () => {
  it('the next write removes temp, ready and old directories a killed write left, and only those', async () => {
    const dir = fresh();
    await writeModel(dir, 'before');
    const name = dir.split('/').pop()!;
    const parent = join(dir, '..');
    for (const stage of ['tmp', 'new', 'old']) {
      await mkdir(join(parent, `.polarity-${stage}-${name}-0123abcd`, 'sub'), { recursive: true });
    }
    const other = join(parent, `.polarity-tmp-${name}-2-0123abcd`);
    await mkdir(other);
    await writeModel(dir, 'after');
    assert.deepEqual(await leftovers(dir), [`.polarity-tmp-${name}-2-0123abcd`]);
    await rm(other, { recursive: true });
    assert.equal(await readFile(join(dir, 'w.bin'), 'utf8'), 'after');
  });

  it('a kill between the two renames: the complete new directory is moved into place, by a write or a load', async () => {
    for (const restore of ['load', 'write']) {
      const dir = fresh();
      const name = dir.split('/').pop()!;
      const parent = join(dir, '..');
      const scratch = fresh();
      await writeModel(scratch, 'new');
      await writeModel(dir, 'old');
      // The state a SIGKILL after `rename(dir, old)` and before `rename(ready, dir)` leaves.
      await rename(dir, join(parent, `.polarity-old-${name}-00000001`));
      await rename(scratch, join(parent, `.polarity-new-${name}-00000001`));
      if (restore === 'load') {
        await readManifest(dir);
        assert.equal(await readFile(join(dir, 'w.bin'), 'utf8'), 'new');
      } else {
        await claimOutputDir(dir, 'model');
        assert.equal(await readFile(join(dir, 'w.bin'), 'utf8'), 'new');
      }
      assert.deepEqual(await leftovers(dir), restore === 'write' ? [`.polarity-lock-${name}`] : []);
      releaseOutputClaims();
    }
  });

  it('with only the old directory left, it is moved back', async () => {
    const dir = fresh();
    const name = dir.split('/').pop()!;
    await writeModel(dir, 'old');
    await rename(dir, join(dir, '..', `.polarity-old-${name}-00000002`));
    assert.equal((await readManifest(dir)).kind, 'mlp');
    assert.equal(await readFile(join(dir, 'w.bin'), 'utf8'), 'old');
  });

  it('SIGKILL at random moments of repeated writes leaves the old or the new model whole, never a mix', async () => {
    const child = fileURLToPath(new URL('./write-loop-child.ts', import.meta.url));
    const dir = fresh();
    for (let run = 0; run < 4; run++) {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((done) => proc.stdout.once('data', () => done()));
      await new Promise((done) => setTimeout(done, 5 + Math.random() * 150));
      proc.kill('SIGKILL');
      await new Promise((done) => proc.once('exit', done));
      // The load recovers a write killed between its renames, then checks every file against the manifest.
      const files = await readModelDirectory(dir);
      const write = (JSON.parse(files['polarity.json'].toString()) as { hyperParameters: { write: number } })
        .hyperParameters.write;
      assert.equal(files['a.txt'].toString(), `write ${write}`);
      assert.equal(files['nested/b.txt'].toString(), `write ${write}`);
      assert.ok(files['weights.bin'].every((b) => b === write % 256));
      // The next write takes over the dead process's lock and clears what it left.
      await writeModel(dir, 'next');
      assert.deepEqual(await leftovers(dir), []);
      await rm(dir, { recursive: true });
    }
  });
});

describe('lock', () => {
  it('a second writer fails at once naming the path and the live process; a dead one is taken over', async () => {
    const dir = fresh();
    const name = dir.split('/').pop()!;
    const lock = join(dir, '..', `.polarity-lock-${name}`);
    // The test runner's parent process is alive and is not this process.
    await writeFile(
      lock,
      JSON.stringify({ pid: process.ppid, host: hostname(), started: 'now', command: 'polarity train' }),
    );
    await assert.rejects(
      writeModel(dir),
      refused(
        new RegExp(
          `case-\\d+ is being written by another Polarity process \\(pid ${process.ppid} .*remove the lock file`,
        ),
      ),
    );
    const ended = spawnSync(process.execPath, ['-e', '0']);
    await writeFile(
      lock,
      JSON.stringify({ pid: ended.pid, host: hostname(), started: 'then', command: 'x' }),
    );
    await writeModel(dir);
    assert.deepEqual(await leftovers(dir), []);
    // This process's own pid on a lock it does not hold: an earlier run with the same pid.
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: hostname(), started: 'then', command: 'x' }),
    );
    await writeModel(dir);
    assert.deepEqual(await leftovers(dir), []);
  });

  it("removes the temp file that a writer killed inside the lock's creation left, once its process has ended", async () => {
    const dir = fresh();
    const name = dir.split('/').pop()!;
    const parent = join(dir, '..');
    const ended = spawnSync(process.execPath, ['-e', '0']);
    const deadTemp = `.polarity-lock-${name}.${ended.pid}.0badc0de.tmp`;
    // A running process's temp is its lock creation in flight: it stays.
    const liveTemp = `.polarity-lock-${name}.${process.ppid}.0badc0de.tmp`;
    await writeFile(join(parent, deadTemp), '{"pid":');
    await writeFile(join(parent, liveTemp), '{"pid":');
    await writeModel(dir);
    assert.deepEqual(await leftovers(dir), [liveTemp]);
    await rm(join(parent, liveTemp));
  });

  it('is held from the claim until released, and taken again by the same process', async () => {
    const dir = fresh();
    const name = dir.split('/').pop()!;
    await claimOutputDir(dir, 'model');
    assert.ok((await leftovers(dir)).includes(`.polarity-lock-${name}`));
    await writeModel(dir);
    await writeModel(dir);
    assert.ok((await leftovers(dir)).includes(`.polarity-lock-${name}`));
    releaseOutputClaims();
    assert.deepEqual(await leftovers(dir), []);
  });
});
