/**
 * The LSTM recurrence kernel (lstm.wat through lstm-kernel.ts) against a float64 statement of the
 * same arithmetic in TypeScript: outputs and the gradients of the input projection, of the
 * recurrent kernel and of the bias, for sizes the kernel pads (units not a multiple of 8, a batch
 * not a multiple of 4), masks with holes and all-padding steps, both reading directions, last state
 * or every state; that its traces are released; and that gradients which fade end at zero, not
 * subnormal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lstmBackward, lstmForward } from '../../src/engine/recurrent/lstm-kernel.js';
import { regions } from '../../src/engine/recurrent/kernel-memory.js';
import { Random } from '../../src/util/random.js';
import { randomFloats } from './helpers.js';
import {
  assertMatchesReference,
  caseName,
  cellCase,
  cellCases,
  cellInputs,
  partsCases,
  partsInputs,
  planOf,
  sigmoid,
  addStepGradient,
  lastStateGradient,
  outputOf,
  readingOf,
  type CellCase,
  type CellInputs,
  type Reference,
} from './cell-kernel-cases.js';

const LSTM = { forward: lstmForward, backward: lstmBackward };

/** The layer in float64, as TF.js's LSTMCell and `rnn()` with a mask compute it. */
function reference({ input, arrays: { w, r, bias }, dy, mask }: CellInputs, c: CellCase): Reference {
  const { batch: B, time: T, units: U, features: F } = c;
  const G = 4 * U;
  const x = project(input, w, c);
  const { real, timeAt } = readingOf(c, mask);
  const h = Array.from({ length: T + 1 }, () => new Float64Array(B * U));
  const cell = Array.from({ length: T + 1 }, () => new Float64Array(B * U));
  const gates = Array.from({ length: T }, () => new Float64Array(B * G));
  for (let s = 0; s < T; s++) {
    const t = timeAt(s);
    h[s + 1].set(h[s]);
    cell[s + 1].set(cell[s]);
    for (let b = 0; b < B; b++) {
      if (!real(b, t)) continue;
      for (let q = 0; q < G; q++) {
        let z = x[(b * T + t) * G + q] + bias[q];
        for (let k = 0; k < U; k++) z += h[s][b * U + k] * r[k * G + q];
        gates[s][b * G + q] = q >= 2 * U && q < 3 * U ? Math.tanh(z) : sigmoid(z);
      }
      for (let j = 0; j < U; j++) {
        const [i, f, g, o] = [0, 1, 2, 3].map((n) => gates[s][b * G + n * U + j]);
        cell[s + 1][b * U + j] = f * cell[s][b * U + j] + i * g;
        h[s + 1][b * U + j] = o * Math.tanh(cell[s + 1][b * U + j]);
      }
    }
  }
  const dx = new Float64Array(B * T * G);
  const dr = new Float64Array(U * G);
  const db = new Float64Array(G);
  const dh = lastStateGradient(dy, c);
  const dc = new Float64Array(B * U);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s);
    addStepGradient(dh, dy, c, s);
    for (let b = 0; b < B; b++) {
      if (!real(b, t)) continue;
      const dz = new Float64Array(G);
      for (let j = 0; j < U; j++) {
        const [i, f, g, o] = [0, 1, 2, 3].map((n) => gates[s][b * G + n * U + j]);
        const tc = Math.tanh(cell[s + 1][b * U + j]);
        const dcv = dc[b * U + j] + dh[b * U + j] * o * (1 - tc * tc);
        dz[j] = dcv * g * i * (1 - i);
        dz[U + j] = dcv * cell[s][b * U + j] * f * (1 - f);
        dz[2 * U + j] = dcv * i * (1 - g * g);
        dz[3 * U + j] = dh[b * U + j] * tc * o * (1 - o);
        dc[b * U + j] = dcv * f;
      }
      dx.set(dz, (b * T + t) * G);
      for (let q = 0; q < G; q++) db[q] += dz[q];
      for (let k = 0; k < U; k++) {
        let sum = 0;
        for (let q = 0; q < G; q++) {
          sum += dz[q] * r[k * G + q];
          dr[k * G + q] += h[s][b * U + k] * dz[q];
        }
        dh[b * U + k] = sum;
      }
    }
  }
  const dInput = new Float64Array(B * T * F);
  const dw = new Float64Array(F * G);
  for (let row = 0; row < B * T; row++) {
    for (let k = 0; k < F; k++) {
      for (let q = 0; q < G; q++) {
        dInput[row * F + k] += dx[row * G + q] * w[k * G + q];
        dw[k * G + q] += input[row * F + k] * dx[row * G + q];
      }
    }
  }
  return { output: outputOf(h, c), dInput, dw, dr, db };
}

