/**
 * Our wasm kernels against the CPU backend on seeded random inputs, at small shapes and at the
 * shapes the MLP and CNN use, plus a check that repeated calls leak no tensors or heap buffers.
 *
 * Where the CPU backend's own kernel is too slow at model size (UnsortedSegmentSum builds one mask
 * per segment; Conv2DBackpropFilter takes ~25 s), the reference is computed on the CPU backend by
 * an independent route (scatterND, or per-tap matrix products), and the CPU kernel itself is
 * compared at small shapes.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '../../src/engine/tf.js';
import { initBackend } from '../../src/engine/index.js';
import { Random } from '../../src/util/random.js';
import {
  assertMatchesCpu,
  assertNoLeak,
  conv2DBackpropFilter,
  randomFloats,
  randomInts,
  runOn,
} from './helpers.js';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('UnsortedSegmentSum (wasm)', () => {
  for (const [rows, inner, segments] of [
    [10, 1, 4],
    [37, 5, 9],
    [200, 32, 50],
  ] as const) {
    it(`matches cpu for ${rows}×${inner} rows into ${segments} segments`, async () => {
      const random = new Random(rows * 7 + inner);
      const x = randomFloats(rows * inner, random);
      const ids = randomInts(rows, segments, random);
      const shape = inner === 1 ? [rows] : [rows, inner];
      await assertMatchesCpu(() =>
        tf.unsortedSegmentSum(tf.tensor(x, shape), tf.tensor1d(ids, 'int32'), segments),
      );
    });
  }

  it('matches cpu (scatterND) for the embedding gradient: 128×500 ids into 5000×32', async () => {
    const random = new Random(1);
    const x = randomFloats(128 * 500 * 32, random);
    const ids = randomInts(128 * 500, 5000, random);
    await assertMatchesCpu(
      () => tf.unsortedSegmentSum(tf.tensor2d(x, [64000, 32]), tf.tensor1d(ids, 'int32'), 5000),
      () => tf.scatterND(tf.tensor2d(ids, [64000, 1], 'int32'), tf.tensor2d(x, [64000, 32]), [5000, 32]),
    );
  });

  it('sums int32 values and skips ids outside [0, numSegments)', async () => {
    await tf.setBackend('wasm');
    const out = tf.unsortedSegmentSum(
      tf.tensor1d([1, 2, 3, 4], 'int32'),
      tf.tensor1d([0, -1, 2, 0], 'int32'),
      2,
    );
    assert.equal(out.dtype, 'int32');
    assert.deepEqual(Array.from(out.dataSync()), [5, 0]);
    out.dispose();
  });

  it('does not leak', async () => {
    const random = new Random(2);
    const x = randomFloats(640 * 32, random);
    const ids = randomInts(640, 100, random);
    await assertNoLeak(() =>
      tf.unsortedSegmentSum(tf.tensor2d(x, [640, 32]), tf.tensor1d(ids, 'int32'), 100),
    );
  });
});

describe('Conv2DBackpropFilter (wasm)', () => {
  const cases: {
    x: [number, number, number, number];
    filter: [number, number, number, number];
    strides: [number, number];
    pad: 'same' | 'valid';
  }[] = [
    { x: [2, 1, 9, 3], filter: [1, 3, 3, 4], strides: [1, 1], pad: 'same' },
    { x: [2, 1, 9, 3], filter: [1, 3, 3, 4], strides: [1, 1], pad: 'valid' },
    { x: [3, 1, 20, 8], filter: [1, 5, 8, 6], strides: [1, 1], pad: 'same' },
    { x: [2, 1, 2, 3], filter: [1, 5, 3, 2], strides: [1, 1], pad: 'same' },
    { x: [2, 1, 11, 3], filter: [1, 3, 3, 2], strides: [1, 2], pad: 'same' },
    { x: [2, 6, 7, 3], filter: [3, 2, 3, 5], strides: [1, 1], pad: 'same' },
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 2], strides: [2, 2], pad: 'valid' },
    { x: [2, 7, 9, 3], filter: [2, 3, 3, 2], strides: [2, 3], pad: 'same' },
  ];
  for (const c of cases) {
    it(`matches cpu for x [${c.x}] filter [${c.filter}] strides [${c.strides}] ${c.pad}`, async () => {
      const random = new Random(c.x.reduce((a, b) => a * 31 + b, c.filter[1]));
      const probe = await runOn('cpu', () =>
        tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad),
      );
      const x = randomFloats(
        c.x.reduce((a, b) => a * b),
        random,
      );
      const dy = randomFloats(probe.values.length, random);
      await assertMatchesCpu(() =>
        conv2DBackpropFilter(
          tf.tensor4d(x, c.x),
          tf.tensor4d(dy, probe.shape as [number, number, number, number]),
          c.filter,
          c.strides,
          c.pad,
        ),
      );
    });
  }

  it('matches cpu for the CNN: x [128,1,500,32], dy [128,1,500,32], filter [1,3,32,32]', async () => {
    const random = new Random(3);
    const x = randomFloats(128 * 500 * 32, random);
    const dy = randomFloats(128 * 500 * 32, random);
    // Reference on cpu by taps: dW[0, k] = Σ_positions x(shifted by k − 1)ᵀ · dy.
    const reference = (): tf.Tensor => {
      const padded = tf.pad(tf.tensor3d(x, [128, 500, 32]), [
        [0, 0],
        [1, 1],
        [0, 0],
      ]);
      const dy2d = tf.tensor2d(dy, [128 * 500, 32]);
      const taps = [0, 1, 2].map((k) =>
        tf.matMul(
          tf.reshape(tf.slice(padded, [0, k, 0], [128, 500, 32]), [128 * 500, 32]),
          dy2d,
          true,
          false,
        ),
      );
      return tf.reshape(tf.stack(taps), [1, 3, 32, 32]);
    };
    await assertMatchesCpu(
      () =>
        conv2DBackpropFilter(
          tf.tensor4d(x, [128, 1, 500, 32]),
          tf.tensor4d(dy, [128, 1, 500, 32]),
          [1, 3, 32, 32],
          [1, 1],
          'same',
        ),
      reference,
    );
  });

  it('throws for NCHW', async () => {
    await tf.setBackend('wasm');
    const run = (): tf.Tensor =>
      tf.engine().runKernel(
        'Conv2DBackpropFilter',
        { x: tf.zeros([1, 3, 1, 5]), dy: tf.zeros([1, 2, 1, 5]) },
        {
          strides: [1, 1],
          pad: 'same',
          dataFormat: 'NCHW',
          filterShape: [1, 3, 3, 2],
        },
      ) as tf.Tensor;
    assert.throws(() => tf.tidy(run), /only dataFormat 'NHWC'/);
  });

  it('does not leak', async () => {
    const random = new Random(4);
    const x = randomFloats(4 * 50 * 8, random);
    const dy = randomFloats(4 * 50 * 6, random);
    await assertNoLeak(() =>
      conv2DBackpropFilter(
        tf.tensor4d(x, [4, 1, 50, 8]),
        tf.tensor4d(dy, [4, 1, 50, 6]),
        [1, 3, 8, 6],
        [1, 1],
        'same',
      ),
    );
  });
});

describe('BatchMatMul (wasm)', () => {
  const flags: [boolean, boolean][] = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ];
  /** Stored shapes of a and b for op(a) of m×k and op(b) of k×n, with optional batch dims. */
  const stored = (m: number, k: number, n: number, tA: boolean, tB: boolean, batch: number[] = []) => ({
    a: [...batch, ...(tA ? [k, m] : [m, k])],
    b: [...batch, ...(tB ? [n, k] : [k, n])],
  });
  for (const [m, k, n, batch] of [
    [7, 5, 3, []],
    [33, 70, 20, []],
    [128, 250, 300, []],
    [4, 6, 5, [3]],
  ] as [number, number, number, number[]][]) {
    for (const [tA, tB] of flags) {
      it(`matches cpu for ${batch.length ? `${batch}×` : ''}${m}×${k}·${k}×${n} transposeA=${tA} transposeB=${tB}`, async () => {
        const random = new Random(m * 1000 + n + (tA ? 1 : 0) + (tB ? 2 : 0));
        const s = stored(m, k, n, tA, tB, batch);
        const a = randomFloats(
          s.a.reduce((p, d) => p * d, 1),
          random,
        );
        const b = randomFloats(
          s.b.reduce((p, d) => p * d, 1),
          random,
        );
        await assertMatchesCpu(() => tf.matMul(tf.tensor(a, s.a), tf.tensor(b, s.b), tA, tB));
      });
    }
  }

  // The two transposed products of a Dense(16000 → 250) layer's backward pass.
  for (const [label, tA, tB, m, k, n] of [
    ['dx = dy·Wᵀ', false, true, 128, 250, 16000],
    ['dW = xᵀ·dy', true, false, 16000, 128, 250],
  ] as const) {
    it(`matches cpu for the MLP's ${label} (${m}×${k}·${k}×${n})`, async () => {
      const random = new Random(m + n);
      const s = stored(m, k, n, tA, tB);
      const a = randomFloats(s.a[0] * s.a[1], random);
      const b = randomFloats(s.b[0] * s.b[1], random);
      await assertMatchesCpu(() => tf.matMul(tf.tensor(a, s.a), tf.tensor(b, s.b), tA, tB));
    });
  }

  it('does not leak, with either plan', async () => {
    const random = new Random(5);
    const a = randomFloats(64 * 40, random);
    const b = randomFloats(40 * 300, random);
    await assertNoLeak(() => tf.matMul(tf.tensor2d(a, [64, 40]), tf.tensor2d(b, [300, 40]), false, true));
    await assertNoLeak(() => tf.matMul(tf.tensor2d(a, [40, 64]), tf.tensor2d(b, [40, 300]), true, false));
  });
});

