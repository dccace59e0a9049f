/**
 * The joined model's choices (issue 19) compared by 5-fold cross-validation over the whole training split,
 * a finer instrument than bench/unlabelled.ts's single slice of 5,000: every one of the 25,000 training
 * reviews is scored once, by a model whose NB ratios and logistic regression learnt from the other four
 * folds' labels, and two settings are compared review by review (how many each gets right that the
 * other gets wrong).
 *
 *   node --import tsx bench/docvec-cv.ts --data aclImdb_v1.labeled.tar.gz --unlabelled aclImdb_v1.unsup.tar.gz \
 *     [--no-punctuation] [--dims 100] [--epochs 10] [--seed 1] [--threads 2] [--c 0.1] [--weights 5,3,0,-1] \
 *     [--cache FILE] [--beside FILE] [--out FILE]
 *
 * The document vectors are learnt once, without labels, over the training and unlabelled texts (the
 * held-out folds' texts included, as `train --unlabelled` would read unlabelled texts), then every training
 * review is folded in again as the model folds in new texts. No test review is read.
 *
 * `--marks CHARS` keeps only those marks as tokens (the first comparison, made with the 11 marks
 * `!?.,;:()"*-`), rather than every punctuation mark and symbol as `--punctuation` does. With `--weights 0`
 * alone no vectors are learnt: the NB-weighted n-grams alone are compared.
 *
 * `--weights`: vector weights of the joined rows; 0 is the NB-weighted n-grams alone, a negative weight
 * the vectors alone. `--cache FILE` keeps the folded-in vectors (Float32, little-endian on this machine)
 * and reads them back on a later run of the same settings; `--beside FILE` puts a second run's cached
 * vectors (another seed) beside them, each unit length, as one row twice as wide.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadImdb } from '../src/data/imdb.js';
import { loadUnlabelled } from '../src/data/unlabelled.js';
import { trainLogistic } from '../src/fit/logistic.js';
import { decisionValues } from '../src/fit/sparse-ops.js';
import { foldInFor, pvDbowOptionsFor } from '../src/models/docvec/docvec-classifier.js';
import { DOCVEC_DEFAULTS } from '../src/models/docvec/docvec-options.js';
import { joinFeatures, nbRatios } from '../src/models/docvec/joined-features.js';
import { trainPvDbowParallel } from '../src/models/docvec/parallel-pv-dbow.js';
import { tokenizeInParallel } from '../src/text/features/parallel-tokenize.js';
import { tokenizeWithPunctuation } from '../src/text/sequences/tokenize.js';
import { selectRows } from '../src/text/features/sparse.js';
import { Vectorizer } from '../src/text/features/vectorizer.js';
import { Random } from '../src/util/random.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    unlabelled: { type: 'string' },
    'no-punctuation': { type: 'boolean', default: false },
    marks: { type: 'string' },
    dims: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '10' },
    ngrams: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    c: { type: 'string', default: '0.1' },
    weights: { type: 'string', default: '5,3,0,-1' },
    folds: { type: 'string', default: '5' },
    cache: { type: 'string' },
    beside: { type: 'string' },
    out: { type: 'string' },
  },
});
if (args.data === undefined) throw new Error('--data PATH (the IMDB archive) is required');
const started = performance.now();
const log = (line: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${line}`);
const list = (s: string) => s.split(',').map(Number);
const seed = Number(args.seed);
const threads = Number(args.threads);
const punctuation = !args['no-punctuation'];

const imdb = await loadImdb(args.data, { splits: ['train'] });
const train = new Random(1).shuffle([...imdb.train]);
const y = Int8Array.from(train, (e) => (e.label === 'pos' ? 1 : -1));
const unlabelled = args.unlabelled ? (await loadUnlabelled(args.unlabelled)).texts : [];
const texts = [...train.map((e) => e.text), ...unlabelled];
const marks = args.marks === undefined ? undefined : new Set(args.marks);
const isWord = /[\p{L}\p{N}]/u;
const corpus =
  marks === undefined
    ? await tokenizeInParallel(texts, { punctuation })
    : texts.map((text) => tokenizeWithPunctuation(text).filter((t) => isWord.test(t) || marks.has(t)));
const { matrix } = Vectorizer.fitTransform(corpus, {
  ngrams: Number(args.ngrams),
  minDf: DOCVEC_DEFAULTS.minDf,
});
const trainRows = selectRows(matrix, Int32Array.from(train.keys()));
log(`${matrix.cols} n-grams over ${train.length} training and ${unlabelled.length} unlabelled texts`);

const dims = Number(args.dims);
const epochs = Number(args.epochs);
// The model's own settings but these; training reviews are folded in with as many epochs as the vectors took.
const model = { ...DOCVEC_DEFAULTS, dim: dims, epochs, inferEpochs: epochs, threads, punctuation };
const pv = pvDbowOptionsFor(model, seed);

async function readVectors(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
}

const settings = list(args.c!).flatMap((c) => list(args.weights!).map((weight) => ({ c, weight })));
let vectors: Float32Array;
if (settings.every(({ weight }) => weight === 0)) {
  vectors = new Float32Array(train.length * dims);
} else if (args.cache !== undefined && existsSync(args.cache)) {
  vectors = await readVectors(args.cache);
  log(`vectors read from ${args.cache}`);
} else {
  const { ngrams } = await trainPvDbowParallel(matrix, pv, threads, (epoch) => log(`epoch ${epoch}`));
  vectors = await foldInFor(ngrams, model, seed).inferParallel(trainRows);
  if (args.cache !== undefined)
    await writeFile(args.cache, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
  log('vectors learnt, training texts folded in again');
}
const beside = args.beside === undefined ? undefined : await readVectors(args.beside);
const width = beside ? 2 * dims : dims;

/** The rows' vectors, each set unit length and side by side when there are two. */
function vectorsOf(rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, k) => {
    for (const [set, source] of [vectors, beside].entries()) {
      if (source === undefined) continue;
      const v = source.subarray(row * dims, (row + 1) * dims);
      const norm = Math.hypot(...v) || 1;
      for (let i = 0; i < dims; i++) out[k * width + set * dims + i] = v[i] / norm;
    }
  });
  return out;
}

