import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decisionValues,
  fitNaiveBayes,
  fitPlatt,
  interpolateWeights,
  logCountRatio,
  logisticObjective,
  plattProbability,
  scaleColumns,
  trainDualCdSvm,
  trainLogistic,
} from '../../../src/models/linear/index.js';
import { Random } from '../../../src/util/random.js';
import { csr, randomProblem } from '../../helpers/sparse.js';

/** A CSR matrix from dense rows (zeros left out). */
const separable = {
  x: csr([
    [1, 0, 1],
    [1, 1, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 1],
  ]),
  // +1 when feature 0 is present.
  y: Int8Array.from([1, 1, -1, -1, 1, -1]),
};

describe('dual coordinate descent SVM', () => {
  for (const loss of ['hinge', 'squared-hinge'] as const) {
    it(`${loss}: separates a small separable problem`, () => {
      const solution = trainDualCdSvm(separable.x, separable.y, {
        c: 10,
        loss,
        tolerance: 1e-6,
        random: new Random(1),
      });
      assert.ok(solution.converged);
      const f = decisionValues(solution.weights, solution.bias, separable.x);
      f.forEach((value, i) => assert.ok(value * separable.y[i] > 0, `row ${i}: ${value}`));
    });
  }

  it('matches the closed-form optimum of one-dimensional problems', () => {
    // x = ±1 with labels ±1 and no bias. L1-loss: min ½w² + 2C·max(0, 1 − w) gives w = 1 when 2C ≥ 1;
    // L2-loss: min ½w² + 2C(1 − w)² gives w = 4C / (1 + 4C).
    const x = csr([[1], [-1]]);
    const y = Int8Array.from([1, -1]);
    const options = { c: 1, biasFeature: 0, tolerance: 1e-9, random: new Random(3) };
    const l1 = trainDualCdSvm(x, y, { ...options, loss: 'hinge' });
    assert.ok(Math.abs(l1.weights[0] - 1) < 1e-9, `${l1.weights[0]}`);
    assert.equal(l1.bias, 0);
    const l2 = trainDualCdSvm(x, y, { ...options, loss: 'squared-hinge' });
    assert.ok(Math.abs(l2.weights[0] - 0.8) < 1e-9, `${l2.weights[0]}`);
    const weak = trainDualCdSvm(x, y, { ...options, c: 0.1, loss: 'hinge' });
    assert.ok(Math.abs(weak.weights[0] - 0.2) < 1e-9, `${weak.weights[0]}`); // w = 2C below the kink
  });

  it('keeps the dual and primal consistent: w = Σ α_i y_i x_i', () => {
    const { x, y } = randomProblem(60, 8, 5);
    const s = trainDualCdSvm(x, y, { c: 0.5, loss: 'squared-hinge', random: new Random(2) });
    const w = new Float64Array(x.cols + 1);
    for (let i = 0; i < x.rows; i++) {
      for (let k = x.indptr[i]; k < x.indptr[i + 1]; k++) w[x.indices[k]] += s.alpha[i] * y[i] * x.values[k];
      w[x.cols] += s.alpha[i] * y[i];
    }
    for (let j = 0; j < x.cols; j++) assert.ok(Math.abs(w[j] - s.weights[j]) < 1e-9);
    assert.ok(Math.abs(w[x.cols] - s.bias) < 1e-9);
  });

  it('reaches the same optimum from a warm start in few passes', () => {
    const { x, y } = randomProblem(200, 10, 8);
    const options = { c: 1, loss: 'hinge', tolerance: 1e-4, random: new Random(4) } as const;
    const cold = trainDualCdSvm(x, y, options);
    const warm = trainDualCdSvm(x, y, { ...options, random: new Random(5), initialAlpha: cold.alpha });
    assert.ok(warm.iterations <= 2, `${warm.iterations} passes`);
    for (let j = 0; j < x.cols; j++) assert.ok(Math.abs(warm.weights[j] - cold.weights[j]) < 1e-3);
  });

  it('is deterministic for a seed', () => {
    const { x, y } = randomProblem(100, 12, 9);
    const run = (seed: number) =>
      trainDualCdSvm(x, y, { c: 1, loss: 'squared-hinge', random: new Random(seed) });
    assert.deepEqual(run(7).weights, run(7).weights);
    assert.equal(run(7).bias, run(7).bias);
  });

  it('rejects a non-positive C', () => {
    assert.throws(
      () => trainDualCdSvm(separable.x, separable.y, { c: 0, loss: 'hinge', random: new Random(1) }),
      /c must be a positive number/,
    );
  });
});