describe('Transpose (wasm)', () => {
  for (const [shape, perm] of [
    [
      [5, 7],
      [1, 0],
    ],
    [
      [130, 33],
      [1, 0],
    ],
    [
      [3, 17, 19],
      [0, 2, 1],
    ],
    [
      [4, 5, 6],
      [2, 0, 1],
    ],
    [
      [4, 5, 6],
      [1, 2, 0],
    ],
    [
      [4, 1, 6, 3],
      [0, 3, 1, 2],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 0, 2],
    ],
  ] as [number[], number[]][]) {
    it(`matches cpu for shape [${shape}] perm [${perm}]`, async () => {
      const random = new Random(shape.reduce((a, b) => a * 13 + b, 0));
      const x = randomFloats(
        shape.reduce((a, b) => a * b, 1),
        random,
      );
      await assertMatchesCpu(() => tf.transpose(tf.tensor(x, shape), perm));
    });
  }

  it('transposes int32 and bool', async () => {
    await tf.setBackend('wasm');
    const ints = tf.transpose(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'));
    assert.deepEqual(Array.from(ints.dataSync()), [1, 4, 2, 5, 3, 6]);
    const bools = tf.transpose(tf.tensor2d([true, false, false, true, true, false], [3, 2], 'bool'));
    assert.deepEqual(Array.from(bools.dataSync()), [1, 0, 1, 0, 1, 0]);
    tf.dispose([ints, bools]);
  });
});

