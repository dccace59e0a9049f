import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { main } from '../../src/cli/main.js';
import { OptionError } from '../../src/errors.js';
import { runPolarity } from '../helpers/cli.js';
import { fixtureDir } from '../data/own-data-helpers.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const GUARDS = new URL('../../src/cli/exit-status.ts', import.meta.url).href;
const STACK_FRAME = /^\s+at /m;

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
let model: string;
let input: string;

before(async () => {
  fixtures = await fixtureDir();
  const rows = Array.from({ length: 40 }, (_, i) =>
    i % 2 === 0 ? `a great wonderful film ${i},pos` : `an awful boring film ${i},neg`,
  );
  const data = await fixtures.write('tiny.csv', ['text,label', ...rows].join('\n') + '\n');
  // Far more output than a pipe holds (64 KiB), so that the writes after `head` has gone fail.
  const lines = Array.from({ length: 30000 }, (_, i) => `a great film number ${i}`);
  input = await fixtures.write('big.txt', lines.join('\n') + '\n');
  model = join(fixtures.dir, 'model');
  const train = await runPolarity(['train', '--data', data, '--model', 'nb', '--out', model]);
  assert.equal(train.code, 0, train.stderr);
});
after(() => fixtures.cleanup());

/** Runs main() in-process on `program`, returning its exit status and what it wrote to stderr. */
async function runInProcess(
  program: Command,
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(argv, { program, env }), stderr };
  } finally {
    process.stderr.write = write;
  }
}

/** A stand-in for the real program: `polarity fail` throws `error` from its action. */
function failing(error: unknown): Command {
  const program = new Command('polarity').exitOverride();
  program.command('fail').action(() => {
    throw error;
  });
  return program;
}

describe('exit statuses', () => {
  it('predict | head -1: closing the reading end of stdout ends the command quietly with 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', BIN, 'predict', '--model', model, '--input', input, '--no-progress'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let first = '';
    for await (const chunk of child.stdout.setEncoding('utf8')) {
      first += chunk as string;
      if (first.includes('\n')) break; // leaving the loop destroys the stream: the pipe's read end closes
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.match(first.split('\n')[0], /^\{"line":1,"label":"(pos|neg)"/);
    assert.equal(code, 0, stderr);
    // A linear model starts no TF.js backend, so not even the backend line is printed.
    assert.equal(stderr, '', 'nothing on stderr: no EPIPE, no stack');
  });

  it('an unexpected error prints one line naming what failed and that it is a bug, and exits 70', async () => {
    const { code, stderr } = await runInProcess(failing(new TypeError('kaput')), ['fail']);
    assert.equal(code, 70);
    assert.equal(stderr.split('\n').length, 2, `one line: ${stderr}`);
    assert.match(
      stderr,
      /^error: internal error in polarity fail: TypeError: kaput \(a bug in polarity: please report it/,
    );
    assert.doesNotMatch(stderr, STACK_FRAME);
  });

  it('POLARITY_DEBUG=1 adds the stack under that line', async () => {
    const { code, stderr } = await runInProcess(failing(new TypeError('kaput')), ['fail'], {
      POLARITY_DEBUG: '1',
    });
    assert.equal(code, 70);
    assert.match(stderr, /^error: internal error in polarity fail: TypeError: kaput/);
    assert.match(stderr, STACK_FRAME);
  });

  it('a PolarityError is bad input (1, its message alone); a broken pipe is not an error (0, silent)', async () => {
    const bad = await runInProcess(failing(new OptionError('--top must be positive')), ['fail']);
    assert.deepEqual(bad, { code: 1, stderr: 'error: --top must be positive\n' });
    const pipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    assert.deepEqual(await runInProcess(failing(pipe), ['fail']), { code: 0, stderr: '' });
  });

  for (const [what, crash] of [
    ['an exception thrown from a timer', "setTimeout(() => { throw new RangeError('from a timer'); }, 1);"],
    ['an unhandled rejection', "Promise.reject(new RangeError('from a timer'));"],
  ] as const) {
    it(`the executable's guards turn ${what} into one line and exit 70 (the stack with POLARITY_DEBUG=1)`, async () => {
      const script = `import { installCrashGuards } from '${GUARDS}'; installCrashGuards(); ${crash}`;
      const run = (env: NodeJS.ProcessEnv) =>
        promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          env: { ...process.env, ...env },
        }).then(
          () => assert.fail('the process should have failed'),
          (error: { code: number; stderr: string }) => error,
        );
      const quiet = await run({ POLARITY_DEBUG: '' });
      assert.equal(quiet.code, 70);
      assert.match(quiet.stderr, /^error: internal error in polarity: RangeError: from a timer \(a bug/);
      assert.equal(quiet.stderr.split('\n').length, 2, quiet.stderr);
      const debug = await run({ POLARITY_DEBUG: '1' });
      assert.equal(debug.code, 70);
      assert.match(debug.stderr, STACK_FRAME);
    });
  }

  it('polarity --help lists the exit statuses', async () => {
    const help = await runPolarity(['--help']);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /Exit status:\n {2}0 {4}success[^\n]*\n {2}1 {4}bad input or option[^\n]*\n {2}70 {3}internal error/,
    );
  });
});
