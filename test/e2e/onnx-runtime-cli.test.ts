/**
 * `--runtime onnx` from the command line: predict (texts and an --input file on two workers),
 * evaluate and serve give the default runtime's labels and probabilities within 1e-4 on a fixture
 * nbsvm; without onnxruntime-node the command exits 1 with one line saying how to install it.
 * Skipped when onnxruntime-node (a dev dependency) is not installed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runPolarity } from '../helpers/cli.js';
import { IMDB_SAMPLE, imdbSample } from '../helpers/fixtures.js';
import { saveSampleNbsvm } from '../helpers/models.js';
import { onnxRuntime } from '../helpers/onnx.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const skip = (await onnxRuntime()) === null ? 'onnxruntime-node is not installed' : false;

interface Scored {
  readonly label: string | null;
  readonly scores?: Record<string, number>;
}

/** Same labels, and every probability within 1e-4. */
function assertClose(actual: readonly Scored[], expected: readonly Scored[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((want, i) => {
    assert.equal(actual[i].label, want.label, `label of row ${i}`);
    for (const [label, p] of Object.entries(want.scores ?? {})) {
      const diff = Math.abs(actual[i].scores![label] - p);
      assert.ok(diff <= 1e-4, `row ${i}, ${label}: off by ${diff}`);
    }
  });
}

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Scored);

describe('--runtime onnx', { skip }, () => {
  let root: string;
  let model: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'polarity-onnx-runtime-cli-'));
    model = join(root, 'nbsvm');
    await saveSampleNbsvm(model);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('predict: texts, and a file on two workers, as the default runtime scores them', async () => {
    const texts = ['A wonderful, moving film.', 'Dull and far too long.', 'It’s <b>not</b> bad'];
    const [polarity, onnx] = await Promise.all(
      ['polarity', 'onnx'].map((runtime) =>
        runPolarity(['predict', '--model', model, '--runtime', runtime, '--json', ...texts]),
      ),
    );
    assert.equal(onnx.code, 0, onnx.stderr);
    assertClose(lines(onnx.stdout), lines(polarity.stdout));

    // Enough rows for several chunks of 512, so that the worker takes some; an empty one is skipped.
    const reviews = (await imdbSample()).test.map((e) => e.text.replace(/\s+/g, ' '));
    const input = join(root, 'reviews.txt');
    await writeFile(input, [...reviews, '', ...reviews, ...reviews].join('\n') + '\n');
    const outputs: Scored[][] = [];
    for (const runtime of ['polarity', 'onnx']) {
      const output = join(root, `${runtime}.jsonl`);
      const args = ['--input', input, '--output', output, '--workers', '2', '--runtime', runtime];
      const result = await runPolarity(['predict', '--model', model, '--no-progress', ...args]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /predicted 1,500 texts and skipped 1 empty/);
      outputs.push(lines(await readFile(output, 'utf8')));
    }
    assertClose(outputs[1], outputs[0]);
  });

  it('predict: the .onnx file of polarity export, scored as it is, as the directory scores', async () => {
    const file = join(root, 'nbsvm.onnx');
    const exported = await runPolarity(['export', '--model', model, '--format', 'onnx', '--out', file]);
    assert.equal(exported.code, 0, exported.stderr);
    const texts = ['A wonderful, moving film.', 'Dull and far too long.', 'It’s <b>not</b> bad'];
    const [fromDir, fromFile] = await Promise.all(
      [model, file].map((path) =>
        runPolarity(['predict', '--model', path, '--runtime', 'onnx', '--json', ...texts]),
      ),
    );
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assertClose(lines(fromFile.stdout), lines(fromDir.stdout));

    const reviews = (await imdbSample()).test.map((e) => e.text.replace(/\s+/g, ' '));
    const input = join(root, 'reviews-file.txt');
    await writeFile(input, [...reviews, ...reviews].join('\n') + '\n');
    const outputs: Scored[][] = [];
    for (const path of [model, file]) {
      const output = join(root, `from-${outputs.length}.jsonl`);
      const args = ['--input', input, '--output', output, '--workers', '2', '--runtime', 'onnx'];
      const result = await runPolarity(['predict', '--model', path, '--no-progress', ...args]);
      assert.equal(result.code, 0, result.stderr);
      outputs.push(lines(await readFile(output, 'utf8')));
    }
    assertClose(outputs[1], outputs[0]);

    // Where the model directory is needed, one line saying so.
    const evaluate = await runPolarity([
      'evaluate',
      '--model',
      file,
      '--data',
      IMDB_SAMPLE,
      '--runtime',
      'onnx',
    ]);
    assert.equal(evaluate.code, 1);
    assert.match(
      evaluate.stderr.trim(),
      /^error: .*nbsvm\.onnx is a file: this command takes the model directory/,
    );
    assert.equal(evaluate.stderr.trim().split('\n').length, 1);
  });

  it('evaluate: the same metrics', async () => {
    const [polarity, onnx] = await Promise.all(
      ['polarity', 'onnx'].map((runtime) =>
        runPolarity(['evaluate', '--model', model, '--data', IMDB_SAMPLE, '--json', '--runtime', runtime]),
      ),
    );
    assert.equal(onnx.code, 0, onnx.stderr);
    const [a, b] = [polarity, onnx].map((r) => JSON.parse(r.stdout) as Record<string, unknown>);
    assert.deepEqual(b.confusion, a.confusion);
    assert.equal(b.accuracy, a.accuracy);
    assert.ok(Math.abs((b.logLoss as number) - (a.logLoss as number)) <= 1e-4);
    assert.ok(Math.abs((b.rocAuc as number) - (a.rocAuc as number)) <= 1e-4);
  });

  it("serve: /v1/predict through onnxruntime, /v1/explain by Polarity's own model", async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', BIN, 'serve', '--model', model, '--port', '0', '--runtime', 'onnx'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: string) => {
          stderr += chunk;
          const match = /serving a nbsvm model with onnxruntime on (http:\/\/\S+) /.exec(stderr);
          if (match) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`serve exited early:\n${stderr}`)));
      });
      const texts = ['a wonderful film', 'an awful film'];
      const post = (path: string, body: unknown) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
      const predicted = await post('/v1/predict', { texts });
      assert.equal(predicted.status, 200);
      const expected = await runPolarity(['predict', '--model', model, '--json', ...texts]);
      assertClose(predicted.body.predictions as Scored[], lines(expected.stdout));
      const explained = await post('/v1/explain', { text: texts[0] });
      assert.equal(explained.status, 200);
      assert.equal(explained.body.method, 'model');
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    }
  });

  it('exits 1 with one line saying how to install onnxruntime-node when it is missing', async () => {
    const hidden = { POLARITY_HIDE_ONNXRUNTIME: '1' };
    for (const args of [
      ['predict', '--model', model, '--runtime', 'onnx', 'a film'],
      ['evaluate', '--model', model, '--data', IMDB_SAMPLE, '--runtime', 'onnx'],
    ]) {
      const result = await runPolarity(args, hidden);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(
        result.stderr,
        /^error: --runtime onnx needs the optional package onnxruntime-node, which is not installed: run `npm install onnxruntime-node`[^\n]*\n$/,
      );
    }
  });
});
