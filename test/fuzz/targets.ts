/**
 * What is fuzzed: every data reader (CSV, TSV, JSON Lines, fastText, a folder per label, the IMDB
 * archive, prediction input, word vectors), the tokenizer, the model-directory loader and the service's
 * request schema. Each target turns a generated input into files (or a request) and reads it the way the
 * commands do.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { loadDataset } from '../../src/data/load-dataset.js';
import { loadImdb } from '../../src/data/imdb.js';
import { streamDataset } from '../../src/data/stream-dataset.js';
import { INPUT_FORMATS, readTextInputs } from '../../src/data/text-input.js';
import { PolarityError } from '../../src/errors.js';
import type { Classifier } from '../../src/models/classifier.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import { loadClassifier } from '../../src/models/load.js';
import { readManifest, readModelFile } from '../../src/persist/model-dir.js';
import { createService } from '../../src/serve/server.js';
import { tokenize } from '../../src/text/sequences/tokenize.js';
import { readWordVectors, WORD_VECTOR_FORMATS } from '../../src/text/embeddings/word-vectors.js';
import { writeTarball } from '../data/archive-helpers.js';
import { toyDataset } from '../helpers/toy.js';
import type { FuzzTarget } from './harness.js';
import { applyEdits, byteEdits, bytesLike, recordLimit, type Edit } from './inputs.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- targets of different inputs in one list
export type AnyTarget = FuzzTarget<any>;

async function drain(items: AsyncIterable<unknown>): Promise<void> {
  for await (const item of items) void item;
}

/** How a data file is read: the options the commands pass, drawn at random. */
const readOptions = fc.record({
  maxRecordBytes: recordLimit,
  onError: fc.constantFrom('fail' as const, 'skip' as const),
  testSplit: fc.option(fc.constantFrom(0.2, 0.5), { nil: undefined }),
  stream: fc.boolean(),
});
type ReadOptions = typeof readOptions extends fc.Arbitrary<infer T> ? T : never;

/** Reads `path` as loadDataset does, or in passes as `--stream` does (every batch of both splits). */
async function readData(
  path: string,
  format: 'csv' | 'tsv' | 'jsonl' | 'fasttext' | 'folder',
  options: ReadOptions,
  extra = {},
) {
  const { stream, ...load } = options;
  if (!stream) {
    await loadDataset(path, { format, ...load, ...extra });
    return;
  }
  const streamed = await streamDataset(path, { format, ...load, ...extra });
  await drain(streamed.batches('train', 7));
  await drain(streamed.batches('test', 7));
}

function fileTarget(
  name: string,
  format: 'csv' | 'tsv' | 'jsonl' | 'fasttext',
  file: string,
  samples: readonly string[],
  extra: fc.Arbitrary<Record<string, string | boolean | undefined>> = fc.constant({}),
): AnyTarget {
  return {
    name,
    namesFile: true,
    input: fc.record({ bytes: bytesLike(samples), options: readOptions, extra }),
    prepare: (input: { bytes: Buffer }, dir) => writeFile(join(dir, file), input.bytes),
    run: (input: { options: ReadOptions; extra: Record<string, string | boolean | undefined> }, dir) =>
      readData(join(dir, file), format, input.options, input.extra),
  };
}

const CSV_SAMPLES = [
  'text,label\ngood fine film,pos\nbad dull film,neg\n"a ""quoted"", text",pos\n"two\nlines",neg\n',
  'id,review,stars\n1,"great, truly",9\n2,awful,1\n3,"fine\r\nfilm",7\r\n',
  '\uFEFFlabel,text\r\npos,nice\r\nneg,"bad"\r\n',
];
const TSV_SAMPLES = ['text\tlabel\ngood fine film\tpos\nbad dull film\tneg\n"quoted\ttab"\tpos\n'];
const JSONL_SAMPLES = [
  '{"text":"good fine film","label":"pos"}\n{"text":"bad film","label":"neg"}\n\n{"text":"x","label":["pos","neg"]}\n',
  '{"review":{"body":"nested"},"meta":{"stars":8},"text":"t","label":3}\n{"text":"é 😀","label":true}\n',
];
const FASTTEXT_SAMPLES = [
  '__label__pos good fine film\n__label__neg bad dull film\n\n__label__pos __label__x both\n',
];

const csvColumns = fc.oneof(
  fc.constant({}),
  fc.constant({ header: false, textColumn: '1', labelColumn: '2' }),
  fc.constant({ textColumn: 'review', labelColumn: 'stars' }),
  fc.constant({ textColumn: '2', labelColumn: '1' }),
);

