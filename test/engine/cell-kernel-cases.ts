/**
 * What the LSTM and GRU kernel tests (lstm-kernel.test.ts, gru-kernel.test.ts) share, with the gate
 * count as the only difference: the cases, seeded weights, inputs and masks, the step plan, and the
 * check of a kernel's two passes against a float64 reference that each test states for its cell.
 */
import assert from 'node:assert/strict';
import * as tf from '../../src/engine/tf.js';
import { regions } from '../../src/engine/recurrent/kernel-memory.js';
import { StepPlan } from '../../src/engine/recurrent/steps.js';
import type { CellArrays, CellKernel } from '../../src/engine/recurrent/fused-layer.js';
import { Random } from '../../src/util/random.js';
import { randomFloats, relativeError, TOLERANCE } from './helpers.js';

export interface CellCase {
  readonly batch: number;
  readonly time: number;
  readonly features: number;
  readonly units: number;
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly masked: boolean;
}

/** A case reading forwards, the last state only, unmasked, unless `sizes` says otherwise. */
export function cellCase(
  sizes: Pick<CellCase, 'batch' | 'time' | 'features' | 'units'> & Partial<CellCase>,
): CellCase {
  return { goBackwards: false, returnSequences: false, masked: false, ...sizes };
}

/** Every reading direction, output and masking over `sizes` (`[batch, features, units]`), 7 steps. */
export function cellCases(sizes: readonly (readonly [number, number, number])[]): CellCase[] {
  const cases: CellCase[] = [];
  for (const [batch, features, units] of sizes)
    for (const goBackwards of [false, true])
      for (const returnSequences of [false, true])
        for (const masked of [false, true])
          cases.push({ batch, time: 7, features, units, goBackwards, returnSequences, masked });
  return cases;
}

