import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Classifier, Prediction } from '../../src/models/classifier.js';
import { loadClassifier } from '../../src/models/load.js';
import { readManifest, type ModelManifest } from '../../src/persist/index.js';
import type { ServiceLimits } from '../../src/serve/limits.js';
import { createService, type ServiceOptions } from '../../src/serve/server.js';
import { imdbSample } from '../helpers/fixtures.js';
import { saveSampleNbsvm, saveToyMlp, TOY_NEGATIVE, TOY_POSITIVE } from '../helpers/models.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-serve-'));
const nbsvmDir = join(root, 'nbsvm');
const mlpDir = join(root, 'mlp');
before(() => Promise.all([saveSampleNbsvm(nbsvmDir), saveToyMlp(mlpDir)]));
after(() => rm(root, { recursive: true, force: true }));

interface Running {
  readonly app: FastifyInstance;
  readonly url: string;
}

async function start(
  classifier: Classifier,
  manifest: ModelManifest,
  options?: ServiceOptions,
): Promise<Running> {
  const app = await createService(classifier, manifest, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const predictionsOf = (json: Record<string, unknown>) => json.predictions as Prediction[];

/** A stand-in model whose calls wait for the test to open a gate; it labels a text by its length. */
function gatedModel(): Classifier & { batches: number[]; open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const model = {
    kind: 'gated',
    labels: ['even', 'odd'],
    batches: [] as number[],
    open: () => open(),
    async predict(texts: readonly string[]): Promise<Prediction[]> {
      model.batches.push(texts.length);
      await gate;
      return texts.map((text) => {
        const label = text.length % 2 ? 'odd' : 'even';
        return { label, score: 1, scores: { even: text.length % 2 ? 0 : 1, odd: text.length % 2 } };
      });
    },
    async save() {},
    dispose() {},
  };
  return model;
}

const GATED_MANIFEST = {
  format: 'polarity-model',
  formatVersion: 1,
  kind: 'gated',
  labels: ['even', 'odd'],
  hyperParameters: {},
  encoder: {},
  training: { createdAt: '2020-01-01T00:00:00.000Z' },
  files: {},
} as const satisfies ModelManifest;

async function queuedTexts(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^polarity_queued_texts (\d+)$/m.exec(text)?.[1]);
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached in 5 s');
}

describe('the service with a linear model', () => {
  let classifier: Classifier;
  let service: Running;
  let texts: string[];
  before(async () => {
    classifier = await loadClassifier(nbsvmDir);
    service = await start(classifier, await readManifest(nbsvmDir));
    texts = (await imdbSample()).test.slice(0, 24).map((e) => e.text);
  });
  after(async () => {
    await service.app.close();
    classifier.dispose();
  });

  it('predicts each text, in order, exactly as the model does', async () => {
    const { status, json } = await post(`${service.url}/v1/predict`, { texts });
    assert.equal(status, 200);
    assert.deepEqual(predictionsOf(json), await classifier.predict(texts));
  });

  it('gives the same answers to concurrent requests as to sequential ones', async () => {
    const sequential: Prediction[] = [];
    for (const text of texts)
      sequential.push(...predictionsOf((await post(`${service.url}/v1/predict`, { texts: [text] })).json));
    const concurrent = await Promise.all(
      texts.map((text) => post(`${service.url}/v1/predict`, { texts: [text] })),
    );
    assert.deepEqual(
      concurrent.flatMap(({ json }) => predictionsOf(json)),
      sequential,
    );
  });

  it('explains a text word by word with the model’s own weights', async () => {
    const text = 'A wonderful film with a superb cast, but the ending was awful.';
    const { status, json } = await post(`${service.url}/v1/explain`, { text });
    assert.equal(status, 200);
    const [prediction] = await classifier.predict([text]);
    assert.equal(json.label, prediction.label);
    assert.equal(json.score, prediction.score);
    assert.equal(json.method, 'model');
    const words = json.words as { word: string; start: number; end: number; weight: number }[];
    for (const w of words) assert.equal(text.slice(w.start, w.end), w.word);
    const weight = (word: string) => words.find((w) => w.word === word)?.weight ?? 0;
    assert.ok(weight('wonderful') * weight('awful.') < 0, JSON.stringify(words));
    assert.ok((json.attributions as unknown[]).length > 0);
  });

  it('describes the model, says it is healthy and serves the page', async () => {
    const model = (await (await fetch(`${service.url}/v1/model`)).json()) as ModelManifest;
    assert.deepEqual(model, await readManifest(nbsvmDir));
    assert.deepEqual(await (await fetch(`${service.url}/healthz`)).json(), { status: 'ok', model: 'nbsvm' });
    const page = await fetch(`${service.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('content-security-policy'), "default-src 'self'");
    const html = await page.text();
    assert.match(html, /<textarea\s+id="review"/);
    for (const asset of ['app.js', 'style.css']) {
      const response = await fetch(`${service.url}/${asset}`);
      assert.equal(response.status, 200, asset);
      // Nothing on the page may come from another host.
      assert.doesNotMatch(await response.text(), /https?:\/\//, asset);
    }
    assert.doesNotMatch(html, /https?:\/\//);
  });

  it('counts requests, errors and latency for Prometheus', async () => {
    await post(`${service.url}/v1/predict`, { texts: ['fine'] });
    await post(`${service.url}/v1/predict`, { wrong: true });
    const response = await fetch(`${service.url}/metrics`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const metrics = await response.text();
    const value = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);
    assert.ok(
      value(/^polarity_http_requests_total\{method="POST",route="\/v1\/predict",status="200"\} (\d+)$/m) >= 1,
    );
    assert.ok(value(/^polarity_http_errors_total\{route="\/v1\/predict",status="400"\} (\d+)$/m) >= 1);
    assert.ok(
      value(/^polarity_http_request_duration_seconds_count\{method="POST",route="\/v1\/predict"\} (\d+)$/m) >=
        2,
    );
    assert.match(metrics, /^polarity_batch_texts_bucket\{le="1"\} \d+$/m);
  });
});

describe('limits', () => {
  let classifier: Classifier;
  let service: Running;
  const limits: Partial<ServiceLimits> = { maxBodyBytes: 2000, maxTexts: 3, maxTextChars: 50 };
  before(async () => {
    classifier = await loadClassifier(nbsvmDir);
    service = await start(classifier, await readManifest(nbsvmDir), { limits });
  });
  after(async () => {
    await service.app.close();
    classifier.dispose();
  });

  const send = async (path: string, body: string, contentType?: string) => {
    const response = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      body,
    });
    return { status: response.status, message: ((await response.json()) as { message: string }).message };
  };
  const json = 'application/json';

  const cases: readonly [string, string, string, string | undefined, number, RegExp][] = [
    [
      'a body over the size limit',
      '/v1/predict',
      JSON.stringify({ texts: ['x'.repeat(3000)] }),
      json,
      413,
      /larger than the limit of 2000 bytes/,
    ],
    [
      'too many texts',
      '/v1/predict',
      JSON.stringify({ texts: ['a', 'b', 'c', 'd'] }),
      json,
      400,
      /texts must NOT have more than 3 items/,
    ],
    [
      'a text too long',
      '/v1/predict',
      JSON.stringify({ texts: ['ok', 'y'.repeat(51)] }),
      json,
      400,
      /texts\/1 must NOT have more than 50 characters/,
    ],
    [
      'a text too long to explain',
      '/v1/explain',
      JSON.stringify({ text: 'y'.repeat(51) }),
      json,
      400,
      /text must NOT have more than 50 characters/,
    ],
    ['no texts', '/v1/predict', JSON.stringify({ texts: [] }), json, 400, /must NOT have fewer than 1 items/],
    [
      'a text that is not a string',
      '/v1/predict',
      JSON.stringify({ texts: [1] }),
      json,
      400,
      /texts\/0 must be string/,
    ],
    [
      'a string instead of a list',
      '/v1/predict',
      JSON.stringify({ texts: 'a' }),
      json,
      400,
      /texts must be array/,
    ],
    [
      'an unknown field',
      '/v1/predict',
      JSON.stringify({ texts: ['a'], extra: 1 }),
      json,
      400,
      /must NOT have additional properties/,
    ],
    ['malformed JSON', '/v1/predict', '{"texts": [', json, 400, /not valid JSON/],
    ['text/plain', '/v1/predict', 'a review', 'text/plain', 415, /unsupported content type "text\/plain"/],
    ['form data', '/v1/explain', 'text=a', 'application/x-www-form-urlencoded', 415, /application\/json/],
    ['no content type', '/v1/predict', '{"texts":["a"]}', undefined, 415, /unsupported content type/],
  ];
  for (const [name, path, body, contentType, status, message] of cases) {
    it(`answers ${status} to ${name}`, async () => {
      const answer = await send(path, body, contentType);
      assert.equal(answer.status, status);
      assert.match(answer.message, message);
    });
  }

  it('still answers correctly after all those client errors', async () => {
    const { status, json } = await post(`${service.url}/v1/predict`, { texts: ['a wonderful film'] });
    assert.equal(status, 200);
    assert.deepEqual(predictionsOf(json), await classifier.predict(['a wonderful film']));
  });

  it('answers 404 to an unknown route', async () => {
    assert.equal((await fetch(`${service.url}/v2/predict`)).status, 404);
  });
});

describe('the service with a neural model', () => {
  let classifier: Classifier;
  let service: Running;
  before(async () => {
    classifier = await loadClassifier(mlpDir);
    service = await start(classifier, await readManifest(mlpDir));
  });
  after(async () => {
    await service.app.close();
    classifier.dispose();
  });

  it('explains by occlusion: the probability lost without each word', async () => {
    const { status, json } = await post(`${service.url}/v1/explain`, { text: TOY_POSITIVE });
    assert.equal(status, 200);
    assert.equal(json.method, 'occlusion');
    assert.equal(json.label, 'pos');
    const words = json.words as { word: string; start: number; end: number; weight: number }[];
    assert.deepEqual(
      words.map((w) => w.word),
      TOY_POSITIVE.split(' '),
    );
    for (const word of words) {
      const without = `${TOY_POSITIVE.slice(0, word.start)} ${TOY_POSITIVE.slice(word.end)}`;
      const [prediction] = await classifier.predict([without]);
      assert.ok(Math.abs(word.weight - ((json.score as number) - prediction.scores.pos)) < 1e-6, word.word);
    }
  });

  it('gives the same answers to concurrent requests as to sequential ones', async () => {
    const texts = Array.from({ length: 16 }, (_, i) =>
      (i % 2 ? TOY_POSITIVE : TOY_NEGATIVE).replace(/\d+$/, String(i)),
    );
    const sequential: Prediction[] = [];
    for (const text of texts)
      sequential.push(...predictionsOf((await post(`${service.url}/v1/predict`, { texts: [text] })).json));
    const concurrent = await Promise.all(
      texts.map((text) => post(`${service.url}/v1/predict`, { texts: [text] })),
    );
    assert.deepEqual(
      concurrent.flatMap(({ json }) => predictionsOf(json)),
      sequential,
    );
  });
});

describe('batching, back-pressure and shutdown', () => {
  it('scores requests that arrive while the model is busy in one batch', async () => {
    const model = gatedModel();
    const service = await start(model, GATED_MANIFEST);
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g', 'hh'];
    const answers = Promise.all(texts.map((text) => post(`${service.url}/v1/predict`, { texts: [text] })));
    await waitFor(async () => (await queuedTexts(service.url)) === texts.length);
    model.open();
    const results = await answers;
    assert.deepEqual(
      results.map(({ json }) => predictionsOf(json)[0].label),
      texts.map((t) => (t.length % 2 ? 'odd' : 'even')),
    );
    assert.ok(model.batches.length < texts.length, `batches: ${model.batches.join(', ')}`);
    assert.ok(Math.max(...model.batches) > 1);
    await service.app.close();
  });

  it('answers 503 with Retry-After when the queue is full', async () => {
    const model = gatedModel();
    const service = await start(model, GATED_MANIFEST, { limits: { maxQueuedTexts: 3, maxTexts: 3 } });
    const first = post(`${service.url}/v1/predict`, { texts: ['a', 'b', 'c'] });
    await waitFor(async () => (await queuedTexts(service.url)) === 3);
    const busy = await fetch(`${service.url}/v1/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ texts: ['d'] }),
    });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '1');
    model.open();
    assert.equal((await first).status, 200);
    await service.app.close();
  });

  it('finishes the requests in flight when closing, and refuses new ones', async () => {
    const model = gatedModel();
    const service = await start(model, GATED_MANIFEST);
    const inFlight = post(`${service.url}/v1/predict`, { texts: ['abc'] });
    await waitFor(async () => model.batches.length === 1);
    const closed = service.app.close();
    // A new connection is refused; a request on a connection still open is answered 503.
    const refused = await fetch(`${service.url}/healthz`).then(
      (response) => response.status,
      () => 'refused',
    );
    assert.ok(refused === 'refused' || refused === 503, String(refused));
    model.open();
    const { status, json } = await inFlight;
    assert.equal(status, 200);
    assert.equal(predictionsOf(json)[0].label, 'odd');
    await closed;
  });
});
