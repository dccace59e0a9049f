/**
 * Platt calibration of the SVM problems, on this thread or on a worker beside the final solve: the
 * same sigmoids either way, and the same model whatever the threads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  calibrateAside,
  calibrateOnWorker,
  calibrateProblems,
  type CalibrationTask,
} from '../../../src/models/linear/calibration.js';
import { trainOneVsRest } from '../../../src/models/linear/one-vs-rest.js';
import { selectRows } from '../../../src/text/features/sparse.js';
import { Random } from '../../../src/util/random.js';
import { randomProblem } from '../../helpers/sparse.js';

const OPTIONS = {
  loss: 'squared-hinge',
  c: 1,
  tolerance: 0.1,
  maxIterations: 1000,
  ratioAlpha: null,
  beta: null,
  calibrationSplit: 0.2,
} as const;

function task(): CalibrationTask {
  const { x, y } = randomProblem(300, 12, 7, 0.15);
  const fitRows = Int32Array.from({ length: 240 }, (_, i) => i);
  const heldRows = Int32Array.from({ length: 60 }, (_, i) => 240 + i);
  return {
    fit: selectRows(x, fitRows),
    held: selectRows(x, heldRows),
    problems: [
      { yFit: y.slice(0, 240), yHeld: y.slice(240), seed: 3 },
      { yFit: y.slice(0, 240).map((v) => -v), yHeld: y.slice(240).map((v) => -v), seed: 4 },
    ],
    options: OPTIONS,
  };
}

describe('SVM calibration', () => {
  it('fits a negative slope per problem (a larger decision value means a likelier +1) and no intercept', () => {
    const sigmoids = calibrateProblems(task());
    assert.equal(sigmoids.length, 2);
    for (const { a, b } of sigmoids) {
      assert.ok(a < -0.5, `slope ${a}`);
      assert.equal(b, 0);
    }
  });

  it('gives the same sigmoids on a worker thread as on this one', async () => {
    const here = calibrateProblems(task());
    assert.deepEqual(await calibrateOnWorker(task()), here);
    assert.deepEqual(await calibrateAside(task(), { threads: 'worker' }), here);
    assert.deepEqual(await calibrateAside(task(), { threads: 1 }), here);
  });

  it('trains the same one-vs-rest model, probabilities included, whatever the threads', async () => {
    const { x, y } = randomProblem(400, 10, 11, 0.2);
    const labels = Int32Array.from(y, (v, i) => (v > 0 ? 2 : i % 2));
    const train = (threads: number | 'worker') =>
      trainOneVsRest(x, labels, 3, OPTIONS, new Random(5), undefined, { threads });
    const [inline, aside] = await Promise.all([train(1), train('worker')]);
    assert.equal(inline.probability.type, 'platt');
    assert.deepEqual(aside.probability, inline.probability);
    assert.deepEqual(aside.weights, inline.weights);
  });
});