export function caseName(c: CellCase): string {
  return `batch ${c.batch}, ${c.features} features, ${c.units} units${c.goBackwards ? ', backwards' : ''}${c.returnSequences ? ', sequences' : ''}${c.masked ? ', masked' : ''}`;
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** How a float64 reference reads a case: whether row b is real at time t; the time of the s-th step read. */
export function readingOf(c: CellCase, mask: Uint8Array | undefined) {
  return {
    real: (b: number, t: number) => mask === undefined || mask[b * c.time + t] !== 0,
    timeAt: (s: number) => (c.goBackwards ? c.time - 1 - s : s),
  };
}

/** The layer's output from the states after each step read, `h[s + 1]` (`h[0]`: the zeros). */
export function outputOf(h: readonly Float64Array[], c: CellCase): Float64Array {
  const { batch: B, time: T, units: U } = c;
  if (!c.returnSequences) return Float64Array.from(h[T]);
  const output = new Float64Array(B * T * U);
  for (let s = 0; s < T; s++)
    for (let b = 0; b < B; b++) output.set(h[s + 1].subarray(b * U, (b + 1) * U), (b * T + s) * U);
  return output;
}

/** The state's gradient before the last step read: dy, or zeros when dy is every step's. */
export function lastStateGradient(dy: Float32Array, c: CellCase): Float64Array {
  const dh = new Float64Array(c.batch * c.units);
  if (!c.returnSequences) dh.set(dy);
  return dh;
}

/** Adds the s-th step read's dy to the state's gradient `dh`, when dy is every step's. */
export function addStepGradient(dh: Float64Array, dy: Float32Array, c: CellCase, s: number): void {
  const { time: T, units: U } = c;
  if (c.returnSequences)
    for (let k = 0; k < c.batch * U; k++) dh[k] += dy[(Math.floor(k / U) * T + s) * U + (k % U)];
}

/** The inputs of one case. */
export interface CellInputs {
  readonly input: Float32Array;
  readonly arrays: CellArrays;
  readonly dy: Float32Array;
  readonly mask: Uint8Array | undefined;
}

/**
 * Seeded inputs for a cell of `gates` gates; with `masked`, row b has `b mod 3` leading pads, every
 * row ends with padding, and row 1 has a hole.
 */
export function cellInputs(c: CellCase, gates: number, seed: number): CellInputs {
  const random = new Random(seed);
  const { batch: B, time: T, units: U, features: F } = c;
  const input = randomFloats(B * T * F, random);
  const w = randomFloats(F * gates * U, random).map((v) => v * 1.5);
  const r = randomFloats(U * gates * U, random).map((v) => v * 0.6);
  const bias = randomFloats(gates * U, random);
  const dy = randomFloats(c.returnSequences ? B * T * U : B * U, random);
  const mask = c.masked
    ? Uint8Array.from({ length: B * T }, (_, i) => {
        const [b, t] = [Math.floor(i / T), i % T];
        return t < b % 3 || t === T - 1 || (b === 1 && t === 3) ? 0 : 1;
      })
    : undefined;
  return { input, arrays: { w, r, bias }, dy, mask };
}

/** Every reading direction and output over 64 rows (4 parts of 16, row-parts.ts), 9 steps, masked. */
export function partsCases(): CellCase[] {
  return [false, true].flatMap((goBackwards) =>
    [false, true].map((returnSequences) =>
      cellCase({ batch: 64, time: 9, features: 8, units: 8, goBackwards, returnSequences, masked: true }),
    ),
  );
}

/**
 * Seeded inputs for one of {@link partsCases}, with a mask under which every part has steps of its
 * own that are padding in all of its rows: part p's rows start with 2p steps of padding, the last
 * part's rows also end with two, and one row of part 1 has a hole. Pre-padding as the encoder makes
 * it, with batches of similar length as length buckets draw them.
 */
export function partsInputs(c: CellCase, gates: number): CellInputs {
  return { ...cellInputs(c, gates, 7), mask: partsMask(c) };
}

function partsMask(c: CellCase): Uint8Array {
  return Uint8Array.from({ length: c.batch * c.time }, (_, i) => {
    const [b, t] = [Math.floor(i / c.time), i % c.time];
    const part = Math.floor(b / 16);
    const padding = t < 2 * part || (part === 3 && t >= c.time - 2) || (b === 20 && t === 5);
    return padding ? 0 : 1;
  });
}

export function planOf(c: CellCase, mask: Uint8Array | undefined): StepPlan {
  const maskTensor = mask === undefined ? undefined : tf.tensor2d(mask, [c.batch, c.time], 'int32');
  const plan = StepPlan.of(c.batch, c.time, { ...c, mask: maskTensor });
  maskTensor?.dispose();
  return plan;
}

export function assertClose(out: ArrayLike<number>, ref: ArrayLike<number>, what: string): void {
  const err = relativeError(out, ref);
  assert.ok(err < TOLERANCE, `${what}: relative error ${err} ≥ ${TOLERANCE}`);
}

/** A layer's output and gradients in float64. */
export interface Reference {
  readonly output: Float64Array;
  readonly dInput: Float64Array;
  readonly dw: Float64Array;
  readonly dr: Float64Array;
  readonly db: Float64Array;
}

/**
 * Runs `kernel` forward without and with a trace, then backward, on one case, and compares its
 * output and four gradients with `ref`; checks that the trace was released.
 */
export function assertMatchesReference<Trace>(
  kernel: Pick<CellKernel<Trace>, 'forward' | 'backward'>,
  c: CellCase,
  { input, arrays, dy, mask }: CellInputs,
  ref: Reference,
): void {
  const plan = planOf(c, mask);
  const inference = kernel.forward(input, arrays, plan, c.units, c.returnSequences, false);
  assertClose(inference.output, ref.output, 'output without trace');
  const { output, trace } = kernel.forward(input, arrays, plan, c.units, c.returnSequences, true);
  assertClose(output, ref.output, 'output with a trace');
  const grads = kernel.backward(dy, trace!, arrays);
  assertClose(grads.dInput, ref.dInput, 'gradient of the input');
  assertClose(grads.dKernel, ref.dw, 'gradient of the kernel');
  assertClose(grads.dRecurrent, ref.dr, 'gradient of the recurrent kernel');
  assertClose(grads.dBias, ref.db, 'gradient of the bias');
  assert.equal(regions.top(), 0, 'the trace was not released');
}
