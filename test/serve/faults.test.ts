import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { OptionError } from '../../src/errors.js';
import type { Classifier } from '../../src/models/classifier.js';
import { loadClassifier } from '../../src/models/load.js';
import { readManifest, type ModelManifest } from '../../src/persist/index.js';
import { checkLimits, DEFAULT_LIMITS } from '../../src/serve/limits.js';
import { createService, type ServiceOptions } from '../../src/serve/server.js';
import { saveSampleNbsvm } from '../helpers/models.js';
import { predictHead, rawClient, stalledPredict, type RawClient } from '../helpers/raw-http.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-serve-faults-'));
const modelDir = join(root, 'nbsvm');
let classifier: Classifier;
let manifest: ModelManifest;
before(async () => {
  await saveSampleNbsvm(modelDir);
  classifier = await loadClassifier(modelDir);
  manifest = await readManifest(modelDir);
});
after(async () => {
  classifier.dispose();
  await rm(root, { recursive: true, force: true });
});

async function start(options?: ServiceOptions): Promise<{ app: FastifyInstance; port: number }> {
  const app = await createService(classifier, manifest, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}

describe('timeouts', () => {
  let service: { app: FastifyInstance; port: number };
  before(async () => {
    service = await start({ limits: { headersTimeoutMs: 500, requestTimeoutMs: 1000 } });
  });
  after(() => service.app.close());

  it('answers 408 and closes a connection whose body stalls, on time', async () => {
    const client = await rawClient(service.port, stalledPredict(service.port));
    const { received, seconds } = await client.closed;
    assert.match(received, /^HTTP\/1\.1 408 /);
    // The timeout plus the server's check interval (0.25 s), and slack for a busy machine.
    assert.ok(seconds >= 0.95 && seconds < 2, `closed after ${seconds} s`);
  });

  it('answers 408 and closes a connection whose headers stall, on time', async () => {
    const client = await rawClient(service.port, 'POST /v1/predict HTTP/1.1\r\nhost: x\r\n');
    const { received, seconds } = await client.closed;
    assert.match(received, /^HTTP\/1\.1 408 /);
    assert.ok(seconds >= 0.45 && seconds < 1.5, `closed after ${seconds} s`);
  });

  it('closes a connection that sends nothing at the headers timeout', async () => {
    const client = await rawClient(service.port, '');
    const { seconds } = await client.closed;
    assert.ok(seconds >= 0.45 && seconds < 1.5, `closed after ${seconds} s`);
  });

  it('answers a request that arrives in time, however slowly', async () => {
    const body = JSON.stringify({ texts: ['a wonderful film'] });
    const client = await rawClient(service.port, predictHead(service.port, body.length));
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.socket.end(body);
    const { received } = await client.closed;
    assert.match(received, /^HTTP\/1\.1 200 /);
  });
});

describe('methods and encodings', () => {
  let service: { app: FastifyInstance; port: number };
  let url: string;
  before(async () => {
    service = await start();
    url = `http://127.0.0.1:${service.port}`;
  });
  after(() => service.app.close());

  const cases: readonly [string, string, string][] = [
    ['GET', '/v1/predict', 'POST'],
    ['PUT', '/v1/explain', 'POST'],
    ['POST', '/v1/model', 'GET, HEAD'],
    ['DELETE', '/healthz?x=1', 'GET, HEAD'],
    ['POST', '/', 'GET, HEAD'],
  ];
  for (const [method, path, allow] of cases) {
    it(`answers 405 with Allow: ${allow} to ${method} ${path}`, async () => {
      const response = await fetch(`${url}${path}`, { method });
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('allow'), allow);
      const json = (await response.json()) as { code: string; message: string };
      assert.equal(json.code, 'POLARITY_METHOD_NOT_ALLOWED');
      assert.match(json.message, new RegExp(`^${method} is not allowed on /\\S*: use `));
    });
  }

  it('still answers 404 to an unknown path, whatever the method', async () => {
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${url}/v2/predict`, { method });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('allow'), null);
    }
  });

  it('answers 400 to a body that is not valid UTF-8', async () => {
    const body = Buffer.concat([Buffer.from('{"texts": ["caf'), Buffer.from([0xe9]), Buffer.from('"]}')]);
    const response = await fetch(`${url}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(response.status, 400);
    const json = (await response.json()) as { code: string; message: string };
    assert.equal(json.code, 'POLARITY_INVALID_UTF8');
    assert.match(json.message, /not valid UTF-8/);
  });

  it('accepts UTF-8 text, a charset parameter, and still refuses prototype poisoning', async () => {
    const send = (body: string) =>
      fetch(`${url}/v1/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
      });
    assert.equal((await send(JSON.stringify({ texts: ['un café très réussi 🎬'] }))).status, 200);
    assert.equal((await send('{"texts": ["a"], "__proto__": {"x": 1}}')).status, 400);
    assert.equal((await send('')).status, 400);
  });

  it('refuses an explanation that needs more texts than the queue holds, with 400 not 503', async () => {
    // A model without its own explanation is explained by occlusion: one text scored per word.
    const occluded: Classifier = {
      kind: 'stub',
      labels: ['neg', 'pos'],
      predict: async (texts) => texts.map(() => ({ label: 'pos', score: 1, scores: { neg: 0, pos: 1 } })),
      save: async () => {},
      dispose: () => {},
    };
    const app = await createService(occluded, manifest, { limits: { maxQueuedTexts: 64 } });
    try {
      const explain = (words: number) =>
        app.inject({ method: 'POST', url: '/v1/explain', payload: { text: 'word '.repeat(words) } });
      assert.equal((await explain(63)).statusCode, 200);
      const refused = await explain(64);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json<{ message: string }>().message, /needs 65 texts scored .* \(64\)/);
    } finally {
      await app.close();
    }
  });
});

describe('limits that contradict each other', () => {
  it('are refused, naming both', () => {
    assert.throws(
      () => checkLimits({ ...DEFAULT_LIMITS, maxTexts: 10_000 }),
      (error) =>
        error instanceof OptionError &&
        /maxTexts 10000 is more than the queue holds \(maxQueuedTexts 8192\)/.test(error.message),
    );
    assert.throws(
      () => checkLimits({ ...DEFAULT_LIMITS, headersTimeoutMs: 40_000 }, (field) => `--${field}`),
      /--headersTimeoutMs is longer than --requestTimeoutMs/,
    );
  });

  it('stop the service from being built', async () => {
    await assert.rejects(
      createService(classifier, manifest, { limits: { maxTexts: 9, maxQueuedTexts: 8 } }),
      OptionError,
    );
  });
});

describe('shutdown', () => {
  it('closes connections stalled mid-body or silent at the deadline, and finishes in time', async () => {
    const deadlines: number[] = [];
    const service = await start({
      shutdownTimeoutMs: 1000,
      onShutdownDeadline: (open) => deadlines.push(open),
    });
    const stalled = await rawClient(service.port, stalledPredict(service.port));
    const silent = await rawClient(service.port, '');
    // A keep-alive connection that has been answered and now idles: closed at once, not at the deadline.
    const body = JSON.stringify({ texts: ['fine'] });
    const answered = await rawClient(service.port, `${predictHead(service.port, body.length)}${body}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    const closedAt = (client: RawClient) => client.closed.then(() => (performance.now() - started) / 1000);
    const times = Promise.all([stalled, silent, answered].map(closedAt));
    await service.app.close();
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds >= 0.95 && seconds < 2, `closed after ${seconds} s`);
    assert.deepEqual(deadlines, [2]);
    const [stalledAt, silentAt, answeredAt] = await times;
    assert.ok(stalledAt >= 0.95 && silentAt >= 0.95, `closed after ${stalledAt} and ${silentAt} s`);
    assert.ok(answeredAt < 0.5, `the idle keep-alive connection closed after ${answeredAt} s`);
  });

  it('closes at once when no request is in flight, idle keep-alive connections included', async () => {
    const service = await start({ shutdownTimeoutMs: 5000 });
    const body = JSON.stringify({ texts: ['fine'] });
    const answered = await rawClient(service.port, `${predictHead(service.port, body.length)}${body}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await service.app.close();
    assert.ok((performance.now() - started) / 1000 < 1);
    assert.match((await answered.closed).received, /^HTTP\/1\.1 200 /);
  });
});