/** A folder per label, with entries that are files, folders, hidden or misplaced. */
function folderTarget(): AnyTarget {
  const entry = fc.record({
    path: fc.constantFrom(
      'pos/a.txt',
      'neg/b.txt',
      'pos/.DS_Store',
      'README',
      'train/pos/c.txt',
      'test/neg/d.txt',
      'x y/e',
      'neg/sub/f.txt',
      'train/g.txt',
    ),
    bytes: bytesLike(['good fine film', 'bad film', '\uFEFFwith a mark', '']),
  });
  return {
    name: 'folder per label',
    namesFile: true,
    input: fc.record({ entries: fc.array(entry, { maxLength: 8 }), options: readOptions }),
    async prepare(input: { entries: { path: string; bytes: Buffer }[] }, dir) {
      await mkdir(join(dir, 'data'));
      for (const { path, bytes } of input.entries) {
        const file = join(dir, 'data', path);
        await mkdir(dirname(file), { recursive: true });
        // Two entries may want a path as a file and a folder: the first wins, as on a real disk.
        await writeFile(file, bytes).catch(() => undefined);
      }
    },
    run: (input: { options: ReadOptions }, dir) => readData(join(dir, 'data'), 'folder', input.options),
  };
}

/** The IMDB archive: valid tarballs (gzip and plain) with edits, read as `--data x.tar.gz` is. */
async function imdbTarget(): Promise<AnyTarget> {
  const scratch = join(tmpdir(), `polarity-fuzz-imdb-${process.pid}`);
  await mkdir(scratch, { recursive: true });
  const entries = [
    { name: 'aclImdb/train/pos/1_8.txt', content: 'good fine film' },
    { name: 'aclImdb/train/neg/2_2.txt', content: 'bad dull film' },
    { name: 'aclImdb/test/pos/3_9.txt', content: 'great' },
    { name: 'aclImdb/test/neg/4_1.txt', content: 'awful' },
    { name: 'aclImdb/imdb.vocab', content: 'film\n' },
  ];
  const gzip = await readFile(await writeTarball(join(scratch, 'a.tar.gz'), entries));
  const plain = await readFile(await writeTarball(join(scratch, 'a.tar'), entries, false));
  await rm(scratch, { recursive: true, force: true });
  return {
    name: 'imdb archive',
    namesFile: true,
    input: fc.record({ bytes: bytesLike([gzip, plain]), maxRecordBytes: recordLimit }),
    prepare: (input: { bytes: Buffer }, dir) => writeFile(join(dir, 'imdb.tar.gz'), input.bytes),
    run: async (input: { maxRecordBytes?: number }, dir) => {
      await loadImdb(join(dir, 'imdb.tar.gz'), { maxRecordBytes: input.maxRecordBytes });
    },
  };
}

function textInputTarget(): AnyTarget {
  return {
    name: 'prediction input',
    namesFile: true,
    input: fc.record({
      bytes: bytesLike([
        'good film\nbad film\n\nfine\n',
        '{"text":"a"}\n{"text":"b","id":1}\n',
        'id,text\n1,"a, b"\n2,c\n',
      ]),
      file: fc.constantFrom('in.txt', 'in.csv', 'in.jsonl'),
      format: fc.option(fc.constantFrom(...INPUT_FORMATS), { nil: undefined }),
      textField: fc.constantFrom('text', 'body'),
      maxRecordBytes: recordLimit,
    }),
    prepare: (input: { bytes: Buffer; file: string }, dir) => writeFile(join(dir, input.file), input.bytes),
    run: (
      input: {
        file: string;
        format?: (typeof INPUT_FORMATS)[number];
        textField: string;
        maxRecordBytes?: number;
      },
      dir,
    ) => drain(readTextInputs(join(dir, input.file), input)),
  };
}

