/**
 * Trains a document-vector classifier: the n-grams of the labelled and unlabelled texts (one vectorizer
 * over both), PV-DBOW with cosine similarity over them (pv-dbow.ts), the labelled texts' vectors folded in
 * again with the n-gram vectors frozen (so that they come from the very procedure that new texts' vectors
 * will), then a logistic regression over [NB-weighted n-grams, document vector] (joined-features.ts).
 */
import { fingerprintExamples } from '../../data/fingerprint.js';
import type { Dataset } from '../../data/types.js';
import { OptionError } from '../../errors.js';
import { trainLogistic } from '../../fit/logistic.js';
import { tokenizeInParallel } from '../../text/features/parallel-tokenize.js';
import { tokenizerIdOf } from '../../text/sequences/tokenize.js';
import { selectRows } from '../../text/features/sparse.js';
import { Vectorizer } from '../../text/features/vectorizer.js';
import { Random } from '../../util/random.js';
import { DEFAULT_SEED, type FitOptions, type Trainer } from '../classifier.js';
import { DocVecClassifier, foldInFor, pvDbowOptionsFor } from './docvec-classifier.js';
import { resolveDocVecOptions, type DocVecOptions, type ResolvedDocVecOptions } from './docvec-options.js';
import { joinFeatures, nbRatios } from './joined-features.js';
import { trainPvDbowParallel } from './parallel-pv-dbow.js';

export class DocVecTrainer implements Trainer {
  readonly options: ResolvedDocVecOptions;

  constructor(options: DocVecOptions = {}) {
    this.options = resolveDocVecOptions(options);
  }

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<DocVecClassifier> {
    const options = this.options;
    const seed = fit.seed ?? DEFAULT_SEED;
    const labels = dataset.labels;
    if (labels.length !== 2) {
      throw new OptionError(
        `docvec classifies two labels (its logistic regression is binary), got ${labels.length}`,
      );
    }
    if (dataset.train.length === 0) throw new OptionError('the training split is empty');
    const started = performance.now();
    const seconds: Record<string, number> = {};
    const lap = (stage: string, since: number) => (seconds[stage] = (performance.now() - since) / 1000);

    const unlabelled = fit.unlabelled?.texts ?? [];
    const labelled = dataset.train.length;
    let since = performance.now();
    const corpus = await tokenizeInParallel([...dataset.train.map((e) => e.text), ...unlabelled], {
      onProgress: fit.onProgress,
      punctuation: options.punctuation,
    });
    const { vectorizer, matrix } = Vectorizer.fitTransform(corpus, {
      ngrams: options.ngrams,
      minDf: options.minDf,
      tokenizer: tokenizerIdOf(options.punctuation),
    });
    lap('features', since);

    since = performance.now();
    const { ngrams } = await trainPvDbowParallel(
      matrix,
      pvDbowOptionsFor(options, seed),
      options.threads,
      (epoch) =>
        fit.onProgress?.({ task: 'document vectors', done: epoch, total: options.epochs, unit: 'epochs' }),
    );
    lap('vectors', since);

    since = performance.now();
    const counts = selectRows(
      matrix,
      Int32Array.from({ length: labelled }, (_, i) => i),
    );
    const foldIn = foldInFor(ngrams, options, seed);
    const vectors = await foldIn.inferParallel(counts);
    lap('fold-in', since);

    since = performance.now();
    const positive = labels[1];
    const y = Int8Array.from(dataset.train, (e) => (e.label === positive ? 1 : -1));
    const ratios = nbRatios(counts, y);
    const x = joinFeatures(counts, vectors, {
      ratios,
      vectorWeight: options.vectorWeight,
      dims: options.dim,
    });
    const solution = trainLogistic(x, y, { c: options.c, random: new Random(seed) });
    lap('fit', since);
    seconds.total = (performance.now() - started) / 1000;

    return new DocVecClassifier(
      {
        labels,
        vectorizer,
        ngrams,
        ratios,
        weights: solution.weights,
        bias: solution.bias,
        provenance: {
          options,
          training: {
            createdAt: new Date().toISOString(),
            seed,
            dataFingerprint: fingerprintExamples(dataset.train),
            examples: labelled,
            seconds,
          },
        },
        unlabelled:
          fit.unlabelled === undefined
            ? null
            : {
                count: unlabelled.length,
                fingerprint: fit.unlabelled.fingerprint,
                transductive: fit.unlabelled.transductive,
              },
      },
      foldIn,
    );
  }
}
