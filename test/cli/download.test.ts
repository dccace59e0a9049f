import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { registerDownload } from '../../src/cli/download.js';
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
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += String(chunk)),
    true
  )) as typeof writeOut;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += String(chunk)),
    true
  )) as typeof writeErr;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error };
  } finally {
    process.stdout.write = writeOut;
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