describe('GatherV2 (wasm)', () => {
  for (const [shape, indicesShape, axis] of [
    [[5000, 32], [128, 500], 0],
    [[10, 3], [7], 0],
    [[4, 9, 70], [2, 3], 1],
    [[4, 9, 5], [6], 2],
  ] as [number[], number[], number][]) {
    it(`matches cpu for x [${shape}] indices [${indicesShape}] axis ${axis}`, async () => {
      const random = new Random(shape[0] + axis);
      const x = randomFloats(
        shape.reduce((a, b) => a * b, 1),
        random,
      );
      const ids = randomInts(
        indicesShape.reduce((a, b) => a * b, 1),
        shape[axis],
        random,
      );
      await assertMatchesCpu(() =>
        tf.gather(tf.tensor(x, shape), tf.tensor(ids, indicesShape, 'int32'), axis),
      );
    });
  }

  it('throws for an out-of-range index', async () => {
    await tf.setBackend('wasm');
    assert.throws(
      () => tf.tidy(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([0, 3], 'int32'))),
      /not in \[0, 2\]/,
    );
  });
});

describe('Slice (wasm)', () => {
  for (const [shape, begin, size] of [
    [
      [16000, 250],
      [800, 0],
      [800, 250],
    ],
    [[7], [2], [4]],
    [
      [6, 9],
      [1, 2],
      [4, 5],
    ],
    [
      [4, 5, 6],
      [1, 0, 3],
      [2, 5, 2],
    ],
    [
      [3, 4, 5, 6, 2],
      [0, 1, 2, 3, 1],
      [3, 2, 2, 3, 1],
    ],
    [
      [5, 4],
      [2, 0],
      [0, 4],
    ],
  ] as [number[], number[], number[]][]) {
    it(`matches cpu for x [${shape}] from [${begin}] size [${size}]`, async () => {
      const random = new Random(shape.length * 13 + begin[0]);
      const x = randomFloats(
        shape.reduce((a, b) => a * b, 1),
        random,
      );
      await assertMatchesCpu(() => tf.slice(tf.tensor(x, shape), begin, size));
      await assertMatchesCpu(() => tf.slice(tf.tensor(x, shape, 'int32'), begin, size));
    });
  }

  it('leaks no tensors or heap buffers', async () => {
    await assertNoLeak(() => tf.slice(tf.ones([6, 9]), [1, 2], [4, 5]));
  });
});

