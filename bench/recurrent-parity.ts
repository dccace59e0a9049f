/**
 * The fused LSTM kernels against TF.js's own per-step LSTM layer on real training batches: trains
 * bilstm (its defaults) on the IMDB training split up to the last batch asked for, keeps each
 * asked batch's inputs to both directions' recurrent layers (the embedded reviews, the padding
 * mask) and the weights as training had left them, then runs each through our fused layer on the
 * wasm backend and through TF.js's per-step layer on the cpu backend, and prints the relative
 * error of the outputs and of the gradients of the input and of every weight (for a seeded
 * upstream gradient).
 *
 *   node --import tsx bench/recurrent-parity.ts [--data PATH] [--seed 1] [--batches 2,31]
 *
 * The unit tests compare the same layers on small random inputs; this is the check on the inputs
 * and weights of a real run (two epochs of seed 1 part from the code before the kernels between
 * batches 30 and 40: docs/models.md). TF.js's per-step layer takes a few minutes a batch.
 */
import { parseArgs } from 'node:util';
import * as tf from '../src/engine/tf.js';
import { initBackend } from '../src/engine/index.js';
import { FusedLSTM } from '../src/engine/recurrent/layers.js';
import { loadImdb, resolveImdb } from '../src/data/index.js';
import { createTrainer } from '../src/models/trainers.js';
import { Random } from '../src/util/random.js';
import { randomFloats, relativeError } from '../test/engine/helpers.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    seed: { type: 'string', default: '1' },
    batches: { type: 'string', default: '2,31' },
  },
});

/** What one recurrent layer saw in one training batch. */
interface Snapshot {
  readonly batch: number;
  readonly goBackwards: boolean;
  readonly x: Float32Array;
  readonly shape: [number, number, number];
  readonly mask: Float32Array;
  /** kernel, recurrent kernel, bias. */
  readonly weights: Float32Array[];
  readonly weightShapes: number[][];
}

interface LayerVariables {
  readonly cell: Record<'kernel' | 'recurrentKernel' | 'bias', tf.LayerVariable>;
  readonly goBackwards: boolean;
}

const targets = new Set(values.batches!.split(',').map(Number));
/** The 1-based batch the next layer call belongs to. */
let batch = 1;
const snapshots: Snapshot[] = [];

/** Keeps a copy of what the recurrent layers see during the asked batches, then calls them as usual. */
function watchRecurrentLayers(): void {
  const call = FusedLSTM.prototype.call;
  FusedLSTM.prototype.call = function (this: FusedLSTM, inputs, kwargs) {
    if (targets.has(batch) && tf.engine().isTapeOn()) {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const mask = (Array.isArray(kwargs?.mask) ? kwargs.mask[0] : kwargs?.mask) as tf.Tensor;
      const layer = this as unknown as LayerVariables;
      const weights = [layer.cell.kernel, layer.cell.recurrentKernel, layer.cell.bias].map((v) => v.read());
      snapshots.push({
        batch,
        goBackwards: layer.goBackwards,
        x: Float32Array.from(x.dataSync()),
        shape: x.shape,
        mask: Float32Array.from(tf.tidy(() => tf.cast(mask, 'float32').dataSync())),
        weights: weights.map((w) => Float32Array.from(w.dataSync())),
        weightShapes: weights.map((w) => w.shape),
      });
    }
    return call.call(this, inputs, kwargs);
  };
}

/** The layer's output, then the gradients of its input, kernel, recurrent kernel and bias. */
async function run(s: Snapshot, fused: boolean): Promise<Float32Array[]> {
  await tf.setBackend(fused ? 'wasm' : 'cpu');
  const units = s.weightShapes[1][0];
  const args = {
    units,
    goBackwards: s.goBackwards,
    returnSequences: true,
    recurrentActivation: 'sigmoid' as const,
  };
  const layer = fused ? new FusedLSTM(args) : tf.layers.lstm(args);
  const [rows, steps] = s.shape;
  const x = tf.tensor3d(s.x, s.shape);
  tf.tidy(() => layer.apply(x) as tf.Tensor); // builds the weights
  layer.setWeights(s.weights.map((w, i) => tf.tensor(w, s.weightShapes[i])));
  const mask = tf.tidy(() => tf.cast(tf.tensor2d(s.mask, [rows, steps]), 'bool'));
  const random = new Random(7);
  const dy = tf.tensor3d(randomFloats(rows * steps * units, random), [rows, steps, units]);
  const apply = (input: tf.Tensor) => layer.apply(input, { mask }) as tf.Tensor;
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(apply(input), dy)) as tf.Scalar;
  const output = tf.tidy(() => apply(x));
  const dx = tf.grad(loss)(x);
  const { grads } = tf.variableGrads(() => loss(x));
  const result = [output, dx, ...layer.trainableWeights.map((w) => grads[w.originalName])].map((t) =>
    Float32Array.from(t.dataSync()),
  );
  tf.dispose([x, mask, dy, output, dx, ...Object.values(grads)]);
  layer.dispose();
  return result;
}

await initBackend({ backend: 'wasm' });
watchRecurrentLayers();
const dataset = await loadImdb(await resolveImdb({ data: values.data }));
const trainer = await createTrainer('bilstm', {});
const last = Math.max(...targets);
const enough = new Error('enough batches');
process.stderr.write(`training bilstm (seed ${values.seed}) up to batch ${last}…\n`);
try {
  await trainer.fit(dataset, {
    seed: Number(values.seed),
    onBatchEnd: (_epoch, b) => {
      batch = b + 1;
      if (b >= last) throw enough;
    },
  });
} catch (error) {
  if (error !== enough) throw error;
}

const names = ['output', 'd input', 'd kernel', 'd recurrent kernel', 'd bias'];
console.log(`| batch | direction | real steps | ${names.join(' | ')} |`);
console.log(`| ---: | --- | ---: | ${names.map(() => '---:').join(' | ')} |`);
for (const s of snapshots) {
  const reference = await run(s, false);
  const ours = await run(s, true);
  const errors = ours.map((values, i) => relativeError(values, reference[i]).toExponential(1));
  const real = s.mask.reduce((sum, v) => sum + v, 0);
  console.log(`| ${s.batch} | ${s.goBackwards ? 'backward' : 'forward'} | ${real} | ${errors.join(' | ')} |`);
}
process.exit(0);
