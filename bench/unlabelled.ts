/**
 * What learning from unlabelled text adds on IMDB (issue 19): NB-weighted n-grams alone, document vectors
 * (PV-DBOW with cosine similarity over n-grams) alone, and the two joined in one logistic regression, each
 * with and without the 50,000 unlabelled reviews. Inductive: the texts scored (a validation slice of the
 * training split, or the test split) never take part in learning the vectors; theirs are folded in.
 *
 *   node --import tsx bench/unlabelled.ts --data aclImdb_v1.labeled.tar.gz --unlabelled aclImdb_v1.unsup.tar.gz \
 *     [--mode validation|test] [--dims 100] [--epochs 10] [--ngrams 2] [--threads 2] … [--out bench/results/unlabelled.json]
 *
 * `--self-train 0.2,0.4` adds self-training to the run with the unlabelled reviews: the joined model (first --c,
 * first --weights) scores the unlabelled reviews (folded in, as new texts are), the given fraction of them that
 * it is surest of (half from each predicted label) join the training rows with the predicted labels, at row
 * weight --self-weights, and the logistic regression is fitted again.
 *
 * `--mode validation` (the default) holds out 20% of the training split (seeded) and scores every
 * setting of the grid (--c, --weights) on it; `--mode test` trains on the whole training split and
 * scores the test split with the first value of each grid, which validation chose.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadImdb } from '../src/data/imdb.js';
import { loadUnlabelled } from '../src/data/unlabelled.js';
import { splitForValidation } from '../src/fit/validation-split.js';
import { FoldIn } from '../src/models/docvec/fold-in.js';
import { joinFeatures, nbRatios } from '../src/models/docvec/joined-features.js';
import { trainPvDbowParallel } from '../src/models/docvec/parallel-pv-dbow.js';
import { trainLogistic } from '../src/fit/logistic.js';
import { decisionValues } from '../src/fit/sparse-ops.js';
import { tokenize } from '../src/text/sequences/tokenize.js';
import { tokenizeInParallel } from '../src/text/features/parallel-tokenize.js';
import { selectRows, type SparseMatrix } from '../src/text/features/sparse.js';
import { Vectorizer } from '../src/text/features/vectorizer.js';
import { Random } from '../src/util/random.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    unlabelled: { type: 'string' },
    mode: { type: 'string', default: 'validation' },
    limit: { type: 'string' },
    'unsup-limit': { type: 'string' },
    dims: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '10' },
    lr: { type: 'string', default: '0.001' },
    alpha: { type: 'string', default: '6' },
    negatives: { type: 'string', default: '5' },
    sample: { type: 'string', default: '0' },
    ngrams: { type: 'string', default: '2' },
    'infer-epochs': { type: 'string' },
    c: { type: 'string', default: '0.1,0.3,1' },
    weights: { type: 'string', default: '1,3' },
    'with-unlabelled-only': { type: 'boolean', default: false },
    'self-train': { type: 'string' },
    'self-weights': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (args.data === undefined) throw new Error('--data PATH (the IMDB archive) is required');
const num = (s: string | undefined) => Number(s);
const list = (s: string) => s.split(',').map(Number);
const seed = num(args.seed);
const started = performance.now();
const clock = () => ((performance.now() - started) / 1000).toFixed(1);
const log = (line: string) => console.error(`[${clock()}s] ${line}`);

const testMode = args.mode === 'test';
const imdb = await loadImdb(args.data, { splits: testMode ? ['train', 'test'] : ['train'] });
let train = [...imdb.train];
if (args.limit) train = new Random(seed).shuffle(train).slice(0, num(args.limit));
let scored = imdb.test;
if (!testMode) ({ train, validation: scored } = splitForValidation(train, 0.2, new Random(seed)));
let unlabelled: string[] = [];
if (args.unlabelled) {
  unlabelled = (await loadUnlabelled(args.unlabelled)).texts;
  if (args['unsup-limit']) unlabelled = unlabelled.slice(0, num(args['unsup-limit']));
}
log(`${train.length} training, ${scored.length} scored (${args.mode}), ${unlabelled.length} unlabelled`);

const pv = {
  dims: num(args.dims),
  epochs: num(args.epochs),
  learningRate: num(args.lr),
  scale: num(args.alpha),
  negatives: num(args.negatives),
  subsample: num(args.sample),
  seed,
};
const y = Int8Array.from(train, (e) => (e.label === 'pos' ? 1 : -1));
const yScored = Int8Array.from(scored, (e) => (e.label === 'pos' ? 1 : -1));

interface Row {
  readonly unlabelled: number;
  readonly features: string;
  readonly c: number;
  readonly weight: number;
  readonly accuracy: number;
}
const rows: Row[] = [];
const timings: Record<string, number> = {};

const variants = unlabelled.length === 0 ? [false] : args['with-unlabelled-only'] ? [true] : [true, false];
for (const withUnsup of variants) {
  const t0 = performance.now();
  const texts = [...train.map((e) => e.text), ...(withUnsup ? unlabelled : [])];
  const corpus = await tokenizeInParallel(texts);
  const { vectorizer, matrix } = Vectorizer.fitTransform(corpus, { ngrams: num(args.ngrams), minDf: 2 });
  log(`${withUnsup ? 'with' : 'without'} unlabelled: ${vectorizer.size} n-grams over ${texts.length} texts`);
  const threads = num(args.threads);
  const { ngrams, documents } = await trainPvDbowParallel(matrix, pv, threads, (epoch) =>
    log(`epoch ${epoch}`),
  );
  const trainRows = selectRows(
    matrix,
    Int32Array.from({ length: train.length }, (_, i) => i),
  );
  const foldIn = new FoldIn(ngrams, { ...pv, epochs: num(args['infer-epochs'] ?? args.epochs) }, threads);
  const scoredCounts = vectorizer.transform(scored.map((e) => tokenize(e.text)));
  const scoredVectors = await foldIn.inferParallel(scoredCounts);
  const trainSeconds = (performance.now() - t0) / 1000;
  log(`vectors learnt and ${scored.length} folded in`);
  // The training documents' own vectors, and the same documents folded in as new ones would be.
  const jointVectors = documents.subarray(0, train.length * pv.dims);
  const refitVectors = await foldIn.inferParallel(trainRows);
  log('training documents folded in again');
  timings[withUnsup ? 'withUnlabelled' : 'labelledOnly'] = trainSeconds;
  const ratios = nbRatios(trainRows, y);
  const [firstC] = list(args.c);
  const [firstWeight] = list(args.weights);
  /** The joined model with the first C and weight, and its rows: self-training's teacher. */
  let teacher: { x: SparseMatrix; xs: SparseMatrix; solution: Solution } | undefined;
  const blocks = [
    { features: 'ngrams', ratios, weights: [0] },
    { features: 'vectors', ratios: null, weights: [1] },
    { features: 'joined', ratios, weights: list(args.weights) },
  ];
  for (const block of blocks) {
    for (const weight of block.weights) {
      for (const [kind, vectors] of [
        ['joint', jointVectors],
        ['refit', refitVectors],
      ] as const) {
        if (weight === 0 && kind === 'refit') continue;
        const x = joinFeatures(trainRows, vectors, {
          ratios: block.ratios,
          vectorWeight: weight,
          dims: pv.dims,
        });
        const xs = joinFeatures(scoredCounts, scoredVectors, {
          ratios: block.ratios,
          vectorWeight: weight,
          dims: pv.dims,
        });
        for (const c of list(args.c)) {
          const solution = fit(x, c);
          const accuracy = accuracyOf(solution, xs);
          if (block.features === 'joined' && kind === 'refit' && weight === firstWeight && c === firstC)
            teacher = { x, xs, solution };
          const row = {
            unlabelled: withUnsup ? unlabelled.length : 0,
            features: weight === 0 ? block.features : `${block.features}/${kind}`,
            c,
            weight,
            accuracy,
          };
          rows.push(row);
          log(JSON.stringify(row));
        }
      }
    }
  }
  if (withUnsup && args['self-train'] && teacher) {
    const unsupRows = selectRows(
      matrix,
      Int32Array.from({ length: unlabelled.length }, (_, i) => train.length + i),
    );
    const unsupVectors = await foldIn.inferParallel(unsupRows);
    log(`${unlabelled.length} unlabelled documents folded in`);
    const [c, weight] = [firstC, firstWeight];
    const { x, xs, solution } = teacher;
    const xu = joinFeatures(unsupRows, unsupVectors, { ratios, vectorWeight: weight, dims: pv.dims });
    const margins = decisionValues(solution.weights, solution.bias, xu);
    const byConfidence = (sign: number) =>
      Array.from(margins.keys())
        .filter((i) => margins[i] * sign > 0)
        .sort((a, b) => sign * (margins[b] - margins[a]));
    const positives = byConfidence(1);
    const negatives = byConfidence(-1);
    for (const fraction of list(args['self-train'])) {
      const half = Math.round((fraction * unlabelled.length) / 2);
      const chosen = [...positives.slice(0, half), ...negatives.slice(0, half)];
      const pseudo = selectRows(xu, chosen);
      const joined = stackRows(x, pseudo);
      const labels = Int8Array.from([...y, ...chosen.map((i) => (margins[i] > 0 ? 1 : -1))]);
      for (const rowWeight of list(args['self-weights'])) {
        const rowWeights = Float64Array.from({ length: joined.rows }, (_, i) => (i < x.rows ? 1 : rowWeight));
        const accuracy = accuracyOf(fit(joined, c, labels, rowWeights), xs);
        const row = {
          unlabelled: unlabelled.length,
          features: `joined/refit + ${chosen.length} self-trained (row weight ${rowWeight})`,
          c,
          weight,
          accuracy,
        };
        rows.push(row);
        log(JSON.stringify(row));
      }
    }
  }
}