describe('Conv2DBackpropInput (wasm)', () => {
  for (const [xShape, filterShape, strides, pad] of [
    [[128, 1, 500, 32], [1, 3, 32, 32], 1, 'same'],
    [[2, 1, 12, 3], [1, 4, 3, 5], 1, 'same'],
    [[2, 5, 6, 3], [3, 3, 3, 2], 1, 'valid'],
    [[2, 7, 9, 3], [3, 3, 3, 2], 2, 'same'],
  ] as [[number, number, number, number], [number, number, number, number], number, 'same' | 'valid'][]) {
    it(`matches cpu for x [${xShape}] filter [${filterShape}] stride ${strides} ${pad}`, async () => {
      const random = new Random(xShape[2] + filterShape[1]);
      const probe = await runOn('cpu', () =>
        tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, strides, pad),
      );
      const dy = randomFloats(probe.values.length, random);
      const w = randomFloats(
        filterShape.reduce((a, b) => a * b),
        random,
      );
      await assertMatchesCpu(() =>
        tf.conv2dTranspose(
          tf.tensor4d(dy, probe.shape as [number, number, number, number]),
          tf.tensor4d(w, filterShape),
          xShape,
          strides,
          pad,
        ),
      );
    });
  }
});

describe('MaxPoolGrad (wasm)', () => {
  for (const [shape, size, strides, pad] of [
    [[128, 500, 1, 32], [2, 1], [2, 1], 'valid'],
    [[2, 9, 7, 3], [3, 3], [2, 2], 'same'],
    [[2, 9, 7, 3], [2, 2], [1, 1], 'valid'],
  ] as [[number, number, number, number], [number, number], [number, number], 'same' | 'valid'][]) {
    it(`matches cpu for [${shape}] pool [${size}] strides [${strides}] ${pad}`, async () => {
      const random = new Random(shape[1] * 3 + size[0]);
      const x = randomFloats(
        shape.reduce((a, b) => a * b),
        random,
      );
      const grad = (input: tf.Tensor): tf.Tensor =>
        tf.grad((t: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, strides, pad), tf.range(1, 2, 1))),
        )(input);
      await assertMatchesCpu(() => grad(tf.tensor4d(x, shape)));
    });
  }

  it('routes ties to the first maximum, as the cpu backend does', async () => {
    const x = [1, 1, 0, 2, 2, 2, 5, 5];
    const build = (): tf.Tensor =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, [2, 1], [2, 1], 'valid')))(
        tf.tensor4d(x, [1, 8, 1, 1]),
      );
    await assertMatchesCpu(build);
    const out = await runOn('wasm', build);
    assert.deepEqual(Array.from(out.values), [1, 0, 0, 1, 1, 0, 1, 0]);
  });
});

