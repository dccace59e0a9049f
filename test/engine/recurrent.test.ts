/**
 * The fused LSTM and GRU layers against TF.js's own per-step layers on the cpu backend: outputs and
 * the gradients of inputs and of every weight, in both reading directions, returning the last step
 * or every step, with and without a padding mask; plus serialisation, Bidirectional, the fallback
 * for configurations the fused path does not cover, and leaks.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { initBackend } from '../../src/engine/index.js';
import { FusedGRU, FusedLSTM } from '../../src/engine/recurrent/layers.js';
import { Random } from '../../src/util/random.js';
import { randomFloats, relativeError, type Backend } from './helpers.js';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

const BATCH = 5;
const TIME = 7;
const FEATURES = 3;
const UNITS = 4;
const TOLERANCE = 1e-5;

type Kind = 'lstm' | 'gru';

interface Case {
  readonly kind: Kind;
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly masked: boolean;
  /** Mask every row's first two and last step (steps the fused layer crops away). */
  readonly sharedPadding?: boolean;
  readonly recurrentActivation?: 'sigmoid' | 'hardSigmoid';
}

interface Result {
  readonly output: Float32Array;
  /** Gradients of the input, then of each weight in getWeights() order. */
  readonly gradients: Float32Array[];
}

function makeLayer(c: Case, fused: boolean): tf.layers.Layer {
  const args = {
    units: UNITS,
    goBackwards: c.goBackwards,
    returnSequences: c.returnSequences,
    recurrentActivation: c.recurrentActivation ?? 'sigmoid',
  };
  if (c.kind === 'lstm') return fused ? new FusedLSTM(args) : tf.layers.lstm(args);
  return fused ? new FusedGRU(args) : tf.layers.gru(args);
}

/** Seeded inputs: x, weights, upstream gradient, and a mask whose rows have different padding lengths. */
function inputsFor(c: Case, seed: number) {
  const random = new Random(seed);
  const gates = c.kind === 'lstm' ? 4 : 3;
  const weights = [
    randomFloats(FEATURES * gates * UNITS, random),
    randomFloats(UNITS * gates * UNITS, random),
    randomFloats(gates * UNITS, random),
  ];
  const x = randomFloats(BATCH * TIME * FEATURES, random);
  const outSize = c.returnSequences ? BATCH * TIME * UNITS : BATCH * UNITS;
  const dy = randomFloats(outSize, random);
  // Row b has b padding steps at the start (pre-padding); row 4 also has a hole in the middle.
  const mask = Float32Array.from({ length: BATCH * TIME }, (_, i) => {
    const [b, t] = [Math.floor(i / TIME), i % TIME];
    if (c.sharedPadding && (t < 2 || t === TIME - 1)) return 0;
    return t < b || (b === 4 && t === 5) ? 0 : 1;
  });
  return { weights, x, dy, mask, gates };
}

async function run(backend: Backend, c: Case, fused: boolean, seed: number): Promise<Result> {
  await tf.setBackend(backend);
  const { weights, x, dy, mask, gates } = inputsFor(c, seed);
  const layer = makeLayer(c, fused);
  const xs = tf.tensor3d(x, [BATCH, TIME, FEATURES]);
  tf.tidy(() => layer.apply(xs) as tf.Tensor); // builds the weights
  layer.setWeights([
    tf.tensor2d(weights[0], [FEATURES, gates * UNITS]),
    tf.tensor2d(weights[1], [UNITS, gates * UNITS]),
    tf.tensor1d(weights[2]),
  ]);
  const dys = tf.tensor(dy, c.returnSequences ? [BATCH, TIME, UNITS] : [BATCH, UNITS]);
  const masks = c.masked ? tf.cast(tf.tensor2d(mask, [BATCH, TIME]), 'bool') : undefined;
  const apply = (input: tf.Tensor) => layer.apply(input, masks ? { mask: masks } : {}) as tf.Tensor;
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(apply(input), dys)) as tf.Scalar;
  const output = Float32Array.from(tf.tidy(() => apply(xs)).dataSync());
  const dx = tf.grad(loss)(xs);
  const { grads } = tf.variableGrads(() => loss(xs));
  const weightGradients = layer.trainableWeights.map((w) =>
    Float32Array.from(grads[w.originalName].dataSync()),
  );
  const result = { output, gradients: [Float32Array.from(dx.dataSync()), ...weightGradients] };
  tf.dispose([xs, dys, dx, ...Object.values(grads)]);
  if (masks) masks.dispose();
  layer.dispose();
  return result;
}

function assertClose(out: Float32Array, ref: Float32Array, what: string): void {
  const err = relativeError(out, ref);
  assert.ok(err < TOLERANCE, `${what}: relative error ${err} ≥ ${TOLERANCE}`);
}

const cases: Case[] = [];
for (const kind of ['lstm', 'gru'] as const)
  for (const goBackwards of [false, true])
    for (const returnSequences of [false, true])
      for (const masked of [false, true]) cases.push({ kind, goBackwards, returnSequences, masked });

