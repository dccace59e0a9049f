/**
 * Speed of the fused recurrences alone (engine/recurrent/): forward and forward + backward of one
 * LSTM or GRU layer on a fixed seeded input, as the bilstm model runs it per direction.
 *
 *   node --import tsx bench/recurrence-speed.ts [--kind lstm|gru] [--batch 128] [--time 250]
 *     [--units 64] [--repeats 5]
 *
 * Prints the median ms of each, per step, and the seconds an IMDB epoch of bilstm would spend in
 * it (two directions, 195 batches of 250 steps, roughly the bucketed lengths).
 */
import * as tf from '../src/engine/tf.js';
import { initBackend } from '../src/engine/index.js';
import { fusedGru } from '../src/engine/recurrent/gru.js';
import { fusedLstm } from '../src/engine/recurrent/lstm.js';
import { Random } from '../src/util/random.js';

interface Args {
  kind: 'lstm' | 'gru';
  batch: number;
  time: number;
  units: number;
  repeats: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { kind: 'lstm', batch: 128, time: 250, units: 64, repeats: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kind') args.kind = argv[++i] === 'gru' ? 'gru' : 'lstm';
    else if (a === '--batch') args.batch = Number(argv[++i]);
    else if (a === '--time') args.time = Number(argv[++i]);
    else if (a === '--units') args.units = Number(argv[++i]);
    else if (a === '--repeats') args.repeats = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
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
  return median(samples);
}

const args = parseArgs(process.argv.slice(2));
await initBackend({ backend: 'wasm' });
const { batch, time: steps, units } = args;
const gates = args.kind === 'lstm' ? 4 : 3;
const fused = args.kind === 'lstm' ? fusedLstm : fusedGru;
const random = new Random(1);
const floats = (n: number, scale: number) =>
  tf.tensor(Float32Array.from({ length: n }, () => (random.next() * 2 - 1) * scale));
const x = tf.reshape(floats(batch * steps * gates * units, 1), [batch, steps, gates * units]) as tf.Tensor3D;
const kernel = tf.reshape(floats(units * gates * units, 0.2), [units, gates * units]) as tf.Tensor2D;
// Pre-padding as the encoder makes it: row b has its first (b mod 50) steps masked.
const mask = tf.tensor2d(
  Float32Array.from({ length: batch * steps }, (_, i) => (i % steps < Math.floor(i / steps) % 50 ? 0 : 1)),
  [batch, steps],
);
const options = { goBackwards: false, returnSequences: false, mask };
// Each run reads back one sum, not its outputs: a fresh array of tens of megabytes costs more to
// map than the recurrence takes, and a model never reads these tensors back.
const forwardMs = time(() => tf.tidy(() => tf.sum(fused(x, kernel, options)).dataSync()), args.repeats);
const grads = tf.grads((input: tf.Tensor, r: tf.Tensor) =>
  tf.sum(fused(input as tf.Tensor3D, r as tf.Tensor2D, options)),
);
const bothMs = time(
  () =>
    tf.tidy(() => {
      for (const g of grads([x, kernel])) tf.sum(g).dataSync();
    }),
  args.repeats,
);
const epochBatches = Math.ceil(25_000 / batch);
const label = `${args.kind} batch ${batch}, ${steps} steps, ${units} units`;
console.log(`${label}: forward ${forwardMs.toFixed(1)} ms (${(forwardMs / steps).toFixed(3)} ms/step)`);
console.log(
  `${label}: forward + backward ${bothMs.toFixed(1)} ms (${(bothMs / steps).toFixed(3)} ms/step); ` +
    `~${((2 * epochBatches * bothMs * 250) / steps / 1000).toFixed(0)} s per bilstm epoch at 250 steps`,
);
