/**
 * A network Polarity saved loads in plain TensorFlow.js (core and layers, CPU backend) after one
 * import of `polarity/tfjs-layers`, and computes what Polarity's own loader computes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { initBackend } from '../../../src/engine/index.js';
import { NeuralTrainer } from '../../../src/models/neural/neural-trainer.js';
import { deserializeLayersModel } from '../../../src/persist/layers-model.js';
import { toyDataset } from '../../helpers/toy.js';

const run = promisify(execFile);
const LAYERS_MODULE = fileURLToPath(new URL('../../../src/tfjs-layers.ts', import.meta.url));
// The script runs from a temporary folder, so it names the packages by their resolved files.
const resolve = createRequire(import.meta.url).resolve;
const pkg = (name: string) => JSON.stringify(pathToFileURL(resolve(name)).href);

/** The script a plain TF.js user runs: no Polarity import but the layer registration. */
const PLAIN_SCRIPT = `
import * as tf from ${pkg('@tensorflow/tfjs-core')};
import ${pkg('@tensorflow/tfjs-backend-cpu')};
import { loadLayersModel } from ${pkg('@tensorflow/tfjs-layers')};
import { readFile } from 'node:fs/promises';
import ${JSON.stringify(LAYERS_MODULE)};

const [dir, idsJson] = process.argv.slice(2);
await tf.setBackend('cpu');
const modelJson = JSON.parse(await readFile(dir + '/model.json', 'utf8'));
const weights = await readFile(dir + '/weights.bin');
const model = await loadLayersModel(tf.io.fromMemory({
  modelTopology: modelJson.modelTopology,
  weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
  weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
}));
const ids = JSON.parse(idsJson);
const output = model.predict(tf.tensor2d(ids, [ids.length, ids[0].length], 'int32'));
process.stdout.write(JSON.stringify(await output.array()));
`;

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'polarity-plain-tfjs-'));
  await writeFile(join(work, 'load.mts'), PLAIN_SCRIPT);
  await initBackend({ backend: 'wasm' });
});
after(() => rm(work, { recursive: true, force: true }));

// Padding first (id 0), then words: the recurrent models must mask the padded steps in plain TF.js too.
const IDS = [
  [0, 0, 0, 0, 1, 5, 9, 12, 7, 3],
  [1, 4, 4, 8, 20, 11, 2, 6, 30, 9],
];

for (const model of ['mlp', 'cnn', 'bilstm', 'gru']) {
  test(`a saved ${model} loads in plain TF.js and computes what Polarity computes`, async () => {
    const trainer = new NeuralTrainer({
      model,
      hyperParameters: { numWords: 40, maxLen: 10, epochs: 1, batchSize: 16 },
    });
    const classifier = await trainer.fit(toyDataset(32), { seed: 3 });
    const dir = join(work, model);
    await classifier.save(dir);
    classifier.dispose();

    const ours = await deserializeLayersModel(
      await readFile(join(dir, 'model.json'), 'utf8'),
      new Uint8Array(await readFile(join(dir, 'weights.bin'))),
      dir,
    );
    const { tensor2d } = await import('@tensorflow/tfjs-core');
    const input = tensor2d(IDS, [IDS.length, IDS[0].length], 'int32');
    const expected = (await (ours.predict(input) as { array(): Promise<number[][]> }).array()) as number[][];
    input.dispose();
    ours.dispose();

    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      join(work, 'load.mts'),
      dir,
      JSON.stringify(IDS),
    ]);
    const actual = JSON.parse(stdout) as number[][];
    assert.equal(actual.length, expected.length);
    for (let row = 0; row < expected.length; row++) {
      for (let k = 0; k < expected[row].length; k++) {
        assert.ok(
          Math.abs(actual[row][k] - expected[row][k]) < 1e-4,
          `${model} row ${row}: ${actual[row]} vs ${expected[row]}`,
        );
      }
    }
  });
}
