/**
 * The GRU layer kernel (gru.wat through gru-kernel.ts) against a float64 statement of the same
 * arithmetic in TypeScript: outputs and the gradients of the input, the kernel, the recurrent
 * kernel and the bias, for sizes the kernel pads (features and units not multiples of 8, a batch
 * not a multiple of 4), masks with holes and padding at both ends, both reading directions, last
 * state or every state; and that its traces are released.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { gruBackward, gruForward } from '../../src/engine/recurrent/gru-kernel.js';
import { regions } from '../../src/engine/recurrent/kernel-memory.js';
import { StepPlan } from '../../src/engine/recurrent/steps.js';
import { Random } from '../../src/util/random.js';
import { randomFloats, relativeError } from './helpers.js';

const TOLERANCE = 1e-5;

interface Case {
  readonly batch: number;
  readonly time: number;
  readonly features: number;
  readonly units: number;
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly masked: boolean;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** TF.js's GRUCell (reset gate before the recurrent product) and `rnn()` with a mask, in float64. */
function reference(
  input: Float32Array,
  w: Float32Array,
  r: Float32Array,
  bias: Float32Array,
  dy: Float32Array,
  mask: Uint8Array | undefined,
  c: Case,
) {
  const { batch: B, time: T, units: U, features: F } = c;
  const G = 3 * U;
  const real = (b: number, t: number) => mask === undefined || mask[b * T + t] !== 0;
  const timeAt = (s: number) => (c.goBackwards ? T - 1 - s : s);
  const xw = (b: number, t: number, q: number) => {
    let z = bias[q];
    for (let k = 0; k < F; k++) z += input[(b * T + t) * F + k] * w[k * G + q];
    return z;
  };
  const h = Array.from({ length: T + 1 }, () => new Float64Array(B * U));
  const gates = Array.from({ length: T }, () => new Float64Array(B * G));
  const output = new Float64Array(c.returnSequences ? B * T * U : B * U);
  for (let s = 0; s < T; s++) {
    const t = timeAt(s);
    h[s + 1].set(h[s]);
    for (let b = 0; b < B; b++) {
      if (!real(b, t)) continue;
      const prev = h[s].subarray(b * U, (b + 1) * U);
      for (let q = 0; q < 2 * U; q++) {
        let z = xw(b, t, q);
        for (let k = 0; k < U; k++) z += prev[k] * r[k * G + q];
        gates[s][b * G + q] = sigmoid(z);
      }
      for (let j = 0; j < U; j++) {
        let a = xw(b, t, 2 * U + j);
        for (let k = 0; k < U; k++) a += gates[s][b * G + U + k] * prev[k] * r[k * G + 2 * U + j];
        const candidate = Math.tanh(a);
        gates[s][b * G + 2 * U + j] = candidate;
        const z = gates[s][b * G + j];
        h[s + 1][b * U + j] = z * prev[j] + (1 - z) * candidate;
      }
    }
    if (c.returnSequences)
      for (let b = 0; b < B; b++) output.set(h[s + 1].subarray(b * U, (b + 1) * U), (b * T + s) * U);
  }
  if (!c.returnSequences) output.set(h[T]);
  const dInput = new Float64Array(B * T * F);
  const dw = new Float64Array(F * G);
  const dr = new Float64Array(U * G);
  const db = new Float64Array(G);
  const dh = new Float64Array(B * U);
  if (!c.returnSequences) dh.set(dy);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s);
    if (c.returnSequences)
      for (let k = 0; k < B * U; k++) dh[k] += dy[(Math.floor(k / U) * T + s) * U + (k % U)];
    for (let b = 0; b < B; b++) {
      if (!real(b, t)) continue;
      const prev = h[s].subarray(b * U, (b + 1) * U);
      const g = gates[s].subarray(b * G, (b + 1) * G);
      const dz = new Float64Array(G);
      const dPrev = new Float64Array(U);
      for (let j = 0; j < U; j++) {
        dz[2 * U + j] = dh[b * U + j] * (1 - g[j]) * (1 - g[2 * U + j] ** 2);
        dz[j] = dh[b * U + j] * (prev[j] - g[2 * U + j]) * g[j] * (1 - g[j]);
        dPrev[j] = dh[b * U + j] * g[j];
      }
      for (let k = 0; k < U; k++) {
        // d(r ⊙ h)_k = Σ_j dh̃_j · R_h[k, j]
        let d = 0;
        for (let j = 0; j < U; j++) {
          d += dz[2 * U + j] * r[k * G + 2 * U + j];
          dr[k * G + 2 * U + j] += g[U + k] * prev[k] * dz[2 * U + j];
        }
        dz[U + k] = d * prev[k] * g[U + k] * (1 - g[U + k]);
        dPrev[k] += d * g[U + k];
      }
      for (let k = 0; k < U; k++) {
        for (let q = 0; q < 2 * U; q++) {
          dPrev[k] += dz[q] * r[k * G + q];
          dr[k * G + q] += prev[k] * dz[q];
        }
      }
      dh.set(dPrev, b * U);
      for (let q = 0; q < G; q++) {
        db[q] += dz[q];
        for (let k = 0; k < F; k++) {
          dInput[(b * T + t) * F + k] += dz[q] * w[k * G + q];
          dw[k * G + q] += input[(b * T + t) * F + k] * dz[q];
        }
      }
    }
  }
  return { output, dInput, dw, dr, db };
}

