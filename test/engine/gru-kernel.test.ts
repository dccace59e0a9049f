/**
 * The GRU layer kernel (gru.wat through gru-kernel.ts) against a float64 statement of the same
 * arithmetic in TypeScript: outputs and the gradients of the input, the kernel, the recurrent
 * kernel and the bias, for sizes the kernel pads (features and units not multiples of 8, a batch
 * not a multiple of 4), masks with holes and padding at both ends, both reading directions, last
 * state or every state; and that its traces are released.
 */
import { describe, it } from 'node:test';
import { gruBackward, gruForward } from '../../src/engine/recurrent/gru-kernel.js';
import {
  assertMatchesReference,
  caseName,
  cellCases,
  cellInputs,
  partsCases,
  partsInputs,
  sigmoid,
  addStepGradient,
  lastStateGradient,
  outputOf,
  readingOf,
  type CellCase,
  type CellInputs,
  type Reference,
} from './cell-kernel-cases.js';

const GRU = { forward: gruForward, backward: gruBackward };

/** TF.js's GRUCell (reset gate before the recurrent product) and `rnn()` with a mask, in float64. */
function reference({ input, arrays: { w, r, bias }, dy, mask }: CellInputs, c: CellCase): Reference {
  const { batch: B, time: T, units: U, features: F } = c;
  const G = 3 * U;
  const { real, timeAt } = readingOf(c, mask);
  const xw = (b: number, t: number, q: number) => {
    let z = bias[q];
    for (let k = 0; k < F; k++) z += input[(b * T + t) * F + k] * w[k * G + q];
    return z;
  };
  const h = Array.from({ length: T + 1 }, () => new Float64Array(B * U));
  const gates = Array.from({ length: T }, () => new Float64Array(B * G));
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
  }
  const dInput = new Float64Array(B * T * F);
  const dw = new Float64Array(F * G);
  const dr = new Float64Array(U * G);
  const db = new Float64Array(G);
  const dh = lastStateGradient(dy, c);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(s);
    addStepGradient(dh, dy, c, s);
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
  return { output: outputOf(h, c), dInput, dw, dr, db };
}

describe('GRU layer kernel against float64', () => {
  // 37 rows: cut into 2 parts of rows (row-parts.ts), each its own kernel call.
  cellCases([
    [3, 3, 5],
    [6, 10, 12],
    [37, 8, 8],
  ]).forEach((c, n) => {
    it(caseName(c), () => {
      const inputs = cellInputs(c, 3, 80 + n);
      assertMatchesReference(GRU, c, inputs, reference(inputs, c));
    });
  });

  partsCases().forEach((c) => {
    it(`${caseName(c)}, each part of the rows padded at steps of its own`, () => {
      const inputs = partsInputs(c, 3);
      assertMatchesReference(GRU, c, inputs, reference(inputs, c));
    });
  });
});