/** input · W in float64. */
function project(input: Float32Array, w: Float32Array, c: CellCase): Float64Array {
  const { batch: B, time: T, units: U, features: F } = c;
  const x = new Float64Array(B * T * 4 * U);
  for (let row = 0; row < B * T; row++) {
    for (let q = 0; q < 4 * U; q++) {
      let z = 0;
      for (let k = 0; k < F; k++) z += input[row * F + k] * w[k * 4 * U + q];
      x[row * 4 * U + q] = z;
    }
  }
  return x;
}

describe('LSTM recurrence kernel against float64', () => {
  // 37 and 64 rows: cut into 2 and 4 parts of rows (row-parts.ts), each its own kernel call.
  cellCases([
    [3, 3, 5],
    [4, 8, 8],
    [6, 10, 12],
    [37, 8, 8],
    [64, 3, 5],
  ]).forEach((c, n) => {
    it(caseName(c), () => {
      const inputs = cellInputs(c, 4, 50 + n);
      assertMatchesReference(LSTM, c, inputs, reference(inputs, c));
    });
  });

  partsCases().forEach((c) => {
    it(`${caseName(c)}, each part of the rows padded at steps of its own`, () => {
      const inputs = partsInputs(c, 4);
      assertMatchesReference(LSTM, c, inputs, reference(inputs, c));
    });
  });

  it('keeps the state over steps that are padding in every row, and returns zeros for an all-padding row', () => {
    const c = cellCase({ batch: 4, time: 6, features: 8, units: 8, returnSequences: true, masked: true });
    const { input, arrays } = cellInputs(c, 4, 3);
    const mask = Uint8Array.from({ length: 24 }, (_, i) => (i % 6 === 2 || i % 6 === 3 || i < 6 ? 0 : 1));
    const plan = planOf(c, mask);
    assert.deepEqual(Array.from(plan.active), [1, 1, 0, 0, 1, 1]);
    const { output } = lstmForward(input, arrays, plan, c.units, true, false);
    const state = (b: number, s: number) => Array.from(output.subarray((b * 6 + s) * 8, (b * 6 + s + 1) * 8));
    assert.deepEqual(state(2, 3), state(2, 1));
    assert.deepEqual(state(0, 5), new Array(8).fill(0));
    assert.notDeepEqual(state(2, 4), state(2, 3));
  });

  it('releases traces made in order and out of order', () => {
    const c = cellCase({ batch: 4, time: 5, features: 8, units: 8 });
    const { input, arrays, dy } = cellInputs(c, 4, 4);
    const plan = planOf(c, undefined);
    const first = lstmForward(input, arrays, plan, 8, false, true).trace!;
    const second = lstmForward(input, arrays, plan, 8, false, true).trace!;
    assert.ok(regions.top() > 0);
    const a = Float32Array.from(lstmBackward(dy, first, arrays).dInput);
    assert.ok(regions.top() > 0, 'the later trace is still held');
    const b = Float32Array.from(lstmBackward(dy, second, arrays).dInput);
    assert.deepEqual(a, b);
    assert.equal(regions.top(), 0);
  });

  it('flushes gradients that fade below 2^-60 to zero instead of leaving subnormals', () => {
    const c = cellCase({ batch: 4, time: 300, features: 32, units: 8 });
    const random = new Random(17);
    const input = randomFloats(4 * 300 * 32, random).map((v) => v * 0.05 - 3);
    // W = I: the projection is the input, and the input's gradient is dz itself.
    const w = Float32Array.from({ length: 32 * 32 }, (_, i) => (i % 33 === 0 ? 1 : 0));
    const r = randomFloats(8 * 32, random).map((v) => v * 0.05);
    const dy = randomFloats(4 * 8, random);
    const bias = new Float32Array(32);
    const plan = planOf(c, undefined);
    const { trace } = lstmForward(input, { w, r, bias }, plan, 8, false, true);
    const dx = lstmBackward(dy, trace!, { w, r, bias }).dInput;
    assert.equal(dx.filter((v) => v !== 0 && Math.abs(v) < 2 ** -126).length, 0);
    assert.equal(dx[0], 0, 'the gradient of the first step did not vanish');
    assert.notEqual(dx[dx.length - 1], 0);
  });
});