function inputs(c: Case, seed: number) {
  const random = new Random(seed);
  const { batch: B, time: T, units: U, features: F } = c;
  const input = randomFloats(B * T * F, random);
  const w = randomFloats(F * 3 * U, random).map((v) => v * 1.5);
  const r = randomFloats(U * 3 * U, random).map((v) => v * 0.6);
  const bias = randomFloats(3 * U, random);
  const dy = randomFloats(c.returnSequences ? B * T * U : B * U, random);
  // Row b has `b mod 3` leading pads, every row ends with padding, row 1 has a hole.
  const mask = c.masked
    ? Uint8Array.from({ length: B * T }, (_, i) => {
        const [b, t] = [Math.floor(i / T), i % T];
        return t < b % 3 || t === T - 1 || (b === 1 && t === 3) ? 0 : 1;
      })
    : undefined;
  return { input, arrays: { w, r, bias }, dy, mask };
}

function planOf(c: Case, mask: Uint8Array | undefined): StepPlan {
  const maskTensor = mask === undefined ? undefined : tf.tensor2d(mask, [c.batch, c.time], 'int32');
  const plan = StepPlan.of(c.batch, c.time, { ...c, mask: maskTensor });
  maskTensor?.dispose();
  return plan;
}

function assertClose(out: ArrayLike<number>, ref: ArrayLike<number>, what: string): void {
  const err = relativeError(out, ref);
  assert.ok(err < TOLERANCE, `${what}: relative error ${err} ≥ ${TOLERANCE}`);
}

describe('GRU layer kernel against float64', () => {
  const cases: Case[] = [];
  for (const [batch, features, units] of [
    [3, 3, 5],
    [6, 10, 12],
  ])
    for (const goBackwards of [false, true])
      for (const returnSequences of [false, true])
        for (const masked of [false, true])
          cases.push({ batch, time: 7, features, units, goBackwards, returnSequences, masked });
  cases.forEach((c, n) => {
    const name = `batch ${c.batch}, ${c.features} features, ${c.units} units${c.goBackwards ? ', backwards' : ''}${c.returnSequences ? ', sequences' : ''}${c.masked ? ', masked' : ''}`;
    it(name, () => {
      const { input, arrays, dy, mask } = inputs(c, 80 + n);
      const plan = planOf(c, mask);
      const ref = reference(input, arrays.w, arrays.r, arrays.bias, dy, mask, c);
      assertClose(
        gruForward(input, arrays, plan, c.units, c.returnSequences, false).output,
        ref.output,
        'output',
      );
      const { output, trace } = gruForward(input, arrays, plan, c.units, c.returnSequences, true);
      assertClose(output, ref.output, 'output with a trace');
      const grads = gruBackward(dy, trace!, arrays, plan, c.units, c.returnSequences);
      assertClose(grads.dInput, ref.dInput, 'gradient of the input');
      assertClose(grads.dKernel, ref.dw, 'gradient of the kernel');
      assertClose(grads.dRecurrent, ref.dr, 'gradient of the recurrent kernel');
      assertClose(grads.dBias, ref.db, 'gradient of the bias');
      assert.equal(regions.top(), 0, 'the trace was not released');
    });
  });
});
