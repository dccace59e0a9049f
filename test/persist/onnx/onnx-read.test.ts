/**
 * readOnnxModelInfo: the producer and metadata of any model encodeOnnxModel writes, read back
 * past a graph of any size; and any other bytes either read as some message or refused with a
 * ProtobufReadError, never anything else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeOnnxModel, type OnnxModel } from '../../../src/persist/onnx/onnx-proto.js';
import { ProtobufReadError, readOnnxModelInfo } from '../../../src/persist/onnx/onnx-read.js';
import { ProtoWriter } from '../../../src/persist/onnx/protobuf.js';

/** A model with `constants` float values in its graph and the given metadata. */
function model(metadata: Record<string, string>, constants: number, producerName?: string): OnnxModel {
  return {
    irVersion: 8,
    opsets: [{ domain: '', version: 17 }],
    producerName,
    producerVersion: '1.2.3',
    graph: {
      name: 'g',
      nodes: [{ opType: 'Identity', inputs: ['c'], outputs: ['y'] }],
      inputs: [],
      outputs: [{ name: 'y', type: 'float', shape: [constants] }],
      initializers: [
        {
          name: 'c',
          type: 'float',
          dims: [constants],
          data: Float32Array.from({ length: constants }, (_, i) => i),
        },
      ],
    },
    metadata,
  };
}

describe('readOnnxModelInfo', () => {
  it('reads back the producer and the metadata that encodeOnnxModel wrote, past the graph', () => {
    // Keys such as `__proto__` are plain keys, in the reader's records as in these.
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', ''),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    const metadata = fc.dictionary(key, fc.string({ maxLength: 200 }), { maxKeys: 6 });
    fc.assert(
      fc.property(
        metadata,
        fc.integer({ min: 0, max: 5000 }),
        fc.option(fc.string({ maxLength: 20 })),
        (meta, n, producer) => {
          const info = readOnnxModelInfo(encodeOnnxModel(model(meta, n, producer ?? undefined)));
          assert.deepEqual({ ...info.metadata }, { ...meta });
          assert.equal(info.producer, producer ?? undefined);
        },
      ),
      { seed: 3, numRuns: 60 },
    );
  });

  it('steps over fields it does not read, of every wire type, negative int64s included', () => {
    const w = new ProtoWriter();
    w.int(5, -1); // model_version: a 10-byte varint above 2^53
    w.int(1, 8); // ir_version
    w.float(99, 1.5); // fixed 32 bits
    w.string(2, 'polarity');
    w.message(14, (entry) => {
      entry.int(3, -7); // an unknown field inside the entry
      entry.string(1, 'polarity.kind');
      entry.string(2, 'nbsvm');
    });
    const bytes = [...w.finish(), 0x09, ...new Array<number>(8).fill(0)]; // field 1, fixed 64 bits
    const info = readOnnxModelInfo(Uint8Array.from(bytes));
    assert.equal(info.producer, 'polarity');
    assert.deepEqual({ ...info.metadata }, { 'polarity.kind': 'nbsvm' });
  });

  it('refuses bytes cut short with a ProtobufReadError', () => {
    const bytes = encodeOnnxModel(
      model({ 'polarity.kind': 'nbsvm', 'polarity.labels': '["neg","pos"]' }, 100, 'polarity'),
    );
    for (const cut of [1, 3, 10, 50, bytes.length - 1]) {
      assert.throws(() => readOnnxModelInfo(bytes.subarray(0, cut)), ProtobufReadError, `cut at ${cut}`);
    }
  });

  it('reads any bytes as some message or refuses them with a ProtobufReadError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          readOnnxModelInfo(bytes);
        } catch (error) {
          assert.ok(error instanceof ProtobufReadError, String(error));
        }
      }),
      { seed: 4, numRuns: 2000 },
    );
    // Text is not an ONNX model: a CSV's first byte is a field of wire type 4 or a cut-short varint.
    assert.throws(
      () => readOnnxModelInfo(new TextEncoder().encode('label,text\npos,great film\n')),
      ProtobufReadError,
    );
  });
});