function wordVectorTarget(): AnyTarget {
  const binary = Buffer.concat([
    Buffer.from('2 3\nthe '),
    Buffer.from(new Float32Array([0.1, 0.2, 0.3]).buffer),
    Buffer.from('\nfilm '),
    Buffer.from(new Float32Array([1, 2, 3]).buffer),
    Buffer.from('\n'),
  ]);
  return {
    name: 'word vectors',
    namesFile: true,
    input: fc.record({
      bytes: bytesLike([
        'the 0.1 0.2 0.3\nfilm 1 2 3\n. . . 4 5 6\n',
        '2 3\nthe 0.1 0.2 0.3\nfilm 1 -2e3 3 \n',
        binary,
      ]),
      file: fc.constantFrom('vectors.txt', 'vectors.bin', 'vectors.vec'),
      format: fc.option(fc.constantFrom(...WORD_VECTOR_FORMATS), { nil: undefined }),
      maxRecordBytes: recordLimit,
    }),
    prepare: (input: { bytes: Buffer; file: string }, dir) => writeFile(join(dir, input.file), input.bytes),
    run: async (
      input: { file: string; format?: (typeof WORD_VECTOR_FORMATS)[number]; maxRecordBytes?: number },
      dir,
    ) => {
      await readWordVectors(join(dir, input.file), input);
    },
  };
}

function tokenizerTarget(): AnyTarget {
  const html = fc.constantFrom(
    '<br />',
    '<b>',
    '</p>',
    '&amp;',
    "don't",
    'U.S.A.',
    '—',
    '\u0301',
    '😀',
    'ǅ',
    'İ',
  );
  return {
    name: 'tokenizer',
    namesFile: false,
    input: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 500 }),
      fc
        .array(fc.oneof(html, fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 60 })
        .map((parts) => parts.join('')),
    ),
    run: async (text: string) => {
      const tokens = tokenize(text);
      if (!Array.isArray(tokens) || tokens.some((token) => typeof token !== 'string' || token === '')) {
        throw new Error(`tokenize gave ${JSON.stringify(tokens)}`);
      }
    },
  };
}

/** Every file of a folder, relative to it. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Every path to a value inside a JSON document. */
function jsonPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((key) => jsonPaths((value as Record<string | number, unknown>)[key], [...prefix, key])),
  ];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
}

/** One change to a copy of the model: new bytes, edited bytes, the file gone, or a JSON value replaced. */
interface ModelMutation {
  readonly kind: 'bytes' | 'edit' | 'delete' | 'json';
  /** Index of the file, in the base model's sorted list. */
  readonly file: number;
  readonly bytes?: Buffer;
  readonly edits?: Edit[];
  /** Index of the JSON value replaced, among every path of the document. */
  readonly path?: number;
  readonly value?: unknown;
}

/** Mutated copies of a small saved nb model, loaded and asked for a prediction. */
function modelDirTarget(base: string, files: readonly string[]): AnyTarget {
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('bytes' as const),
      file: fc.nat(files.length - 1),
      bytes: bytesLike(['']),
    }),
    fc.record({ kind: fc.constant('edit' as const), file: fc.nat(files.length - 1), edits: byteEdits }),
    fc.record({ kind: fc.constant('delete' as const), file: fc.nat(files.length - 1) }),
    fc.record({
      kind: fc.constant('json' as const),
      file: fc.nat(files.length - 1),
      path: fc.nat(),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        // Values that mean something in a manifest: other kinds (other loaders), extreme sizes.
        fc.constantFrom('mlp', 'cnn', 'bilstm', 'fasttext', 'ensemble', 'linear', 'nbsvm', 'little', 'big'),
        fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, 1e308, 0.5, null, [], {}),
      ),
    }),
  );
  return {
    name: 'model directory',
    namesFile: true,
    input: fc.array(mutation, { minLength: 1, maxLength: 3 }),
    async prepare(mutations: ModelMutation[], dir) {
      const model = join(dir, 'model');
      await cp(base, model, { recursive: true });
      for (const m of mutations) {
        const file = join(model, files[m.file]);
        const data = await readFile(file).catch(() => undefined);
        if (data === undefined) continue;
        if (m.kind === 'delete') await rm(file);
        else if (m.kind === 'bytes') await writeFile(file, m.bytes!);
        else if (m.kind === 'edit') await writeFile(file, applyEdits(data, m.edits!));
        else {
          let parsed: unknown;
          try {
            parsed = JSON.parse(data.toString('utf8'));
          } catch {
            continue;
          }
          const paths = jsonPaths(parsed);
          await writeFile(file, JSON.stringify(setAt(parsed, paths[m.path! % paths.length], m.value)));
        }
      }
    },
    async run(_input, dir) {
      const model = join(dir, 'model');
      const manifest = await readManifest(model);
      for (const name of Object.keys(manifest.files)) await readModelFile(model, manifest, name);
      const classifier = await loadClassifier(model);
      try {
        await classifier.predict(['a good fine film', '', 'bad']);
      } finally {
        classifier.dispose();
      }
    },
  };
}

/** Raised for a request the service refused with a 4xx: a typed refusal, not a crash. */
class Refused extends PolarityError {}

