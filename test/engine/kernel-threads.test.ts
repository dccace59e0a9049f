import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { gruBackward, gruForward } from '../../src/engine/recurrent/gru-kernel.js';
import { lstmBackward, lstmForward } from '../../src/engine/recurrent/lstm-kernel.js';
import { partsRunByHelpers, setKernelHelpers } from '../../src/engine/recurrent/kernel-threads.js';
import { rowParts } from '../../src/engine/recurrent/row-parts.js';
import type { CellKernel } from '../../src/engine/recurrent/fused-layer.js';
import { cellCase, cellInputs, planOf } from './cell-kernel-cases.js';

const LSTM = { forward: lstmForward, backward: lstmBackward };
const GRU = { forward: gruForward, backward: gruBackward };

describe('parts of rows', () => {
  it('cuts a batch into at most 4 parts of at least 16 rows, sized in multiples of 4 but for the last', () => {
    const cut = (batch: number) =>
      rowParts(planOf(cellCase({ batch, time: 3, features: 8, units: 8 }), undefined)).map((p) => [
        p.begin,
        p.end,
      ]);
    assert.deepEqual(cut(128), [
      [0, 32],
      [32, 64],
      [64, 96],
      [96, 128],
    ]);
    assert.deepEqual(cut(37), [
      [0, 20],
      [20, 37],
    ]);
    assert.deepEqual(cut(31), [[0, 31]]);
    assert.deepEqual(cut(1), [[0, 1]]);
  });

  it("gives each part its rows' mask and its own active steps", () => {
    const c = cellCase({ batch: 32, time: 4, features: 8, units: 8, masked: true });
    // Rows 0-15 are real at steps 0 and 1 only, rows 16-31 at step 3 only.
    const mask = Uint8Array.from({ length: 32 * 4 }, (_, i) =>
      i < 16 * 4 ? Number(i % 4 < 2) : Number(i % 4 === 3),
    );
    const [first, second] = rowParts(planOf(c, mask));
    assert.deepEqual(Array.from(first.plan.active), [1, 1, 0, 0]);
    assert.deepEqual(Array.from(second.plan.active), [0, 0, 0, 1]);
    assert.deepEqual(first.plan.mask, mask.subarray(0, 64));
  });
});

describe('recurrence kernels on helper threads', () => {
  after(() => setKernelHelpers(0));

  /** Output and gradients of one forward and backward pass over 64 rows (4 parts), masked. */
  function run(kernel: Pick<CellKernel<unknown>, 'forward' | 'backward'>, gates: number): Float32Array[] {
    const c = cellCase({ batch: 64, time: 9, features: 8, units: 8, returnSequences: true, masked: true });
    const { input, arrays, dy, mask } = cellInputs(c, gates, 5);
    const plan = planOf(c, mask);
    const { output, trace } = kernel.forward(input, arrays, plan, c.units, true, true);
    const kept = Float32Array.from(output);
    const grads = kernel.backward(dy, trace!, arrays);
    return [
      kept,
      ...[grads.dInput, grads.dKernel, grads.dRecurrent, grads.dBias].map((g) => Float32Array.from(g)),
    ];
  }

  /** Runs until a helper thread has taken parts (it starts in the background), at most 5 s. */
  async function runWithHelpers(kernel: Pick<CellKernel<unknown>, 'forward' | 'backward'>, gates: number) {
    setKernelHelpers(3);
    const before = partsRunByHelpers();
    for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
      const result = run(kernel, gates);
      if (partsRunByHelpers() > before) return result;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail('no helper thread took a part within 5 s');
  }

  it('gives each part to one thread only when calls of 2 and 4 parts alternate quickly', async () => {
    const cases = [32, 64].map((batch) => {
      const c = cellCase({ batch, time: 5, features: 8, units: 8, masked: true });
      const { input, arrays, mask } = cellInputs(c, 4, batch);
      return { c, input, arrays, plan: planOf(c, mask) };
    });
    const outputs = () =>
      cases.map(({ c, input, arrays, plan }) =>
        Float32Array.from(lstmForward(input, arrays, plan, c.units, true, false).output),
      );
    setKernelHelpers(0);
    const alone = outputs();
    await runWithHelpers(LSTM, 4);
    for (let round = 0; round < 300; round++) {
      outputs().forEach((output, i) =>
        assert.deepEqual(output, alone[i], `round ${round}, ${cases[i].c.batch} rows`),
      );
    }
  });

  for (const [name, kernel, gates] of [
    ['LSTM', LSTM, 4],
    ['GRU', GRU, 3],
  ] as const) {
    it(`${name}: the same bits whichever thread runs a part`, async () => {
      setKernelHelpers(0);
      const alone = run(kernel, gates);
      const helped = await runWithHelpers(kernel, gates);
      alone.forEach((values, i) => assert.deepEqual(helped[i], values, `result ${i}`));
    });
  }
});
