/**
 * The networks' ONNX text front end alone (no network, no TF.js): for seeded random batches of
 * texts and random encoder options (maxLen, padding and truncating sides, start id or none,
 * unknown words as OOV or dropped, skipped top words), the graph's ids in onnxruntime-node equal
 * `SequenceEncoder.encode`'s, the cropped ids the mlp and cnn-global get are those rows without the
 * positions that are padding in every row (but a margin), and the left-aligned ids and lengths a masking network gets are the
 * kept ids of each text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { textToIds, type Crop, type IdsLayout } from '../../../src/models/neural/onnx/front-end.js';
import { OnnxGraphBuilder } from '../../../src/models/onnx-graph.js';
import { encodeOnnxModel } from '../../../src/persist/onnx/onnx-proto.js';
import { SequenceEncoder, type SequenceOptions } from '../../../src/text/sequences/encoder.js';
import { tokenize } from '../../../src/text/sequences/tokenize.js';
import type { VocabularyOptions } from '../../../src/text/sequences/vocabulary.js';
import { onnxRuntime } from '../../helpers/onnx.js';

/** Training words, most frequent first; with numWords 9 the last two have no id of their own. */
const CORPUS = ['good', 'bad', "it's", 'film', 'café', 'the', 'a', 'plot', 'zebra'].flatMap((w, i) =>
  Array.from({ length: 20 - i }, () => w),
);
/** What texts are made of: known and unknown words, look-alike apostrophes, case, tags, punctuation. */
const PIECES = [
  'good',
  'BAD',
  'It’s',
  "it's",
  'it`s',
  'film',
  'café',
  'the',
  'zebra',
  'quokka',
  '<br />',
  '!!',
  '',
  '42',
];

const text = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 16 })
  .chain((pieces) => fc.constantFrom(pieces.join(' '), pieces.join(', '), pieces.join('')));

const options = fc.record({
  maxLen: fc.integer({ min: 1, max: 10 }),
  padding: fc.constantFrom('pre' as const, 'post' as const),
  truncating: fc.constantFrom('pre' as const, 'post' as const),
  startChar: fc.constantFrom(1, null),
  unknown: fc.constantFrom('oov' as const, 'skip' as const),
  skipTop: fc.integer({ min: 0, max: 2 }),
  margin: fc.integer({ min: 0, max: 3 }),
  step: fc.integer({ min: 1, max: 3 }),
});

type Ort = NonNullable<Awaited<ReturnType<typeof onnxRuntime>>>;

/** The front end as a graph of its own: text in, ids (and lengths when left-aligned) out. */
async function frontEndSession(ort: Ort, encoder: SequenceEncoder, layout: IdsLayout, crop?: Crop) {
  const graph = OnnxGraphBuilder.create();
  const front = textToIds(graph, 'text', encoder.vocabulary, encoder.config.sequence, layout, crop);
  const outputs = [front.ids, ...(front.lengths === undefined ? [] : [front.lengths])];
  const bytes = encodeOnnxModel({
    irVersion: 8,
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    graph: {
      name: 'front_end',
      nodes: [...graph.nodes],
      inputs: [{ name: 'text', type: 'string', shape: ['N'] }],
      outputs: outputs.map((name) => ({ name, type: 'int64' as const, shape: ['N', 'W'] })),
      initializers: [...graph.initializers],
    },
  });
  const session = await ort.InferenceSession.create(bytes);
  return async (texts: string[]) => {
    const out = await session.run({ text: new ort.Tensor('string', texts, [texts.length]) });
    const ids = out[front.ids];
    return {
      width: ids.dims[1],
      ids: Array.from(ids.data as BigInt64Array, Number),
      lengths:
        front.lengths === undefined ? [] : Array.from(out[front.lengths].data as BigInt64Array, Number),
    };
  };
}

describe("the networks' ONNX front end", () => {
  it('gives the ids SequenceEncoder gives, laid out as Polarity pads, cropped, or left-aligned with lengths', async (t) => {
    const ort = await onnxRuntime();
    if (ort === null) return t.skip('onnxruntime-node is not installed');
    await fc.assert(
      fc.asyncProperty(options, fc.array(text, { minLength: 1, maxLength: 6 }), async (o, texts) => {
        const sequence: SequenceOptions = { maxLen: o.maxLen, padding: o.padding, truncating: o.truncating };
        const vocabulary: VocabularyOptions = {
          numWords: 9,
          startChar: o.startChar,
          unknown: o.unknown,
          skipTop: o.skipTop,
        };
        const encoder = SequenceEncoder.fit([CORPUS], vocabulary, sequence);
        const padded = await (await frontEndSession(ort, encoder, 'padded'))(texts);
        const want = encoder.encode(texts);
        assert.equal(padded.width, o.maxLen);
        assert.deepEqual(padded.ids, Array.from(want.data));

        const kept = texts.map((t) => {
          const ids = encoder.vocabulary.encode(tokenize(t));
          return o.truncating === 'pre'
            ? ids.slice(Math.max(0, ids.length - o.maxLen))
            : ids.slice(0, o.maxLen);
        });
        // Cut off: whole steps of the positions that are padding in every row, but the margin.
        const spare = Math.max(0, o.maxLen - Math.max(1, ...kept.map((k) => k.length)) - o.margin);
        const cropWidth = o.maxLen - Math.floor(spare / o.step) * o.step;
        const cropped = await (
          await frontEndSession(ort, encoder, 'cropped', { margin: o.margin, step: o.step })
        )(texts);
        assert.equal(cropped.width, cropWidth);
        const from = o.padding === 'pre' ? o.maxLen - cropWidth : 0;
        const croppedRows = texts.flatMap((_, row) =>
          Array.from(want.data.subarray(row * o.maxLen + from, row * o.maxLen + from + cropWidth)),
        );
        assert.deepEqual(cropped.ids, croppedRows);

        const left = await (await frontEndSession(ort, encoder, 'left-aligned'))(texts);
        assert.deepEqual(
          left.lengths,
          kept.map((k) => k.length),
        );
        assert.equal(left.width, Math.max(1, ...kept.map((k) => k.length)));
        const rows = kept.flatMap((k) => [...k, ...Array.from({ length: left.width - k.length }, () => 0)]);
        assert.deepEqual(left.ids, rows);
      }),
      { seed: 17, numRuns: 80 },
    );
  });
});