/** Random and near-valid bodies posted to the service's prediction and explanation routes. */
function serviceTarget(base: string): AnyTarget {
  let app: FastifyInstance | undefined;
  let classifier: Classifier | undefined;
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constant('a good fine film'),
  );
  const shaped = fc.oneof(
    fc.record({ texts: fc.array(text, { minLength: 1, maxLength: 5 }) }),
    fc.record({ texts: fc.array(text, { minLength: 1, maxLength: 5 }) }),
    fc.record({ text }),
    fc.record({ text }),
    fc.record({ texts: fc.array(text, { maxLength: 5 }) }),
    fc.record({ texts: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record(
      { text: fc.jsonValue({ maxDepth: 2 }), extra: fc.jsonValue({ maxDepth: 1 }) },
      { requiredKeys: [] },
    ),
    fc.jsonValue({ maxDepth: 3 }),
  );
  // Mostly bodies of the right shape, so that the schema and the model are reached, not only the parser.
  const payload = fc.oneof(
    { weight: 4, arbitrary: shaped.map((body) => JSON.stringify(body) ?? '') },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          shaped,
          fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        )
        .map(([body, flips]) => {
          const bytes = Buffer.from(JSON.stringify(body) ?? '');
          for (const { at, byte } of flips) if (bytes.length > 0) bytes[at % bytes.length] = byte;
          return bytes;
        }),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  );
  return {
    name: 'service requests',
    namesFile: false,
    input: fc.record({
      url: fc.constantFrom(
        '/v1/predict',
        '/v1/explain',
        '/v1/predict',
        '/v1/explain',
        '/v1/predict?x=1',
        '/v1/explain/',
      ),
      method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'PUT'),
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        undefined,
      ),
      payload,
    }),
    async setup() {
      classifier = await loadClassifier(base);
      app = await createService(classifier, await readManifest(base));
      await app.ready();
    },
    async teardown() {
      await app?.close();
      classifier?.dispose();
    },
    async run(input: {
      url: string;
      method: 'POST' | 'GET' | 'PUT';
      contentType?: string;
      payload: string | Buffer;
    }) {
      const response = await app!.inject({
        method: input.method,
        url: input.url,
        headers: input.contentType === undefined ? {} : { 'content-type': input.contentType },
        ...(input.method === 'GET' ? {} : { payload: input.payload }),
      });
      if (response.statusCode >= 500)
        throw new Error(`HTTP ${response.statusCode}: ${response.body.slice(0, 300)}`);
      if (response.statusCode >= 400) {
        // A refusal must still be a JSON answer that says what was wrong.
        const body = response.json() as { message?: unknown; error?: unknown };
        if (typeof (body.message ?? body.error) !== 'string')
          throw new Error(`HTTP ${response.statusCode} without a message: ${response.body}`);
        throw new Refused(`HTTP ${response.statusCode}: ${String(body.message ?? body.error)}`);
      }
      response.json();
    },
  };
}

/** A small nb model saved to a fresh folder: the base of the model and service targets. */
async function saveSmallModel(): Promise<string> {
  const dir = join(tmpdir(), `polarity-fuzz-model-${process.pid}-${Date.now()}`);
  const classifier = await new LinearTrainer({ model: 'nb' }).fit(toyDataset(40), { seed: 1 });
  await classifier.save(dir);
  classifier.dispose();
  return dir;
}

/** Every target, with what they share built; `cleanup` removes it. */
export async function fuzzTargets(): Promise<{
  targets: AnyTarget[];
  fixtures: string[];
  cleanup: () => Promise<void>;
}> {
  const model = await saveSmallModel();
  const targets: AnyTarget[] = [
    fileTarget('csv', 'csv', 'data.csv', CSV_SAMPLES, csvColumns),
    fileTarget('tsv', 'tsv', 'data.tsv', TSV_SAMPLES),
    fileTarget(
      'jsonl',
      'jsonl',
      'data.jsonl',
      JSONL_SAMPLES,
      fc.constantFrom({}, { textField: 'review.body', labelField: 'meta.stars' }),
    ),
    fileTarget('fasttext', 'fasttext', 'data.ft', FASTTEXT_SAMPLES),
    folderTarget(),
    await imdbTarget(),
    textInputTarget(),
    wordVectorTarget(),
    tokenizerTarget(),
    modelDirTarget(model, await filesOf(model)),
    serviceTarget(model),
  ];
  return { targets, fixtures: [model], cleanup: () => rm(model, { recursive: true, force: true }) };
}
