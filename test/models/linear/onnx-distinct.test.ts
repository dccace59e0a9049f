/**
 * The distinct keys of the sparse linear graph (onnx-distinct.ts), run in onnxruntime-node: for any
 * list of keys, the graph gives each distinct key once with the number of times it occurs, whether
 * it settled in the hash table or lost its slot to another key and was sorted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { OnnxGraphBuilder } from '../../../src/models/onnx-graph.js';
import { distinctKeys } from '../../../src/models/linear/onnx-distinct.js';
import { encodeOnnxModel } from '../../../src/persist/onnx/onnx-proto.js';
import { onnxRuntime } from '../../helpers/onnx.js';

type Ort = NonNullable<Awaited<ReturnType<typeof onnxRuntime>>>;
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** A session of the graph from `keys` `[L]` to `distinct` and, `withCounts`, `counts`. */
async function distinctSession(ort: Ort, withCounts = true): Promise<Session> {
  const graph = OnnxGraphBuilder.create();
  const { distinct, counts } = distinctKeys(graph, 'keys', withCounts);
  assert.equal(counts === '', !withCounts);
  const outputs = withCounts ? [distinct, counts] : [distinct];
  const bytes = encodeOnnxModel({
    irVersion: 8,
    opsets: [{ domain: '', version: 17 }],
    graph: {
      name: 'distinct_keys',
      nodes: [...graph.nodes],
      inputs: [{ name: 'keys', type: 'int64', shape: ['L'] }],
      outputs: outputs.map((name) => ({ name, type: 'int64' as const, shape: ['D'] })),
      initializers: [...graph.initializers],
    },
  });
  return ort.InferenceSession.create(bytes);
}

/** Each distinct key with its count, by key, as the graph gives them. */
async function runDistinct(
  ort: Ort,
  session: Session,
  keys: readonly number[],
): Promise<Map<number, number>> {
  const input = new ort.Tensor('int64', BigInt64Array.from(keys, BigInt), [keys.length]);
  const out = await session.run({ keys: input });
  const [distinctName, countsName] = session.outputNames;
  const distinct = Array.from(out[distinctName].data as BigInt64Array, Number);
  const counts = Array.from(out[countsName].data as BigInt64Array, Number);
  assert.equal(counts.length, distinct.length);
  const got = new Map<number, number>();
  distinct.forEach((key, i) => {
    assert.ok(!got.has(key), `key ${key} given twice`);
    got.set(key, counts[i]);
  });
  return got;
}

function countsOf(keys: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Keys that share a slot of the graph's table of 4L + 1: `base + k × (4L + 1)`. */
function colliding(length: number, base: number, spread: number): number[] {
  return Array.from({ length }, (_, i) => base + (i % spread) * (4 * length + 1));
}

describe('ONNX distinct keys', () => {
  it('gives every distinct key once with its count, collisions and repeats included', async (t) => {
    const ort = await onnxRuntime();
    if (ort === null) return t.skip('onnxruntime-node is not installed');
    const session = await distinctSession(ort);
    const cases = [
      [],
      [7],
      [5, 5, 5],
      colliding(6, 3, 3), // three keys in one slot, each twice
      colliding(9, 0, 9), // nine keys in one slot
      [0, 21, 42, 0, 21, 1, 1], // 0, 21 and 42 share slot 0 of 29
    ];
    for (const keys of cases)
      assert.deepEqual(await runDistinct(ort, session, keys), countsOf(keys), `keys ${keys}`);
    await session.release();
  });

  it('agrees with a count in JavaScript for any keys (property)', async (t) => {
    const ort = await onnxRuntime();
    if (ort === null) return t.skip('onnxruntime-node is not installed');
    const session = await distinctSession(ort);
    // Small key ranges make repeats and shared slots common; large ones exercise int64 keys.
    const keys = fc.oneof(
      fc.array(fc.nat({ max: 40 }), { maxLength: 60 }),
      fc.array(fc.nat({ max: 2 ** 40 }), { maxLength: 60 }),
      fc
        .array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 30 })
        .map((base) => base.map((b, i) => b + (i % 4) * (4 * base.length + 1))),
    );
    await fc.assert(
      fc.asyncProperty(keys, async (list) => {
        assert.deepEqual(await runDistinct(ort, session, list), countsOf(list));
      }),
      { seed: 17, numRuns: 200 },
    );
    await session.release();
  });

  it('without counts gives the distinct keys alone', async (t) => {
    const ort = await onnxRuntime();
    if (ort === null) return t.skip('onnxruntime-node is not installed');
    const session = await distinctSession(ort, false);
    const keys = colliding(8, 2, 4);
    const out = await session.run({
      keys: new ort.Tensor('int64', BigInt64Array.from(keys, BigInt), [keys.length]),
    });
    const got = Array.from(out[session.outputNames[0]].data as BigInt64Array, Number).sort((a, b) => a - b);
    assert.deepEqual(
      got,
      [...new Set(keys)].sort((a, b) => a - b),
    );
    await session.release();
  });
});