describe('Sum (wasm)', () => {
  for (const [shape, axis, keepDims] of [
    [[128, 500, 32], [0, 1], false],
    [[128, 250], 0, false],
    [[6, 5, 4], [1, 0], true],
    [[6, 5, 4], [0, 2], false],
    [[6, 5, 4], -1, false],
  ] as [number[], number | number[], boolean][]) {
    it(`matches cpu for [${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`, async () => {
      const random = new Random(shape.length * 11 + shape[0]);
      const x = randomFloats(
        shape.reduce((a, b) => a * b),
        random,
      );
      await assertMatchesCpu(() => tf.sum(tf.tensor(x, shape), axis, keepDims));
    });
  }
});

describe('Equal (wasm)', () => {
  for (const [aShape, bShape] of [
    [
      [128, 498, 32],
      [128, 1, 32],
    ],
    [
      [4, 1, 3],
      [1, 5, 3],
    ],
    [[6, 5], [5]],
    [
      [2, 3, 4],
      [2, 3, 1],
    ],
    [[3], [2, 1]],
  ] as [number[], number[]][]) {
    it(`matches cpu for [${aShape}] against [${bShape}]`, async () => {
      const random = new Random(aShape.length * 13 + bShape[0]);
      const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
      // Few distinct values, so that many pairs are equal.
      const a = Float32Array.from(randomInts(size(aShape), 3, random));
      const b = Float32Array.from(randomInts(size(bShape), 3, random));
      await assertMatchesCpu(() => tf.cast(tf.equal(tf.tensor(a, aShape), tf.tensor(b, bShape)), 'float32'));
    });
  }

  it('marks the maximum as the gradient of a global max pooling does', async () => {
    const random = new Random(21);
    const x = randomFloats(8 * 30 * 5, random);
    await assertMatchesCpu(() => tf.grad((t: tf.Tensor) => tf.sum(tf.max(t, 1)))(tf.tensor3d(x, [8, 30, 5])));
  });
});

describe('gradients through layers', () => {
  it('embedding lookup + conv1d + max pooling + dense: tf.grads equal on wasm and cpu', async () => {
    const random = new Random(6);
    const vocab = 60;
    const dim = 8;
    const emb = randomFloats(vocab * dim, random);
    const filter = randomFloats(3 * dim * 4, random);
    const bias = randomFloats(4, random);
    const dense = randomFloats(10 * 4, random);
    const ids = randomInts(5 * 20, vocab, random);
    const gradsOf =
      (which: number): (() => tf.Tensor) =>
      () => {
        const loss = (e: tf.Tensor, f: tf.Tensor, b: tf.Tensor, d: tf.Tensor): tf.Scalar => {
          const looked = tf.gather(e, tf.tensor2d(ids, [5, 20], 'int32'));
          const conv = tf.relu(tf.add(tf.conv1d(looked as tf.Tensor3D, f as tf.Tensor3D, 1, 'same'), b));
          const pooled = tf.maxPool(tf.reshape(conv, [5, 20, 1, 4]) as tf.Tensor4D, [2, 1], [2, 1], 'valid');
          const logits = tf.matMul(tf.reshape(pooled, [5, 40]), tf.reshape(d, [40, 1]));
          return tf.mean(tf.sigmoid(logits));
        };
        const grads = tf.grads(loss)([
          tf.tensor2d(emb, [vocab, dim]),
          tf.tensor3d(filter, [3, dim, 4]),
          tf.tensor1d(bias),
          tf.tensor1d(dense),
        ]);
        return grads[which];
      };
    for (let which = 0; which < 4; which++) await assertMatchesCpu(gradsOf(which));
  });
});