/** `a`'s rows, then `b`'s (same columns). */
function stackRows(a: SparseMatrix, b: SparseMatrix): SparseMatrix {
  const nnz = a.indptr[a.rows];
  const indptr = new Int32Array(a.rows + b.rows + 1);
  indptr.set(a.indptr);
  for (let r = 1; r <= b.rows; r++) indptr[a.rows + r] = nnz + b.indptr[r];
  const indices = new Int32Array(nnz + b.indptr[b.rows]);
  indices.set(a.indices.subarray(0, nnz));
  indices.set(b.indices.subarray(0, b.indptr[b.rows]), nnz);
  const values = new Float32Array(indices.length);
  values.set(a.values.subarray(0, nnz));
  values.set(b.values.subarray(0, b.indptr[b.rows]), nnz);
  return { rows: a.rows + b.rows, cols: a.cols, indptr, indices, values };
}

type Solution = ReturnType<typeof trainLogistic>;

function fit(x: SparseMatrix, c: number, labels = y, rowWeights?: Float64Array): Solution {
  return trainLogistic(x, labels, { c, random: new Random(seed), rowWeights });
}

/** The share of the scored rows `solution` labels right. */
function accuracyOf(solution: Solution, xs: SparseMatrix): number {
  const decisions = decisionValues(solution.weights, solution.bias, xs);
  let right = 0;
  for (let i = 0; i < xs.rows; i++) if (decisions[i] > 0 === yScored[i] > 0) right++;
  return right / xs.rows;
}

console.log(`| unlabelled | features | C | vector weight | ${args.mode} accuracy |`);
console.log('| ---: | --- | ---: | ---: | ---: |');
for (const row of rows)
  console.log(
    `| ${row.unlabelled} | ${row.features} | ${row.c} | ${row.weight} | ${(100 * row.accuracy).toFixed(2)}% |`,
  );
console.log(`seconds to learn the vectors and fold in the scored texts: ${JSON.stringify(timings)}`);
if (args.out) {
  const result = {
    mode: args.mode,
    options: { ...pv, ngrams: num(args.ngrams), inferEpochs: num(args['infer-epochs'] ?? args.epochs) },
    timings,
    rows,
  };
  await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
}
