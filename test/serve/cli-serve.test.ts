import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runPolarity } from '../helpers/cli.js';
import { saveSampleNbsvm } from '../helpers/models.js';

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
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', BIN, 'serve', '--model', model, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
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
    const response = await fetch(`${url}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['a wonderful film', 'an awful film'] }),
    });
    assert.equal(response.status, 200);
    const { predictions } = (await response.json()) as { predictions: { label: string }[] };
    assert.equal(predictions.length, 2);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /SIGTERM: finishing the requests in flight, refusing new ones\nstopped\n/);
  });
});