describe('fused LSTM and GRU layers match TF.js (cpu)', () => {
  cases.forEach((c, n) => {
    const name = `${c.kind}${c.goBackwards ? ', backwards' : ''}${c.returnSequences ? ', sequences' : ''}${c.masked ? ', masked' : ''}`;
    it(name, async () => {
      const ref = await run('cpu', c, false, 100 + n);
      const out = await run('wasm', c, true, 100 + n);
      assertClose(out.output, ref.output, 'output');
      const labels = ['input', 'kernel', 'recurrent kernel', 'bias'];
      out.gradients.forEach((g, i) => assertClose(g, ref.gradients[i], `gradient of the ${labels[i]}`));
    });
  });

  for (const kind of ['lstm', 'gru'] as const) {
    for (const goBackwards of [false, true]) {
      it(`${kind}${goBackwards ? ', backwards' : ''}: steps that are padding in every row are cropped without changing values or gradients`, async () => {
        const c: Case = { kind, goBackwards, returnSequences: false, masked: true, sharedPadding: true };
        const ref = await run('cpu', c, false, 40);
        const out = await run('wasm', c, true, 40);
        assertClose(out.output, ref.output, 'output');
        out.gradients.forEach((g, i) => assertClose(g, ref.gradients[i], `gradient ${i}`));
      });
    }
  }

  it('falls back to the per-step loop for a configuration it does not fuse (hard sigmoid)', async () => {
    const c: Case = {
      kind: 'lstm',
      goBackwards: false,
      returnSequences: false,
      masked: true,
      recurrentActivation: 'hardSigmoid',
    };
    const ref = await run('cpu', c, false, 7);
    const out = await run('wasm', c, true, 7);
    assertClose(out.output, ref.output, 'output');
    out.gradients.forEach((g, i) => assertClose(g, ref.gradients[i], `gradient ${i}`));
  });
});

describe('fused recurrences and vanishing gradients', () => {
  for (const kind of ['lstm', 'gru'] as const) {
    it(`${kind}: gradients that fade over many steps end at zero, not as subnormal floats (slow on x86)`, async () => {
      await tf.setBackend('wasm');
      const steps = 300;
      const layer = makeLayer({ kind, goBackwards: false, returnSequences: false, masked: false }, true);
      const random = new Random(17);
      const x = tf.tensor3d(randomFloats(2 * steps * FEATURES, random), [2, steps, FEATURES]);
      tf.tidy(() => layer.apply(x) as tf.Tensor);
      // Small weights: each step shrinks the gradient, which underflows long before the first step.
      layer.setWeights(layer.getWeights().map((w) => tf.mul(w, 0.05)));
      const dx = tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input) as tf.Tensor))(x);
      const values = dx.dataSync();
      const subnormal = values.filter((v) => v !== 0 && Math.abs(v) < 2 ** -126).length;
      assert.equal(subnormal, 0);
      assert.equal(values[0], 0, 'the gradient of the first step did not vanish');
      assert.notEqual(values[values.length - 1], 0);
      tf.dispose([x, dx]);
      layer.dispose();
    });
  }
});

describe('fused recurrent layers in models', () => {
  it('save as standard LSTM/GRU layers and load back as the fused ones, Bidirectional included', async () => {
    await tf.setBackend('wasm');
    const input = tf.input({ shape: [TIME, FEATURES] });
    const lstm = tf.layers
      .bidirectional({ layer: new FusedLSTM({ units: UNITS, recurrentActivation: 'sigmoid' }) })
      .apply(input) as tf.SymbolicTensor;
    const gru = new FusedGRU({ units: UNITS, recurrentActivation: 'sigmoid' }).apply(
      input,
    ) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.concatenate().apply([lstm, gru]) as tf.SymbolicTensor,
    });
    const topology = JSON.stringify(model.toJSON(undefined, false));
    assert.match(topology, /"class_name":"LSTM"/);
    assert.match(topology, /"class_name":"GRU"/);
    assert.doesNotMatch(topology, /Fused/);

    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(
        async (artifacts) => (
          (saved = artifacts),
          { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
        ),
      ),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const bidirectional = loaded.layers[1] as unknown as { forwardLayer: unknown; backwardLayer: unknown };
    assert.ok(bidirectional.forwardLayer instanceof FusedLSTM);
    assert.ok(bidirectional.backwardLayer instanceof FusedLSTM);
    assert.ok(loaded.layers[2] instanceof FusedGRU);

    const x = tf.tensor3d(randomFloats(BATCH * TIME * FEATURES, new Random(3)), [BATCH, TIME, FEATURES]);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('leaks no tensors over training steps', async () => {
    await tf.setBackend('wasm');
    const input = tf.input({ shape: [TIME], dtype: 'int32' });
    const embedded = tf.layers.embedding({ inputDim: 20, outputDim: FEATURES, maskZero: true }).apply(input);
    const encoded = tf.layers
      .bidirectional({ layer: new FusedGRU({ units: UNITS, recurrentActivation: 'sigmoid' }) })
      .apply(embedded) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(encoded) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const random = new Random(9);
    const xs = tf.tensor2d(
      Int32Array.from({ length: BATCH * TIME }, (_, i) => (i % TIME < 2 ? 0 : 1 + random.int(19))),
      [BATCH, TIME],
      'int32',
    );
    const ys = tf.tensor2d([0, 1, 0, 1, 1], [BATCH, 1]);
    await model.trainOnBatch(xs, ys);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
