import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runPolarity } from '../helpers/cli.js';
import { saveSampleNbsvm } from '../helpers/models.js';
import { rawClient, stalledPredict } from '../helpers/raw-http.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'polarity-cli-serve-'));
const model = join(root, 'nbsvm');
before(() => saveSampleNbsvm(model));
after(() => rm(root, { recursive: true, force: true }));

describe('polarity serve', () => {
  it('stops start-up with a clear message when the model does not load', async () => {
    const result = await runPolarity(['serve', '--model', join(root, 'missing'), '--port', '0']);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /the service did not start: the model could not be loaded: .*missing: model directory does not exist/,
    );
  });

  it('says so when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = await runPolarity(['serve', '--model', model, '--port', String(port)]);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(`the service did not start: cannot listen on 127\\.0\\.0\\.1:${port}`),
      );
    } finally {
      blocker.close();
    }
  });

  it('serves until SIGTERM, then finishes and exits with status 0', async () => {
    const serve = await startServe([]);
    const response = await fetch(`${serve.url}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['a wonderful film', 'an awful film'] }),
    });
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as { predictions: { label: string }[] };
    assert.equal(predictions.length, 2);
    serve.child.kill('SIGTERM');
    assert.equal(await serve.exited, 0, serve.stderr());
    assert.match(
      serve.stderr(),
      /SIGTERM: finishing the requests in flight, refusing new ones \(at most 10 s\)\nstopped\n/,
    );
  });

  it('exits on the --shutdown-timeout deadline although a client stalls mid-body', async () => {
    // A request timeout far beyond the deadline, so that only the deadline can end the stalled request.
    const serve = await startServe(['--shutdown-timeout', '1', '--request-timeout', '120']);
    const stalled = await rawClient(serve.port, stalledPredict(serve.port));
    const idle = await fetch(`${serve.url}/healthz`); // leaves an idle keep-alive connection
    assert.equal(idle.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    serve.child.kill('SIGTERM');
    const code = await serve.exited;
    const seconds = (performance.now() - started) / 1000;
    assert.equal(code, 0, serve.stderr());
    assert.ok(seconds >= 0.9 && seconds < 3, `exited ${seconds} s after SIGTERM`);
    assert.match(serve.stderr(), /closing 1 connection still open after 1 s\nstopped\n/);
    await stalled.closed;
  });

  it('answers 408 to a body that stalls, within --request-timeout', async () => {
    const serve = await startServe(['--request-timeout', '1', '--headers-timeout', '0.5']);
    try {
      const { received, seconds } = await (await rawClient(serve.port, stalledPredict(serve.port))).closed;
      assert.match(received, /^HTTP\/1\.1 408 /);
      assert.ok(seconds >= 0.95 && seconds < 2, `closed after ${seconds} s`);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });

  it('refuses --max-texts above --max-queue at start-up, naming both', async () => {
    const result = await runPolarity(['serve', '--model', model, '--port', '0', '--max-texts', '10000']);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /error: --max-texts 10000 is more than the queue holds \(--max-queue 8192\): .*lower --max-texts or raise --max-queue/,
    );
  });

  it('refuses a headers timeout longer than the request timeout', async () => {
    const result = await runPolarity(['serve', '--model', model, '--port', '0', '--headers-timeout', '31']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: --headers-timeout is longer than --request-timeout/);
  });
});

interface Serving {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly exited: Promise<number | null>;
  readonly stderr: () => string;
}

/** Starts the real `polarity serve` on a free port and waits until it says where it listens. */
async function startServe(args: readonly string[]): Promise<Serving> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', BIN, 'serve', '--model', model, '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /serving a nbsvm model on (http:\/\/\S+) /.exec(stderr);
      if (match) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`serve exited early:\n${stderr}`)));
  });
  return { child, url, port: Number(new URL(url).port), exited, stderr: () => stderr };
}