const right = settings.map(() => new Uint8Array(train.length));
const folds = Number(args.folds);
for (let fold = 0; fold < folds; fold++) {
  const held = [...train.keys()].filter((i) => i % folds === fold);
  const learnt = [...train.keys()].filter((i) => i % folds !== fold);
  const xLearnt = selectRows(trainRows, Int32Array.from(learnt));
  const xHeld = selectRows(trainRows, Int32Array.from(held));
  const yLearnt = Int8Array.from(learnt, (i) => y[i]);
  const ratios = nbRatios(xLearnt, yLearnt);
  const [vLearnt, vHeld] = [vectorsOf(learnt), vectorsOf(held)];
  settings.forEach(({ c, weight }, s) => {
    const join = { ratios: weight < 0 ? null : ratios, vectorWeight: Math.abs(weight), dims: width };
    const solution = trainLogistic(joinFeatures(xLearnt, vLearnt, join), yLearnt, {
      c,
      random: new Random(seed),
    });
    const decisions = decisionValues(solution.weights, solution.bias, joinFeatures(xHeld, vHeld, join));
    held.forEach((i, k) => (right[s][i] = decisions[k] > 0 === y[i] > 0 ? 1 : 0));
  });
  log(`fold ${fold + 1} of ${folds}`);
}

const rows = settings.map(({ c, weight }, s) => {
  let gained = 0;
  let lost = 0;
  right[s].forEach((r, i) => {
    if (r > right[0][i]) gained++;
    if (r < right[0][i]) lost++;
  });
  const features = weight === 0 ? 'ngrams' : weight < 0 ? 'vectors' : 'joined';
  const accuracy = right[s].reduce((a, b) => a + b, 0) / train.length;
  return { features, c, weight: Math.abs(weight), accuracy, gainedOnFirst: gained, lostOnFirst: lost };
});
console.log(
  `| features | C | vector weight | accuracy (${folds}-fold) | right where the first row is wrong / the reverse |`,
);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const weight = r.features === 'ngrams' ? '–' : r.weight;
  const paired = `${r.gainedOnFirst} / ${r.lostOnFirst}`;
  console.log(`| ${r.features} | ${r.c} | ${weight} | ${(100 * r.accuracy).toFixed(2)}% | ${paired} |`);
}
if (args.out !== undefined) {
  const options = {
    ...pv,
    ngrams: Number(args.ngrams),
    punctuation,
    folds,
    beside: args.beside !== undefined,
  };
  const result = {
    date: new Date().toISOString(),
    reviews: train.length,
    unlabelled: unlabelled.length,
    options,
    rows,
  };
  await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
}
