import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  encodeOnnxModel,
  isPolarityOnnxStart,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from '../../../src/persist/onnx/onnx-proto.js';
import { ProtoWriter } from '../../../src/persist/onnx/protobuf.js';
import { checkWithPythonOnnx, skipWithoutOnnxPython } from '../../helpers/onnx.js';

describe('ProtoWriter', () => {
  it('writes varints as the protobuf spec gives them', () => {
    const bytes = (v: number | bigint) => {
      const w = new ProtoWriter();
      w.varint(v);
      return [...w.finish()];
    };
    assert.deepEqual(bytes(0), [0]);
    assert.deepEqual(bytes(1), [1]);
    assert.deepEqual(bytes(300), [0xac, 0x02]);
    assert.deepEqual(bytes(2 ** 53 - 1), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    // A negative int64 is its two's complement: ten bytes.
    assert.deepEqual(bytes(-1), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert.deepEqual(bytes(-1n), bytes(-1));
    assert.throws(() => bytes(0.5), RangeError);
  });

  it('writes any safe integer as the varint of its 64 bits, alone or packed', () => {
    // The reference: the value's two's complement in 64 bits, in 7-bit groups, through bigint.
    const reference = (value: number): number[] => {
      let v = BigInt.asUintN(64, BigInt(value));
      const out: number[] = [];
      for (; v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
      return [...out, Number(v)];
    };
    const values = fc.array(
      fc.oneof(
        fc.maxSafeInteger(),
        fc.integer(),
        fc.constantFrom(-1, 0, 0x7f, 0x80, 2 ** 31 - 1, 2 ** 31, 2 ** 32, -(2 ** 53 - 1)),
      ),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(values, (list) => {
        const packed = new ProtoWriter();
        packed.packedInts(1, list);
        const want = list.flatMap(reference);
        const single = new ProtoWriter();
        single.bytes(1, Uint8Array.from(want));
        assert.deepEqual([...packed.finish()], [...single.finish()]);
        for (const value of list) {
          const w = new ProtoWriter();
          w.varint(value);
          assert.deepEqual([...w.finish()], reference(value));
        }
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('writes any string as its UTF-8 bytes, short or long', () => {
    const encoded = (value: string): number[] => [...new TextEncoder().encode(value)];
    // Runs of a three-byte character cross the one-byte length at 43 UTF-16 units.
    const strings = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.integer({ min: 38, max: 48 }).map((n) => '€'.repeat(n)),
    );
    fc.assert(
      fc.property(strings, (value) => {
        const w = new ProtoWriter();
        w.string(2, value);
        const bytes = encoded(value);
        const length = new ProtoWriter();
        length.varint(bytes.length);
        assert.deepEqual([...w.finish()], [0x12, ...length.finish(), ...bytes]);
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  it('writes tags, strings and nested messages', () => {
    const w = new ProtoWriter();
    w.int(1, 150);
    w.string(2, 'testing');
    w.message(3, (m) => m.int(1, 150));
    assert.deepEqual(
      [...w.finish()],
      [0x08, 0x96, 0x01, 0x12, 0x07, ...Buffer.from('testing'), 0x1a, 0x03, 0x08, 0x96, 0x01],
    );
  });

  it('joins big payloads across chunks', () => {
    const w = new ProtoWriter();
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    for (let i = 0; i < 3; i++) w.bytes(1, big);
    const out = w.finish();
    assert.equal(out.length, 3 * (1 + 3 + big.length));
    assert.deepEqual(out.subarray(4, 4 + big.length), big);
  });
});

const UNARY = ['Relu', 'Sigmoid', 'Neg', 'Abs', 'Tanh', 'Identity'] as const;
const BINARY = ['Add', 'Mul', 'Sub'] as const;

/** A random small graph: a float input through a chain of element-wise nodes, and constants. */
const graphs = fc
  .record({
    dims: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    symbolicFirst: fc.boolean(),
    steps: fc.array(
      fc.oneof(
        fc.record({ op: fc.constantFrom(...UNARY) }),
        fc.record({ op: fc.constantFrom(...BINARY), seed: fc.integer() }),
        fc.record({
          op: fc.constant('LeakyRelu' as const),
          alpha: fc.float({ min: 0, max: 1, noNaN: true }),
        }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
    strings: fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 5 }),
    ints: fc.array(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), {
      minLength: 1,
      maxLength: 6,
    }),
    floats: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 6 }),
    int32s: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 6 }),
    metadata: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 10 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    ),
    irVersion: fc.constantFrom(7, 8),
  })
  .map((g) => {
    const size = g.dims.reduce((a, b) => a * b, 1);
    const shape = g.symbolicFirst ? ['N', ...g.dims.slice(1)] : g.dims;
    const nodes: OnnxNode[] = [];
    const initializers: (OnnxTensor & { name: string })[] = [];
    let x = 'x';
    g.steps.forEach((step, i) => {
      const out = `h${i}`;
      if (step.op === 'LeakyRelu') {
        nodes.push({
          opType: step.op,
          inputs: [x],
          outputs: [out],
          attributes: { alpha: { float: step.alpha } },
        });
      } else if ('seed' in step) {
        const name = `c${i}`;
        const data = Array.from({ length: size }, (_, k) =>
          Math.fround(((step.seed + k * 7919) % 1000) / 37),
        );
        // Broadcast from the last axes when the first is symbolic.
        const dims = g.symbolicFirst ? g.dims.slice(1) : g.dims;
        initializers.push({
          name,
          type: 'float',
          dims,
          data: data.slice(
            0,
            dims.reduce((a, b) => a * b, 1),
          ),
        });
        nodes.push({ opType: step.op, inputs: [x, name], outputs: [out] });
      } else nodes.push({ opType: step.op, inputs: [x], outputs: [out] });
      x = out;
    });
    nodes.push({ opType: 'Identity', inputs: [x], outputs: ['y'] });
    nodes.push({
      opType: 'Constant',
      inputs: [],
      outputs: ['s'],
      attributes: { value: { tensor: { type: 'string', dims: [g.strings.length], data: g.strings } } },
    });
    nodes.push({
      opType: 'Constant',
      inputs: [],
      outputs: ['k'],
      attributes: { value: { tensor: { type: 'int64', dims: [g.ints.length], data: g.ints } } },
    });
    nodes.push({
      opType: 'Transpose',
      inputs: ['k2d'],
      outputs: ['kt'],
      attributes: { perm: { ints: [1, 0] } },
    });
    nodes.push({ opType: 'Unsqueeze', inputs: ['k', 'axis0'], outputs: ['k2d'] });
    initializers.push(
      { name: 'axis0', type: 'int64', dims: [1], data: [0] },
      { name: 'f', type: 'float', dims: [g.floats.length], data: g.floats },
      { name: 'i32', type: 'int32', dims: [g.int32s.length], data: g.int32s },
    );
    const model: OnnxModel = {
      irVersion: g.irVersion,
      opsets: [{ domain: '', version: 13 }],
      producerName: 'polarity',
      producerVersion: 'test',
      graph: {
        name: 'random',
        // Topological order: Unsqueeze before Transpose.
        nodes: [...nodes.slice(0, -2), nodes[nodes.length - 1], nodes[nodes.length - 2]],
        inputs: [{ name: 'x', type: 'float', shape }],
        outputs: [
          { name: 'y', type: 'float', shape },
          { name: 's', type: 'string', shape: [g.strings.length] },
          { name: 'kt', type: 'int64', shape: [g.ints.length, 1] },
        ],
        initializers,
      },
      metadata: g.metadata,
    };
    return { model, g };
  });

describe('encodeOnnxModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polarity-onnx-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts as isPolarityOnnxStart recognises, and nothing else does', () => {
    const [{ model }] = fc.sample(graphs, { numRuns: 1, seed: 1 });
    const start = Buffer.from(encodeOnnxModel(model)).toString('utf8');
    assert.ok(isPolarityOnnxStart(start));
    assert.ok(!isPolarityOnnxStart('label,text\n'));
    assert.ok(
      !isPolarityOnnxStart(Buffer.from(encodeOnnxModel({ ...model, producerName: 'other' })).toString()),
    );
  });

  it(
    'writes random small graphs that Python onnx loads, fully checks and reads back as written',
    { skip: skipWithoutOnnxPython() },
    async () => {
      const samples = fc.sample(graphs, { numRuns: 40, seed: 17 });
      const files = samples.map(({ model }, i) => {
        const file = join(dir, `random-${i}.onnx`);
        writeFileSync(file, encodeOnnxModel(model));
        return file;
      });
      const read = await checkWithPythonOnnx(files);
      samples.forEach(({ model, g }, i) => {
        const back = read[i];
        assert.equal(back.irVersion, model.irVersion);
        assert.deepEqual(back.opsets, { '': 13 });
        assert.equal(back.producer, 'polarity');
        // Compared as entries: fast-check's dictionaries may have no prototype.
        const entries = (o: object) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        assert.deepEqual(entries(back.metadata), entries(g.metadata));
        assert.deepEqual(
          back.nodes.map((n) => n.op),
          model.graph.nodes.map((n) => n.opType),
        );
        for (const t of model.graph.initializers ?? []) {
          assert.deepEqual(back.initializers[t.name].dims, t.dims);
          assert.deepEqual(
            back.initializers[t.name].values,
            t.type === 'string'
              ? t.data
              : Array.from(t.data, (v) => (t.type === 'float' ? Math.fround(v) : v)),
          );
        }
        assert.deepEqual(
          back.inputs.map((v) => v.shape),
          [model.graph.inputs[0].shape],
        );
      });
    },
  );
});
