/**
 * Speed of bag-of-n-gram feature extraction on the full IMDB split: tokenizing, then for each recipe the
 * vectorizer's fitTransform on the training split and transform of the test split, and prediction-style
 * transformOne from raw text. The linear models' time budget (a third of scikit-learn's) covers tokenize +
 * features + fit, so these numbers say how much of it is left for the solver.
 *
 *   node --import tsx bench/features.ts [--data PATH] [--only NAME]
 */
import { parseArgs } from 'node:util';
import { loadImdb, resolveImdb } from '../src/data/index.js';
import { nonZeros } from '../src/text/features/sparse.js';
import { tokenize } from '../src/text/sequences/tokenize.js';
import { Vectorizer, type VectorizerOptions } from '../src/text/features/vectorizer.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    only: { type: 'string' },
  },
});

const RECIPES: readonly { name: string; options: VectorizerOptions }[] = [
  { name: 'counts, top 5k unigrams', options: { maxFeatures: 5000 } },
  { name: 'tfidf, top 5k unigrams', options: { maxFeatures: 5000, weighting: 'tfidf' } },
  {
    name: 'tfidf, uni+bigrams, minDf 2, sublinear',
    options: { ngrams: 2, minDf: 2, weighting: 'tfidf', sublinearTf: true },
  },
  { name: 'binary, uni+bigrams', options: { ngrams: 2, weighting: 'binary' } },
  { name: 'binary, uni+bi+trigrams', options: { ngrams: 3, weighting: 'binary' } },
  { name: 'hashed 2^20, uni+bigrams', options: { ngrams: 2, hashBits: 20 } },
];

const seconds = (start: number) => (performance.now() - start) / 1000;

const path = await resolveImdb({ data: values.data });
let start = performance.now();
const dataset = await loadImdb(path);
process.stderr.write(
  `read ${dataset.train.length} + ${dataset.test.length} reviews in ${seconds(start).toFixed(2)} s\n`,
);
const trainTexts = dataset.train.map((e) => e.text);
const testTexts = dataset.test.map((e) => e.text);

start = performance.now();
const train = trainTexts.map(tokenize);
const tokenizeTrain = seconds(start);
start = performance.now();
const test = testTexts.map(tokenize);
const tokenizeTest = seconds(start);

const lines = [
  `tokenize: train ${tokenizeTrain.toFixed(2)} s, test ${tokenizeTest.toFixed(2)} s ` +
    `(${(trainTexts.length / tokenizeTrain).toFixed(0)} reviews/s)`,
  '',
  '| recipe | fitTransform train (s) | transform test (s) | features | non-zeros train | predict path (reviews/s) |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const recipe of RECIPES) {
  if (values.only !== undefined && !recipe.name.includes(values.only)) continue;
  start = performance.now();
  const { vectorizer, matrix } = Vectorizer.fitTransform(train, recipe.options);
  const fitSeconds = seconds(start);
  start = performance.now();
  vectorizer.transform(test);
  const testSeconds = seconds(start);
  // Prediction from raw text, one review at a time: tokenize + transformOne.
  const sample = testTexts.slice(0, 5000);
  start = performance.now();
  for (const text of sample) vectorizer.transformOne(tokenize(text));
  const perSecond = sample.length / seconds(start);
  const line =
    `| ${recipe.name} | ${fitSeconds.toFixed(2)} | ${testSeconds.toFixed(2)} | ${vectorizer.size.toLocaleString('en')} ` +
    `| ${nonZeros(matrix).toLocaleString('en')} | ${perSecond.toFixed(0)} |`;
  process.stderr.write(line + '\n');
  lines.push(line);
}
console.log(lines.join('\n'));
