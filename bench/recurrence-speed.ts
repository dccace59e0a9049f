/**
 * Speed of one fused recurrent layer (engine/recurrent/: input projection and recurrence), forward
 * and forward + backward, on a fixed seeded input, as bilstm runs each of its two directions.
 *
 *   node --import tsx bench/recurrence-speed.ts [--kind lstm|gru] [--batch 128] [--time 250]
 *     [--features 64] [--units 64] [--sequences] [--repeats 5] [--helpers N]
 *
 * Prints the median ms of each, per step, and the seconds an IMDB epoch of bilstm would spend in
 * it (two directions, 196 batches of `--time` steps). `--sequences` returns every step's state, as
 * bilstm's max pooling needs. `--helpers N` sets how many helper threads may run parts of the
 * batch (kernel-threads.ts; default: one fewer than the backend's threads), `--helpers 0` runs the
 * whole layer on one thread.
 */
import * as tf from '../src/engine/tf.js';
import { initBackend } from '../src/engine/index.js';
import { FusedGRU, FusedLSTM } from '../src/engine/recurrent/layers.js';
import { setKernelHelpers } from '../src/engine/recurrent/kernel-threads.js';
import { Random } from '../src/util/random.js';

interface Args {
  kind: 'lstm' | 'gru';
  batch: number;
  time: number;
  features: number;
  units: number;
  sequences: boolean;
  repeats: number;
  helpers?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    kind: 'lstm',
    batch: 128,
    time: 250,
    features: 64,
    units: 64,
    sequences: false,
    repeats: 5,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kind') args.kind = argv[++i] === 'gru' ? 'gru' : 'lstm';
    else if (a === '--batch') args.batch = Number(argv[++i]);
    else if (a === '--time') args.time = Number(argv[++i]);
    else if (a === '--features') args.features = Number(argv[++i]);
    else if (a === '--units') args.units = Number(argv[++i]);
    else if (a === '--sequences') args.sequences = true;
    else if (a === '--repeats') args.repeats = Number(argv[++i]);
    else if (a === '--helpers') args.helpers = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** Median ms of `f` over `repeats` calls after one warm-up. */
function time(f: () => void, repeats: number): number {
  f();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    f();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const args = parseArgs(process.argv.slice(2));
await initBackend({ backend: 'wasm' });
if (args.helpers !== undefined) setKernelHelpers(args.helpers);
const { batch, time: steps, features, units } = args;
const random = new Random(1);
const floats = (n: number) => Float32Array.from({ length: n }, () => random.next() * 2 - 1);
const layerArgs = { units, returnSequences: args.sequences, recurrentActivation: 'sigmoid' } as const;
const layer = args.kind === 'lstm' ? new FusedLSTM(layerArgs) : new FusedGRU(layerArgs);
const x = tf.tensor3d(floats(batch * steps * features), [batch, steps, features]);
// Pre-padding as the encoder makes it: row b has its first (b mod 50) steps masked.
const mask = tf.tensor2d(
  Float32Array.from({ length: batch * steps }, (_, i) => (i % steps < Math.floor(i / steps) % 50 ? 0 : 1)),
  [batch, steps],
  'bool',
);
tf.tidy(() => layer.apply(x, { mask }) as tf.Tensor); // builds the weights
// Each run reads back one sum, not its outputs: a fresh array of tens of megabytes costs more to
// map than the recurrence takes, and a model never reads these tensors back.
const loss = () => tf.sum(layer.apply(x, { mask }) as tf.Tensor) as tf.Scalar;
const forwardMs = time(() => tf.tidy(() => loss().dataSync()), args.repeats);
const bothMs = time(
  () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        loss,
        layer.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      value.dataSync();
      for (const g of Object.values(grads)) tf.sum(g).dataSync();
    }),
  args.repeats,
);
const epochBatches = Math.ceil(25_000 / batch);
const threads = args.helpers === undefined ? '' : `, ${args.helpers + 1} thread(s)`;
const label = `${args.kind}${args.sequences ? ' (all states)' : ''} batch ${batch}, ${steps} steps, ${features} → ${units} units${threads}`;
console.log(`${label}: forward ${forwardMs.toFixed(1)} ms (${(forwardMs / steps).toFixed(3)} ms/step)`);
console.log(
  `${label}: forward + backward ${bothMs.toFixed(1)} ms (${(bothMs / steps).toFixed(3)} ms/step); ` +
    `~${((2 * epochBatches * bothMs) / 1000).toFixed(0)} s per bilstm epoch in this layer`,
);
