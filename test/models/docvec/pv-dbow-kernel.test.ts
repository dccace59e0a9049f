/**
 * The WebAssembly PV-DBOW kernel (pv-dbow.wat) against a plain TypeScript statement of the same
 * arithmetic, in float64: the cosine objective's steps for the document and the n-gram vectors, the
 * skipped noise draws, the tail past the last whole SIMD lane, and fold-in's falling rate with the
 * n-gram vectors left as they are. And the committed bytes against their source.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { CHUNK_OCCURRENCES, MemoryPlan, PvDbowKernel } from '../../../src/models/docvec/pv-dbow-kernel.js';
import { Random } from '../../../src/util/random.js';
import { expectedModule, REPOSITORY_ROOT, WASM_MODULES } from '../../../tools/wasm-modules.js';

const NEGATIVES = 3;
const PER = 1 + NEGATIVES;

/** One occurrence's pairs, as the kernel does them: the document moves after all of them, each n-gram at once. */
function referenceOccurrence(
  h: Float64Array,
  vectors: Float64Array[],
  columns: number[],
  alpha: number,
  rate: number,
  move: boolean,
): void {
  const dims = h.length;
  const hNorm = Math.sqrt(h.reduce((s, x) => s + x * x, 0)) || 1e-12;
  const step = new Float64Array(dims);
  columns.forEach((column, j) => {
    if (column < 0) return;
    const v = vectors[column];
    let dot = 0;
    let vv = 0;
    for (let i = 0; i < dims; i++) {
      dot += h[i] * v[i];
      vv += v[i] * v[i];
    }
    const inverse = 1 / (hNorm * Math.sqrt(vv));
    const cos = dot * inverse;
    const g = ((j === 0 ? 1 : 0) - 1 / (1 + Math.exp(-alpha * cos))) * alpha * rate;
    for (let i = 0; i < dims; i++) {
      const vi = v[i];
      step[i] += g * (vi * inverse - (h[i] * cos) / (hNorm * hNorm));
      if (move) v[i] = vi + g * (h[i] * inverse - (vi * cos) / vv);
    }
  });
  for (let i = 0; i < dims; i++) h[i] += step[i];
}

interface Setup {
  kernel: PvDbowKernel;
  at: { vectors: number; document: number; pairs: number; step: number };
  h: Float64Array;
  vectors: Float64Array[];
  pairs: Int32Array;
}

/** A kernel memory with random vectors, and the same values in float64 for the reference. */
function setup(dims: number, columns: number, occurrences: number, seed: number): Setup {
  const random = new Random(seed);
  const plan = new MemoryPlan();
  const at = {
    vectors: plan.reserve(columns * dims),
    document: plan.reserve(dims),
    pairs: plan.reserve(CHUNK_OCCURRENCES * PER),
    step: plan.reserve(dims),
  };
  const kernel = new PvDbowKernel(plan.create('test vectors'));
  const wasmVectors = kernel.floats(at.vectors, columns * dims);
  for (let i = 0; i < wasmVectors.length; i++) wasmVectors[i] = random.next() - 0.5;
  const wasmH = kernel.floats(at.document, dims);
  for (let i = 0; i < dims; i++) wasmH[i] = random.next() - 0.5;
  const vectors = Array.from({ length: columns }, (_, c) =>
    Float64Array.from(wasmVectors.subarray(c * dims, (c + 1) * dims)),
  );
  const pairs = kernel.ints(at.pairs, occurrences * PER);
  for (let p = 0; p < occurrences; p++) {
    pairs[p * PER] = random.int(columns);
    for (let n = 1; n < PER; n++) pairs[p * PER + n] = random.next() < 0.2 ? -1 : random.int(columns);
  }
  return { kernel, at, h: Float64Array.from(wasmH), vectors, pairs };
}

function assertClose(actual: Float32Array, expected: Float64Array, what: string): void {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i] - expected[i]) ** 2;
    size += expected[i] ** 2;
  }
  const relative = Math.sqrt(diff / Math.max(size, 1e-30));
  assert.ok(relative < 1e-5, `${what}: relative error ${relative}`);
}

describe('PV-DBOW kernel', () => {
  for (const dims of [16, 10]) {
    it(`trains a document and its n-grams as the objective says (dims ${dims})`, () => {
      const { kernel, at, h, vectors, pairs } = setup(dims, 7, 40, dims);
      const rate = 0.05;
      kernel.trainDocument(at.document, at.vectors, at.pairs, 40, PER, dims, 6, rate, at.step);
      for (let p = 0; p < 40; p++)
        referenceOccurrence(h, vectors, [...pairs.subarray(p * PER, (p + 1) * PER)], 6, rate, true);
      assertClose(kernel.floats(at.document, dims), h, 'document vector');
      vectors.forEach((v, c) =>
        assertClose(kernel.floats(at.vectors + c * dims * 4, dims), v, `n-gram ${c}`),
      );
      assert.ok(
        kernel.floats(at.step, dims).every((x) => x === 0),
        'the step scratch is left at zero',
      );
    });
  }

  it('folds a document in with a falling rate and leaves the n-gram vectors alone', () => {
    const dims = 12;
    const { kernel, at, h, vectors, pairs } = setup(dims, 5, 30, 7);
    const before = kernel.floats(at.vectors, 5 * dims).slice();
    const rate = { start: 0.2, fall: 0.005, floor: 0.08 };
    kernel.inferDocument(
      at.document,
      at.vectors,
      at.pairs,
      30,
      PER,
      dims,
      4,
      rate.start,
      rate.fall,
      rate.floor,
      at.step,
    );
    for (let p = 0; p < 30; p++) {
      const now = Math.max(rate.floor, rate.start - p * rate.fall);
      referenceOccurrence(h, vectors, [...pairs.subarray(p * PER, (p + 1) * PER)], 4, now, false);
    }
    assertClose(kernel.floats(at.document, dims), h, 'document vector');
    assert.deepEqual(kernel.floats(at.vectors, 5 * dims), before);
  });

  it('computes the sigmoid right far out on both sides (a large α)', () => {
    const dims = 8;
    const { kernel, at, h, vectors, pairs } = setup(dims, 3, 20, 11);
    kernel.trainDocument(at.document, at.vectors, at.pairs, 20, PER, dims, 60, 0.01, at.step);
    for (let p = 0; p < 20; p++)
      referenceOccurrence(h, vectors, [...pairs.subarray(p * PER, (p + 1) * PER)], 60, 0.01, true);
    assertClose(kernel.floats(at.document, dims), h, 'document vector');
  });

  it('refuses a memory past WebAssembly 4 GiB with a message that says what to change', () => {
    const plan = new MemoryPlan();
    plan.reserve(2 ** 30);
    plan.reserve(2 ** 30);
    assert.throws(() => plan.create('the vectors'), /the vectors need 8\.0 GiB.*fewer dimensions or n-grams/);
  });

  it('ships the bytes its WebAssembly source compiles to (npm run build:wasm)', async () => {
    for (const module of WASM_MODULES) {
      const committed = await readFile(new URL(module.generated, `file://${REPOSITORY_ROOT}`), 'utf8');
      assert.equal(
        committed,
        await expectedModule(module),
        `${module.generated} is stale: run npm run build:wasm`,
      );
    }
  });
});
