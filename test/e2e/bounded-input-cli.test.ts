import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../data/archive-helpers.js';
import { runPolarity } from '../helpers/cli.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
/** Well above the start-up time on a slow machine; a read that does not stop at the limit never ends. */
const DEADLINE_MS = 60_000;
/** The heap a bounded read needs, with room: an unbounded one passes it long before the deadline. */
const HEAP_MB = 192;

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs polarity with a capped heap and a deadline, stdin from `stdin` when given. A regression (a read
 * that grows without end) then fails the test by memory or time instead of eating the machine.
 */
function runBounded(args: readonly string[], stdin?: string): Promise<Ended> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', BIN, ...args],
    {
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
    },
  );
  if (stdin !== undefined) {
    // The child stops reading at the limit: the pipe then breaks, which is expected.
    child.stdin!.on('error', () => undefined);
    const source = createReadStream(stdin);
    source.pipe(child.stdin!);
    child.on('close', () => source.destroy());
  }
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: performance.now() - started });
    }),
  );
}

function assertRefused(ended: Ended, file: string): void {
  assert.equal(ended.signal, null, `killed after ${Math.round(ended.ms)} ms: ${ended.stderr}`);
  assert.equal(ended.code, 1, ended.stderr);
  assert.match(
    ended.stderr,
    new RegExp(`error: ${file}:1: line is longer than 10,485,760 bytes, the --max-record-bytes limit`),
  );
  assert.doesNotMatch(ended.stderr, /\n\s+at /, 'no stack trace');
}

describe('bounded input on the command line', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let model: string;

  before(async () => {
    ({ dir, cleanup } = await tempDir('polarity-bounded-cli-'));
    const data = join(dir, 'tiny.csv');
    await writeFile(
      data,
      'text,label\ngood fine film,pos\nbad dull film,neg\ngreat fun,pos\nawful mess,neg\n',
    );
    model = join(dir, 'model');
    const trained = await runPolarity(['train', '--data', data, '--model', 'nb', '--out', model]);
    assert.equal(trained.code, 0, trained.stderr);
  });
  after(() => cleanup());

  it('train --data /dev/zero --format csv stops at the limit with exit 1, naming the file and line', async () => {
    assertRefused(
      await runBounded([
        'train',
        '--data',
        '/dev/zero',
        '--format',
        'csv',
        '--model',
        'nb',
        '--out',
        join(dir, 'm'),
      ]),
      '/dev/zero',
    );
  });

  it('predict --input /dev/zero, and /dev/zero on standard input, likewise', async () => {
    assertRefused(
      await runBounded(['predict', '--model', model, '--input', '/dev/zero', '--no-progress']),
      '/dev/zero',
    );
    assertRefused(await runBounded(['predict', '--model', model, '--input', '-'], '/dev/zero'), '-');
  });

  it('--max-record-bytes sets the limit (of --embeddings too), and a value that is not a size is refused naming the flag', async () => {
    const data = join(dir, 'long.csv');
    await writeFile(data, `text,label\n${'word '.repeat(100)},pos\nbad,neg\n`);
    const refused = await runPolarity(['stats', '--data', data, '--max-record-bytes', '100']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /long\.csv:2: line is longer than 100 bytes, the --max-record-bytes limit/);
    const accepted = await runPolarity(['stats', '--data', data, '--max-record-bytes', '1k']);
    assert.equal(accepted.code, 0, accepted.stderr);
    const vectors = join(dir, 'long.vec');
    await writeFile(vectors, `the 0.1 0.2 0.3\nfilm ${'0.5 '.repeat(100)}\n`);
    const embeddings = await runPolarity([
      'train',
      ...['--data', join(dir, 'tiny.csv'), '--model', 'mlp', '--out', join(dir, 'mlp')],
      ...['--embeddings', vectors, '--max-record-bytes', '100'],
    ]);
    assert.equal(embeddings.code, 1, embeddings.stderr);
    assert.match(
      embeddings.stderr,
      /long\.vec:2: line is longer than 100 bytes, the --max-record-bytes limit/,
    );
    const bad = await runPolarity(['stats', '--data', data, '--max-record-bytes', '0']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--max-record-bytes.*expected a positive number of bytes/);
  });
});