describe('dual coordinate descent logistic regression', () => {
  it('separates a small separable problem', () => {
    const s = trainLogistic(separable.x, separable.y, { c: 10, random: new Random(1) });
    const f = decisionValues(s.weights, s.bias, separable.x);
    f.forEach((value, i) => assert.ok(value * separable.y[i] > 0, `row ${i}: ${value}`));
  });

  it('ends where the primal gradient vanishes', () => {
    const { x, y } = randomProblem(150, 10, 11);
    for (const c of [0.1, 1, 10]) {
      const s = trainLogistic(x, y, { c, tolerance: 1e-8, random: new Random(2) });
      assert.ok(s.converged);
      const { gradient } = logisticObjective(x, y, c, s.weights, s.bias);
      const largest = Math.max(...gradient.map(Math.abs));
      assert.ok(largest < 1e-5, `C=${c}: largest gradient entry ${largest}`);
    }
  });

  it('has a lower objective than nearby points', () => {
    const { x, y } = randomProblem(80, 6, 12);
    const s = trainLogistic(x, y, { c: 1, tolerance: 1e-8, random: new Random(3) });
    const at = logisticObjective(x, y, 1, s.weights, s.bias).value;
    for (let j = 0; j < x.cols; j++) {
      const moved = Float64Array.from(s.weights);
      moved[j] += 0.01;
      assert.ok(logisticObjective(x, y, 1, moved, s.bias).value > at);
    }
  });

  it('is deterministic for a seed', () => {
    const { x, y } = randomProblem(100, 12, 13);
    const run = () => trainLogistic(x, y, { c: 1, random: new Random(21) });
    assert.deepEqual(run().weights, run().weights);
  });
});

describe('multinomial naive Bayes', () => {
  it('gives the hand-computed log-probabilities on a three-document corpus', () => {
    // Vocabulary [good, bad, film]; documents: "good good film" (pos), "bad film" (neg), "good" (pos).
    const x = csr([
      [2, 0, 1],
      [0, 1, 1],
      [1, 0, 0],
    ]);
    const { logLikelihood, logPrior } = fitNaiveBayes(x, Int32Array.from([1, 0, 1]), 2, 1);
    // neg: counts [0, 1, 1], total 2 → (count + 1) / (2 + 3); pos: counts [3, 0, 1], total 4 → / (4 + 3).
    const expected = [1 / 5, 2 / 5, 2 / 5, 4 / 7, 1 / 7, 2 / 7].map(Math.log);
    expected.forEach((value, i) => assert.ok(Math.abs(logLikelihood[i] - value) < 1e-12, `entry ${i}`));
    assert.ok(Math.abs(logPrior[0] - Math.log(1 / 3)) < 1e-12);
    assert.ok(Math.abs(logPrior[1] - Math.log(2 / 3)) < 1e-12);
  });

  it('rejects alpha ≤ 0', () => {
    assert.throws(() => fitNaiveBayes(csr([[1]]), Int32Array.from([0]), 2, 0), /alpha must be a positive/);
  });
});

describe('NBSVM', () => {
  it('computes the log-count ratio by hand', () => {
    // Binarised [good, bad, film]; rows: pos [1,0,1], neg [0,1,1], pos [1,0,0].
    const x = csr([
      [1, 0, 1],
      [0, 1, 1],
      [1, 0, 0],
    ]);
    const r = logCountRatio(x, Int8Array.from([1, -1, 1]), 1);
    // p = 1 + [2, 0, 1] = [3, 1, 2] (sum 6); q = 1 + [0, 1, 1] = [1, 2, 2] (sum 5).
    const expected = [Math.log(3 / 6 / (1 / 5)), Math.log(1 / 6 / (2 / 5)), Math.log(2 / 6 / (2 / 5))];
    expected.forEach((value, j) => assert.ok(Math.abs(r[j] - value) < 1e-12, `column ${j}`));
  });

  it('scales columns without touching the structure', () => {
    const x = csr([
      [1, 0, 2],
      [0, 3, 0],
    ]);
    const scaled = scaleColumns(x, [10, 100, 1000]);
    assert.deepEqual([...scaled.values], [10, 2000, 300]);
    assert.equal(scaled.indices, x.indices);
  });

  it('interpolates towards the mean magnitude', () => {
    assert.deepEqual([...interpolateWeights(Float64Array.from([1, -3]), 0.25)], [1.75, 0.75]);
  });
});

describe('Platt scaling', () => {
  it('recovers a known sigmoid', () => {
    const random = new Random(17);
    const n = 20000;
    const f = new Float64Array(n);
    const y = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      f[i] = random.next() * 6 - 3;
      const p = 1 / (1 + Math.exp(-2 * f[i] - 0.5)); // A = −2, B = −0.5
      y[i] = random.next() < p ? 1 : -1;
    }
    const fitted = fitPlatt(f, y);
    assert.ok(Math.abs(fitted.a + 2) < 0.1, `A = ${fitted.a}`);
    assert.ok(Math.abs(fitted.b + 0.5) < 0.1, `B = ${fitted.b}`);
    assert.ok(Math.abs(plattProbability(0, fitted) - 1 / (1 + Math.exp(-0.5))) < 0.03);
  });

  it('holds B at 0 without an intercept and still recovers the slope', () => {
    const random = new Random(11);
    const n = 20000;
    const f = new Float64Array(n);
    const y = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      f[i] = random.next() * 6 - 3;
      y[i] = random.next() < 1 / (1 + Math.exp(-1.5 * f[i])) ? 1 : -1; // A = −1.5, B = 0
    }
    const held = fitPlatt(f, y, { intercept: false });
    assert.equal(held.b, 0);
    assert.ok(Math.abs(held.a + 1.5) < 0.1, `A = ${held.a}`);
    assert.equal(plattProbability(0, held), 0.5);
    // Labels tilted towards +1 pull a free B away from 0; a held one stays, so the boundary stays at f = 0.
    for (let i = 0; i < n; i += 10) y[i] = 1;
    assert.ok(fitPlatt(f, y).b < -0.05, `free B = ${fitPlatt(f, y).b}`);
    assert.equal(fitPlatt(f, y, { intercept: false }).b, 0);
  });

  it('stays finite on a separable slice', () => {
    const fitted = fitPlatt([-2, -1, 1, 2], [-1, -1, 1, 1]);
    assert.ok(Number.isFinite(fitted.a) && Number.isFinite(fitted.b));
    assert.ok(plattProbability(2, fitted) > 0.5 && plattProbability(2, fitted) < 1);
  });
});

