import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { registerDownload } from '../../src/cli/download.js';
import { captureStdout } from '../helpers/cli.js';
import { tempDir } from '../data/archive-helpers.js';
import { serveFile } from '../data/server-helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/imdb-sample.tar.gz', import.meta.url));

let dir: string;
let cleanup: () => Promise<void>;
before(async () => ({ dir, cleanup } = await tempDir()));
after(async () => cleanup());

/** Runs `polarity <args>` with only the download command, capturing stdout, stderr and commander's output. */
async function run(args: string[]): Promise<{ stdout: string; stderr: string; error?: unknown }> {
  const program = new Command('polarity').exitOverride();
  let stdout = '';
  let stderr = '';
  program.configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  registerDownload(program);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof writeErr;
  try {
    // The error, if any, is returned from inside the capture, so that what was printed before it is kept.
    const { result: failure, stdout: printed } = await captureStdout(() =>
      program.parseAsync(args, { from: 'user' }).then(
        () => undefined,
        (error: unknown) => ({ error }),
      ),
    );
    return { stdout: stdout + printed, stderr, ...failure };
  } finally {
    process.stderr.write = writeErr;
  }
}

describe('polarity download', () => {
  it('downloads imdb into --cache-dir and prints the path', async () => {
    const body = await readFile(FIXTURE);
    const server = await serveFile(body);
    try {
      const sha256 = createHash('sha256').update(body).digest('hex');
      const cacheDir = join(dir, 'cache');
      const result = await run([
        'download',
        'imdb',
        '--cache-dir',
        cacheDir,
        '--url',
        server.url,
        '--sha256',
        sha256,
      ]);
      assert.equal(result.error, undefined);
      const path = join(cacheDir, 'aclImdb_v1.tar.gz');
      assert.equal(result.stdout, `${path}\n`);
      assert.match(result.stderr, /downloading imdb: .*\d B\/\d.*(kB|MB)/);
      assert.deepEqual(await readFile(path), body);
    } finally {
      await server.close();
    }
  });

  it('refuses an unknown dataset, naming the choices', async () => {
    const result = await run(['download', 'mnist']);
    assert.ok(result.error instanceof CommanderError);
    assert.match(result.stderr, /mnist.*invalid.*Allowed choices are imdb/s);
  });

  it('refuses a malformed --sha256', async () => {
    const result = await run(['download', 'imdb', '--sha256', 'xyz']);
    assert.ok(result.error instanceof CommanderError);
    assert.match(result.stderr, /--sha256.*64 hexadecimal digits/s);
  });

  it('shows the default cache folder in the help', async () => {
    const result = await run(['download', '--help']);
    assert.match(result.stdout, /--cache-dir <dir>.*\(default:\s+".*polarity"\)/s);
  });
});
