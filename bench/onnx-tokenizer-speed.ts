/**
 * What the exported graphs' tokenizer costs, and whether a simpler expression would cost less (issue
 * 17): onnxruntime's `com.microsoft` Tokenizer alone, with our separator expression and with simpler
 * ones (which would not tokenize as Polarity does: they are the floor any expression could reach), on
 * IMDB test reviews in batches of 64, shortest first, as `--runtime onnx` sends them. Each graph
 * returns only the tokens' shape, so that no string crosses into JavaScript; the best of three passes.
 *
 *   node --import tsx bench/onnx-tokenizer-speed.ts --data aclImdb_v1.labeled.tar.gz [--reviews 8000]
 *     [--out bench/results/onnx-tokenizer-speed.json]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadImdb } from '../src/data/imdb.js';
import { DEFAULT_ONNX_BATCH, shortestFirst } from '../src/models/onnx-classifier.js';
import { importOnnxRuntime, sessionOptions } from '../src/models/onnx-runtime.js';
import { APOSTROPHES, ONNX_SEPARATOR } from '../src/models/onnx-tokenizer.js';
import { encodeOnnxModel, type OnnxAttributeValue, type OnnxNode } from '../src/persist/onnx/onnx-proto.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    reviews: { type: 'string', default: '8000' },
    out: { type: 'string' },
  },
});
if (args.data === undefined) throw new Error('--data PATH (the IMDB archive) is required');

/** A way to split text: the Tokenizer's attributes, and whether StringNormalizer lower-cases first. */
interface Variant {
  readonly name: string;
  readonly split: Record<string, OnnxAttributeValue>;
  readonly lower: boolean;
}

const QUOTES = APOSTROPHES.map((a) => `\\x{${a.codePointAt(0)!.toString(16)}}`).join('');
const VARIANTS: Variant[] = [
  {
    name: 'lower-casing alone (a token expression that never matches)',
    split: { tokenexp: { string: '\\x{1}' } },
    lower: true,
  },
  {
    name: 'our separators (what the graphs run), after lower-casing',
    split: { separators: { strings: [ONNX_SEPARATOR] } },
    lower: true,
  },
  { name: 'our separators alone', split: { separators: { strings: [ONNX_SEPARATOR] } }, lower: false },
  {
    name: 'separators [^\\p{L}\\p{N}]+',
    split: { separators: { strings: ['[^\\p{L}\\p{N}]+'] } },
    lower: false,
  },
  {
    name: 'token expression [\\p{L}\\p{N}]+',
    split: { tokenexp: { string: '[\\p{L}\\p{N}]+' } },
    lower: false,
  },
  {
    name: 'token expression: words joined by apostrophes',
    split: {
      tokenexp: {
        string: `[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}]*(?:[${QUOTES}][\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M}]*)*`,
      },
    },
    lower: false,
  },
];

/** Text `[N]` in, the tokens' shape out: the tokenizer's work and nothing returned but two numbers. */
function tokenizerOnly({ split, lower }: Variant): Uint8Array {
  const nodes: OnnxNode[] = [];
  if (lower) {
    nodes.push({
      opType: 'StringNormalizer',
      inputs: ['text'],
      outputs: ['lowered'],
      attributes: {
        case_change_action: { string: 'LOWER' },
        is_case_sensitive: { int: 1 },
        locale: { string: 'C.UTF-8' },
      },
    });
  }
  nodes.push(
    {
      opType: 'Tokenizer',
      domain: 'com.microsoft',
      inputs: [lower ? 'lowered' : 'text'],
      outputs: ['tokens'],
      attributes: { mark: { int: 0 }, mincharnum: { int: 1 }, pad_value: { string: '#' }, ...split },
    },
    { opType: 'Shape', inputs: ['tokens'], outputs: ['shape'] },
  );
  return encodeOnnxModel({
    irVersion: 8,
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    producerName: 'polarity-bench',
    graph: {
      name: 'tokenizer_only',
      nodes,
      inputs: [{ name: 'text', type: 'string', shape: ['N'] }],
      outputs: [{ name: 'shape', type: 'int64', shape: [2] }],
    },
  });
}

const ort = await importOnnxRuntime();
const texts = (await loadImdb(args.data, { splits: ['test'] })).test
  .map((e) => e.text)
  .slice(0, Number(args.reviews));
const order = shortestFirst(texts);
const batches: string[][] = [];
for (let start = 0; start < texts.length; start += DEFAULT_ONNX_BATCH) {
  batches.push(Array.from(order.subarray(start, start + DEFAULT_ONNX_BATCH), (i) => texts[i]));
}

const rows: { variant: string; seconds: number; reviewsPerSecond: number }[] = [];
for (const variant of VARIANTS) {
  const session = await ort.InferenceSession.create(tokenizerOnly(variant), sessionOptions(1));
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    for (const batch of batches) await session.run({ text: new ort.Tensor('string', batch, [batch.length]) });
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  await session.release();
  rows.push({ variant: variant.name, seconds: best, reviewsPerSecond: texts.length / best });
  console.log(`${variant.name}: ${best.toFixed(3)} s for ${texts.length} reviews`);
}
if (args.out) {
  const result = {
    date: new Date().toISOString(),
    reviews: texts.length,
    batch: DEFAULT_ONNX_BATCH,
    threads: 1,
    rows,
  };
  await writeFile(args.out, JSON.stringify(result, null, 2) + '\n');
}