describe('class weights in the solvers (a weight per row)', () => {
  it('weighted logistic regression reaches the optimum of the weighted objective', () => {
    const random = new Random(4);
    const rows = Array.from({ length: 60 }, () => Array.from({ length: 5 }, () => random.next() - 0.5));
    const x = csr(rows);
    const y = Int8Array.from(rows, (r) => (r[0] + r[1] + 0.3 * (random.next() - 0.5) > 0 ? 1 : -1));
    const rowWeights = Float64Array.from(y, (label) => (label > 0 ? 3 : 0.5));
    const s = trainLogistic(x, y, { c: 1, tolerance: 1e-8, random: new Random(1), rowWeights });
    const weighted = logisticObjective(x, y, 1, s.weights, s.bias, 1, rowWeights);
    assert.ok(Math.max(...weighted.gradient.map(Math.abs)) < 1e-4);
    const plain = logisticObjective(x, y, 1, s.weights, s.bias);
    assert.ok(Math.max(...plain.gradient.map(Math.abs)) > 1e-2, 'the weights changed the solution');
  });

  it('weighted naive Bayes counts rows that many times, prior included', () => {
    const x = csr([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const labels = Int32Array.from([0, 0, 1]);
    const weighted = fitNaiveBayes(x, labels, 2, 1, Float64Array.from([1, 1, 2]));
    const doubled = fitNaiveBayes(
      csr([
        [1, 0],
        [0, 1],
        [1, 1],
        [1, 1],
      ]),
      Int32Array.from([0, 0, 1, 1]),
      2,
      1,
    );
    assert.deepEqual(weighted, doubled);
  });

  it('weighted SVM rows act as a row-wise C, and uniform weights as a larger C', () => {
    const random = new Random(6);
    const rows = Array.from({ length: 50 }, () => Array.from({ length: 4 }, () => random.next() - 0.5));
    const x = csr(rows);
    const y = Int8Array.from(rows, (r) => (r[0] - r[2] + 0.4 * (random.next() - 0.5) > 0 ? 1 : -1));
    for (const loss of ['hinge', 'squared-hinge'] as const) {
      const twice = trainDualCdSvm(x, y, {
        c: 1,
        loss,
        random: new Random(2),
        rowWeights: new Float64Array(50).fill(2),
      });
      const c2 = trainDualCdSvm(x, y, { c: 2, loss, random: new Random(2) });
      assert.deepEqual(twice, c2);
      const positives = Float64Array.from(y, (label) => (label > 0 ? 5 : 1));
      const weighted = trainDualCdSvm(x, y, { c: 1, loss, random: new Random(2), rowWeights: positives });
      const plain = trainDualCdSvm(x, y, { c: 1, loss, random: new Random(2) });
      const count = (s: typeof plain) =>
        Array.from(decisionValues(s.weights, s.bias, x)).filter((v) => v > 0).length;
      assert.ok(
        count(weighted) > count(plain),
        `${loss}: ${count(weighted)} vs ${count(plain)} rows called positive`,
      );
      if (loss === 'hinge') assert.ok(weighted.alpha.every((a, i) => a <= positives[i] + 1e-12));
    }
  });

  it('a Platt row of weight 2 counts as the row twice', () => {
    const f = [-2, -1, -0.5, 0.3, 1, 2];
    const y = [-1, -1, 1, -1, 1, 1];
    for (const intercept of [true, false]) {
      const weighted = fitPlatt(f, y, { intercept, weights: [1, 2, 1, 2, 1, 1] });
      const doubled = fitPlatt([...f, -1, 0.3], [...y, -1, -1], { intercept });
      assert.ok(Math.abs(weighted.a - doubled.a) < 1e-9 && Math.abs(weighted.b - doubled.b) < 1e-9);
      assert.deepEqual(
        fitPlatt(f, y, { intercept, weights: [1, 1, 1, 1, 1, 1] }),
        fitPlatt(f, y, { intercept }),
      );
    }
  });
});
