/**
 * Kernel and training-step benchmark for the wasm backend with Polarity's extra kernels.
 *
 *   node --import tsx bench/kernels.ts [--backend wasm|cpu|auto] [--threads N] [--steps N] [--profile]
 *
 * Prints ms per call for each of our kernels, plain vs transposed matrix products, and one full
 * training step (forward + backward + Adam, via `trainOnBatch`) of the tutorial MLP and CNN on a
 * 128 × 500 batch, with the implied seconds per 25,000-review IMDB epoch. `--profile` adds the
 * kernels that dominate each training step.
 */
import * as tf from '../src/engine/tf.js';
import { adam, initBackend, wasmThreads, type BackendName } from '../src/engine/index.js';
import { Random } from '../src/util/random.js';

const EPOCH_SAMPLES = 25_000;
const BATCH = 128;
const MAX_LEN = 500;
const NUM_WORDS = 5000;
const EMBEDDING = 32;
const TARGET_SECONDS: Record<string, number> = { mlp: 60, cnn: 80 };

interface Args {
  backend: BackendName | 'auto';
  threads?: number;
  steps: number;
  profile: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { backend: 'wasm', steps: 10, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backend') args.backend = argv[++i] as Args['backend'];
    else if (a === '--steps') args.steps = Number(argv[++i]);
    else if (a === '--threads') args.threads = Number(argv[++i]);
    else if (a === '--profile') args.profile = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** Median ms of `repeats` calls of `f` after one warm-up call; reads the result back each time. */
function timeMs(f: () => tf.Tensor, repeats = 7): number {
  const warm = f();
  warm.dataSync();
  warm.dispose();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const out = f();
    out.dataSync();
    samples.push(performance.now() - start);
    out.dispose();
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function report(label: string, ms: number): void {
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms`);
}

function randomNormal(shape: number[], random: Random): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', random.derive());
}

function benchKernels(random: Random): void {
  console.log('\n== kernels ==');
  tf.tidy(() => {
    const ids = tf.randomUniform([BATCH * MAX_LEN], 0, NUM_WORDS, 'int32', random.derive()) as tf.Tensor1D;
    const rows = randomNormal([BATCH * MAX_LEN, EMBEDDING], random);
    report(
      'UnsortedSegmentSum 64000×32 rows → 5000 segments',
      timeMs(() => tf.unsortedSegmentSum(rows, ids, NUM_WORDS)),
    );

    const x = randomNormal([BATCH, 1, MAX_LEN, EMBEDDING], random) as tf.Tensor4D;
    const dy = randomNormal([BATCH, 1, MAX_LEN, 32], random) as tf.Tensor4D;
    const filter = randomNormal([1, 3, EMBEDDING, 32], random) as tf.Tensor4D;
    for (const pad of ['same', 'valid'] as const) {
      const dyPad =
        pad === 'same' ? dy : (tf.slice(dy, [0, 0, 0, 0], [BATCH, 1, MAX_LEN - 2, 32]) as tf.Tensor4D);
      report(
        `Conv2DBackpropFilter x[128,1,500,32] filter[1,3,32,32] ${pad}`,
        timeMs(
          () =>
            tf.engine().runKernel(
              'Conv2DBackpropFilter',
              { x, dy: dyPad },
              {
                strides: [1, 1],
                pad,
                dataFormat: 'NHWC',
                filterShape: [1, 3, EMBEDDING, 32],
              },
            ) as tf.Tensor,
        ),
      );
    }
    report(
      'Conv2D forward (for scale) same',
      timeMs(() => tf.conv2d(x, filter, 1, 'same')),
    );
    report(
      'Conv2DBackpropInput same',
      timeMs(() => tf.conv2dTranspose(dy, filter, [BATCH, 1, MAX_LEN, EMBEDDING], 1, 'same')),
    );

    const a = randomNormal([BATCH, 16000], random);
    const b = randomNormal([16000, 250], random);
    const aT = randomNormal([16000, BATCH], random);
    const bT = randomNormal([250, 16000], random);
    report(
      'MatMul 128×16000 · 16000×250 plain',
      timeMs(() => tf.matMul(a, b)),
    );
    report(
      'MatMul 128×16000 · (250×16000)ᵀ transposeB',
      timeMs(() => tf.matMul(a, bT, false, true)),
    );
    report(
      'MatMul (16000×128)ᵀ · 16000×250 transposeA',
      timeMs(() => tf.matMul(aT, b, true, false)),
    );
    report(
      'MatMul (16000×128)ᵀ · (250×16000)ᵀ both',
      timeMs(() => tf.matMul(aT, bT, true, true)),
    );
    // Back-propagation multiplies by a fresh tensor every step, so the packed-weights cache of the
    // wasm matmul never helps there; this shows the plain product without it.
    report(
      'MatMul plain, fresh right operand each call',
      timeMs(() => tf.matMul(a, tf.clone(b))),
    );
    report(
      '  of which clone 16000×250',
      timeMs(() => tf.clone(b)),
    );
  });
}

type Kind = 'mlp' | 'cnn';
/** 'tfjs': tf.train.adam; 'fused': the engine's adam (one fused update kernel per variable on wasm). */
type OptimizerChoice = 'tfjs' | 'fused';

function buildModel(kind: Kind, optimizer: OptimizerChoice): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: NUM_WORDS, outputDim: EMBEDDING, inputLength: MAX_LEN }));
  if (kind === 'cnn') {
    model.add(tf.layers.conv1d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
    model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
  }
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 250, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({
    optimizer: optimizer === 'fused' ? adam() : tf.train.adam(),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

async function benchTraining(
  kind: Kind,
  optimizer: OptimizerChoice,
  args: Args,
  random: Random,
): Promise<void> {
  const model = buildModel(kind, optimizer);
  const ids = Int32Array.from({ length: BATCH * MAX_LEN }, () => random.int(NUM_WORDS));
  const xs = tf.tensor2d(ids, [BATCH, MAX_LEN], 'float32');
  const ys = tf.tensor2d(
    Float32Array.from({ length: BATCH }, () => random.int(2)),
    [BATCH, 1],
  );
  await model.trainOnBatch(xs, ys); // warm-up: builds the optimizer's slots
  await model.trainOnBatch(xs, ys);
  const tensorsBefore = tf.memory().numTensors;
  const samples: number[] = [];
  for (let i = 0; i < args.steps; i++) {
    const start = performance.now();
    await model.trainOnBatch(xs, ys);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  const epochSeconds = (median * Math.ceil(EPOCH_SAMPLES / BATCH)) / 1000;
  const target = TARGET_SECONDS[kind];
  console.log(
    `${kind.toUpperCase()} (${optimizer === 'fused' ? 'engine adam' : 'tf.train.adam'}) step: median ${median.toFixed(1)} ms, min ${samples[0].toFixed(1)} ms ` +
      `→ ${epochSeconds.toFixed(1)} s per 25,000-review epoch (target ≤ ${target} s, ` +
      `${epochSeconds <= target ? 'met' : 'NOT met'}); tensors leaked per step: ` +
      `${(tf.memory().numTensors - tensorsBefore) / args.steps}`,
  );
  if (args.profile) await profileStep(model, xs, ys);
  xs.dispose();
  ys.dispose();
  model.dispose();
}

/** Sums kernel time by kernel name (and shapes) over one training step. */
async function profileStep(model: tf.Sequential, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
  const info = await tf.profile(async () => {
    await model.trainOnBatch(xs, ys);
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const key = `${k.name} ${k.inputShapes.map((s) => `[${(s ?? []).join(',')}]`).join(' ')}`;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byKernel.set(key, entry);
    total += ms;
  }
  const top = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
  console.log(`  kernel time in one profiled step: ${total.toFixed(1)} ms; top kernels:`);
  for (const [key, { ms, calls }] of top) {
    console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${String(calls).padStart(3)}×  ${key}`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = await initBackend({ backend: args.backend, threads: args.threads });
  console.log(`backend: ${backend}${backend === 'wasm' ? ` (${wasmThreads()} thread(s))` : ''}`);
  const random = new Random(42);
  benchKernels(random);
  console.log('\n== training steps (trainOnBatch, Adam) ==');
  for (const kind of ['mlp', 'cnn'] as const) {
    for (const optimizer of ['tfjs', 'fused'] as const) await benchTraining(kind, optimizer, args, random);
  }
}

await main();
