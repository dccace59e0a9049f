/**
 * The output directories of the CLI (issue 14): nothing Polarity did not write is replaced without
 * --overwrite; a file, the data and the current directory never; a second writer fails at once; a kill
 * leaves the old model or the new one.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadClassifier } from '../../src/models/load.js';
import { readModelDirectory } from '../../src/persist/index.js';
import type { CliResult } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
// Resolved here, so that the CLI can run in a working directory of the test's choosing.
const TSX = import.meta.resolve('tsx');

const root = await mkdtemp(join(tmpdir(), 'polarity-safe-outputs-'));
after(() => rm(root, { recursive: true, force: true }));

function args(list: readonly string[]): string[] {
  return ['--import', TSX, BIN, ...list];
}

/** Runs `polarity` in `root` (or `cwd`), so that relative paths and `--out .` name places inside it. */
function polarity(list: readonly string[], cwd = root): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args(list),
      { cwd, env: { ...process.env, POLARITY_DATA: '', POLARITY_CACHE: join(root, 'cache') } },
      (error, stdout, stderr) =>
        done({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    );
  });
}

/** Two words per label and a unique id per row: enough for naive Bayes, tiny to train. */
function tinyCsv(rows = 60): string {
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    lines.push(i % 2 ? `good great fine lovely r${i},pos` : `bad awful dull poor r${i},neg`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Kills `proc` with SIGKILL and resolves once it is gone. A child that already ended by itself (a
 * small run can finish inside the wait before the kill) is left alone: its 'exit' event has fired,
 * and waiting for another would leave the test pending forever.
 */
async function killAndWait(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((done) => proc.once('exit', done));
  proc.kill('SIGKILL');
  await exited;
}

const TRAIN = ['train', '--data', 'tiny.csv', '--test-split', '0.2', '--model', 'nb'];

/** One line, `error: ...`, exit 1, no stack trace. */
function assertRefused(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  // Refused before the data was read, let alone a model trained.
  assert.doesNotMatch(result.stderr, /reading|saved/);
}

before(async () => {
  await writeFile(join(root, 'tiny.csv'), tinyCsv());
});

describe('output directories', () => {
  it('train --out at a folder holding a user file: refused, the file kept; --overwrite replaces it', async () => {
    await mkdir(join(root, 'u'));
    await writeFile(join(root, 'u', 'thesis.txt'), 'years of work');
    const refused = await polarity([...TRAIN, '--out', 'u']);
    assertRefused(
      refused,
      /^error: --out u is not a Polarity model directory \(it holds thesis\.txt\): refusing to replace it\. Pass --overwrite/,
    );
    assert.equal(await readFile(join(root, 'u', 'thesis.txt'), 'utf8'), 'years of work');

    const forced = await polarity([...TRAIN, '--out', 'u', '--overwrite']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(!(await readdir(join(root, 'u'))).includes('thesis.txt'));
    (await loadClassifier(join(root, 'u'))).dispose();
  });

  it('train --out at the folder holding the data: refused, even with --overwrite', async () => {
    await mkdir(join(root, 'd'));
    await writeFile(join(root, 'd', 'tiny.csv'), tinyCsv());
    for (const extra of [[], ['--overwrite']]) {
      const result = await polarity([
        ...TRAIN.slice(0, 2),
        'd/tiny.csv',
        ...TRAIN.slice(3),
        '--out',
        'd',
        ...extra,
      ]);
      assertRefused(
        result,
        /^error: --out d holds the input d\/tiny\.csv: Polarity never replaces its own input/,
      );
    }
    assert.equal(await readFile(join(root, 'd', 'tiny.csv'), 'utf8'), tinyCsv());
  });

  it('train --out at a regular file: refused, even with --overwrite, and the file stays a file', async () => {
    await writeFile(join(root, 'notes.txt'), 'mine');
    for (const extra of [[], ['--overwrite']]) {
      const result = await polarity([...TRAIN, '--out', 'notes.txt', ...extra]);
      assertRefused(result, /^error: --out notes\.txt is a file, not a directory/);
    }
    assert.equal(await readFile(join(root, 'notes.txt'), 'utf8'), 'mine');
  });

  it('train --out . and --out ..: refused with one line, no crash, nothing removed', async () => {
    const cwd = join(root, 'work');
    await mkdir(cwd);
    await writeFile(join(cwd, 'tiny.csv'), tinyCsv());
    const here = await polarity([...TRAIN, '--out', '.', '--overwrite'], cwd);
    assertRefused(here, /^error: --out \. is the current directory: Polarity never replaces it/);
    const above = await polarity([...TRAIN, '--out', '..', '--overwrite'], cwd);
    assertRefused(above, /holds the current directory/);
    assert.deepEqual(await readdir(cwd), ['tiny.csv']);
  });

  it('stats --report at a folder holding a user file: refused; --overwrite replaces it; a report is rewritten', async () => {
    await mkdir(join(root, 'r'));
    await writeFile(join(root, 'r', 'thesis.txt'), 'x');
    const stats = ['stats', '--data', 'tiny.csv', '--report', 'r'];
    assertRefused(
      await polarity(stats),
      /^error: --report r is not a Polarity report directory \(it holds thesis\.txt\)/,
    );
    assert.equal(await readFile(join(root, 'r', 'thesis.txt'), 'utf8'), 'x');
    const forced = await polarity([...stats, '--overwrite']);
    assert.equal(forced.code, 0, forced.stderr);
    const again = await polarity(stats);
    assert.equal(again.code, 0, again.stderr);
    const files = await readdir(join(root, 'r'));
    assert.ok(
      files.includes('index.html') && files.includes('polarity.json') && !files.includes('thesis.txt'),
    );
  });

  it('re-training into a model directory replaces it; one output inside another is refused', async () => {
    for (let i = 0; i < 2; i++) {
      const result = await polarity([...TRAIN, '--out', 'again']);
      assert.equal(result.code, 0, result.stderr);
    }
    assert.deepEqual(
      (await readdir(root)).filter((e) => e.startsWith('.polarity-')),
      [],
      'no temp directory or lock is left',
    );
    assertRefused(
      await polarity([
        'train',
        '--data',
        'tiny.csv',
        '--model',
        'mlp',
        '--out',
        'again',
        '--report',
        'again/r',
      ]),
      /^error: --out again and --report again\/r overlap: give them different directories/,
    );
  });

  it('search --out and cv --out refuse what they did not write, and the data always', async () => {
    await mkdir(join(root, 's'));
    await writeFile(join(root, 's', 'todo.md'), 'x');
    const search = ['search', '--data', 'tiny.csv', '--model', 'nb', '--grid', 'alpha=0.5,1', '--out', 's'];
    assertRefused(await polarity(search), /^error: --out s is not a Polarity search results directory/);
    const cv = ['cv', '--data', 'tiny.csv', '--model', 'nb', '--folds', '2', '--out'];
    assertRefused(await polarity([...cv, 'tiny.csv', '--overwrite']), /^error: --out tiny\.csv is the input/);
    await writeFile(join(root, 'mine.csv'), 'a,b\n');
    assertRefused(
      await polarity([...cv, 'mine.csv']),
      /^error: --out mine\.csv exists and was not written by Polarity/,
    );
    assert.equal(await readFile(join(root, 'tiny.csv'), 'utf8'), tinyCsv());
    assert.equal(await readFile(join(root, 'mine.csv'), 'utf8'), 'a,b\n');
  });
});

describe('two writers of one --out', () => {
  it('the second fails at once, naming the path and the first process; the first finishes', async () => {
    await writeFile(join(root, 'big.csv'), tinyCsv(40_000));
    const first = spawn(
      process.execPath,
      args(['train', '--data', 'big.csv', '--model', 'nb', '--out', 'shared']),
      { cwd: root, env: { ...process.env, POLARITY_DATA: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let firstErr = '';
    first.stderr.on('data', (chunk: Buffer) => (firstErr += chunk.toString()));
    // Once it holds the lock, the first is paused (SIGSTOP): alive, and in the middle of its run.
    for (let i = 0; i < 3000 && !(await readdir(root)).includes('.polarity-lock-shared'); i++) {
      await new Promise((done) => setTimeout(done, 10));
    }
    first.kill('SIGSTOP');
    try {
      const lock = await readFile(join(root, '.polarity-lock-shared'), 'utf8');
      assert.match(lock, new RegExp(`"pid":${first.pid}`));
      const second = await polarity(['train', '--data', 'tiny.csv', '--model', 'nb', '--out', 'shared']);
      assertRefused(
        second,
        new RegExp(`^error: --out shared is being written by another Polarity process \\(pid ${first.pid} `),
      );
    } finally {
      first.kill('SIGCONT');
    }
    const code = await new Promise((done) => first.once('exit', done));
    assert.equal(code, 0, firstErr);
    (await loadClassifier(join(root, 'shared'))).dispose();
    assert.ok(!(await readdir(root)).includes('.polarity-lock-shared'), 'the lock is removed at exit');
  });
});

describe('train killed with SIGKILL', () => {
  it('leaves --out holding the old complete model or the new complete one', async () => {
    const out = join(root, 'killed');
    const first = await polarity([...TRAIN, '--out', 'killed']);
    assert.equal(first.code, 0, first.stderr);
    const old = await readFile(join(out, 'polarity.json'), 'utf8');
    // Kill at moments around the save: when reading starts, when fitting starts, when it ends.
    for (const [i, moment] of ['reading train', 'fitting: 0', 'fitting: 1/1'].entries()) {
      const proc = spawn(process.execPath, args([...TRAIN, '--out', 'killed']), {
        cwd: root,
        env: { ...process.env, POLARITY_DATA: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      await new Promise<void>((done) => {
        proc.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes(moment)) done();
        });
        proc.once('exit', () => done());
      });
      await new Promise((done) => setTimeout(done, Math.random() * 20 * i));
      await killAndWait(proc);
      // Loading recovers a write killed between its two renames, and checks every file.
      await readModelDirectory(out);
      const now = await readFile(join(out, 'polarity.json'), 'utf8');
      if (now !== old) assert.equal((JSON.parse(now) as { kind: string }).kind, 'nb');
      (await loadClassifier(out)).dispose();
    }
    // The next run takes over the dead process's lock and clears what it left.
    const next = await polarity([...TRAIN, '--out', 'killed']);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(
      (await readdir(root)).filter((e) => e.includes('-killed')),
      [],
    );
  });

  it('leaves a neural --checkpoint directory holding a complete model of some epoch', async () => {
    const neural = ['train', '--data', 'tiny.csv', '--model', 'mlp', '--epochs', '6', '--num-words', '100'];
    const run = [
      ...neural,
      '--max-len',
      '20',
      '--validation-split',
      '0.2',
      '--checkpoint',
      'ck',
      '--out',
      'ck-final',
    ];
    for (const delay of [0, 150]) {
      await rm(join(root, 'ck'), { recursive: true, force: true });
      const proc = spawn(process.execPath, args(run), {
        cwd: root,
        env: { ...process.env, POLARITY_DATA: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      await new Promise<void>((done) => {
        proc.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('checkpoint: saved the model after epoch 1')) done();
        });
        proc.once('exit', () => done());
      });
      await new Promise((done) => setTimeout(done, delay + Math.random() * 100));
      await killAndWait(proc);
      const files = await readModelDirectory(join(root, 'ck'));
      const manifest = JSON.parse(files['polarity.json'].toString()) as {
        kind: string;
        training: { history: unknown[] };
      };
      assert.equal(manifest.kind, 'mlp');
      assert.ok(manifest.training.history.length >= 1);
    }
  });
});
