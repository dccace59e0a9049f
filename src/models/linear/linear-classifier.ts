import { ModelFormatError } from '../../errors.js';
// The format modules themselves, not persist/index.js, which would pull in TensorFlow.js.
import { MANIFEST_FILE, type ModelManifest } from '../../persist/manifest.js';
import { readModelFile, writeModelDirectory } from '../../persist/model-dir.js';
import { tokenize, TOKENIZER_ID } from '../../text/sequences/tokenize.js';
import { Vectorizer } from '../../text/features/vectorizer.js';
import type { Classifier, ModelProvenance, Prediction, TokenAttribution } from '../classifier.js';
import type { LinearModelName, ResolvedLinearOptions } from './linear-options.js';
import { LINEAR_MODELS } from './linear-options.js';
import { scoresToProbabilities, validateMapping, type ProbabilityMapping } from './probabilities.js';
import { decodeWeights, encodeWeights, LINEAR_WEIGHTS_FILE, type WeightMatrix } from './weights-file.js';

/** Prefix of the vectorizer's files in the model directory (`vectorizer.json`, `vectorizer-*.bin`). */
export const VECTORIZER_PREFIX = 'vectorizer';

/** Where a linear model came from, kept in its manifest. */
export type LinearProvenance = ModelProvenance<ResolvedLinearOptions>;

/** The parts of a trained linear model. */
export interface LinearModelParts {
  readonly kind: LinearModelName;
  readonly labels: readonly string[];
  readonly vectorizer: Vectorizer;
  /**
   * One weight row per label, or a single row for a two-label model that scores the second label
   * against the first (logistic regression and SVMs; naive Bayes keeps one row per label).
   * Any NBSVM feature scaling is already folded into the weights.
   */
  readonly weights: WeightMatrix;
  readonly probability: ProbabilityMapping;
  readonly provenance: LinearProvenance;
}

/**
 * A linear model over n-gram features: tokenizer → vectorizer → scores `W·x + b` (one per weight
 * row) → probabilities. The same class serves naive Bayes (rows of log-likelihoods, softmax),
 * logistic regression (sigmoid), SVMs (Platt-scaled sigmoid) and NBSVM (either, with the ratio
 * folded into the weights), so prediction, explanation and the saved format are written once.
 */
export class SparseLinearClassifier implements Classifier {
  readonly kind: LinearModelName;
  readonly labels: readonly string[];
  readonly vectorizer: Vectorizer;
  readonly weights: WeightMatrix;
  readonly probability: ProbabilityMapping;
  readonly provenance: LinearProvenance;

  constructor(parts: LinearModelParts) {
    const { weights, labels } = parts;
    if (weights.cols !== parts.vectorizer.size) {
      throw new ModelFormatError(
        `the weights have ${weights.cols} columns but the vectorizer has ${parts.vectorizer.size} features`,
      );
    }
    const rowsOk = weights.rows === labels.length || (weights.rows === 1 && labels.length === 2);
    if (!rowsOk || (parts.probability.type === 'softmax' && weights.rows !== labels.length)) {
      throw new ModelFormatError(
        `${weights.rows} weight rows do not fit ${labels.length} labels with ${parts.probability.type} outputs`,
      );
    }
    this.kind = parts.kind;
    this.labels = labels;
    this.vectorizer = parts.vectorizer;
    this.weights = weights;
    this.probability = parts.probability;
    this.provenance = parts.provenance;
  }

  /** Scores of one text's features: `W·x + b`, one per weight row. */
  scoreFeatures(
    indices: ArrayLike<number>,
    values: ArrayLike<number>,
    out = new Float64Array(this.weights.rows),
  ) {
    const { rows, cols, weights, bias } = this.weights;
    for (let r = 0; r < rows; r++) {
      const offset = r * cols;
      let sum = bias[r];
      for (let k = 0; k < indices.length; k++) sum += weights[offset + indices[k]] * values[k];
      out[r] = sum;
    }
    return out;
  }

  /** Probabilities of every label for each text, `labels.length` per text. */
  probabilities(texts: readonly string[]): Float64Array {
    const n = this.labels.length;
    const out = new Float64Array(texts.length * n);
    const scores = new Float64Array(this.weights.rows);
    for (let i = 0; i < texts.length; i++) {
      const { indices, values } = this.vectorizer.transformOne(tokenize(texts[i]));
      this.scoreFeatures(indices, values, scores);
      scoresToProbabilities(scores, this.probability, n, out.subarray(i * n, (i + 1) * n));
    }
    return out;
  }

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    const n = this.labels.length;
    const probabilities = this.probabilities(texts);
    return texts.map((_, i) => {
      const scores: Record<string, number> = {};
      let best = 0;
      for (let k = 0; k < n; k++) {
        scores[this.labels[k]] = probabilities[i * n + k];
        if (probabilities[i * n + k] > probabilities[i * n + best]) best = k;
      }
      return { label: this.labels[best], score: probabilities[i * n + best], scores };
    });
  }

  /**
   * The n-grams of `text` with how much each pushed the prediction towards the predicted label
   * (positive) or away from it (negative), largest magnitude first. A contribution is the feature
   * value times its weight in the predicted label's score — for a single-row two-label model, the
   * weight signed towards the predicted label; for naive Bayes, the log-probability of the n-gram
   * under the predicted label minus its mean over the other labels (for two labels, the log-odds
   * the n-gram adds). The bias (or prior) is not an n-gram and is left out.
   */
  async explain(text: string): Promise<TokenAttribution[]> {
    const tokens = tokenize(text);
    const features = this.vectorizer.features(tokens);
    const [prediction] = await this.predict([text]);
    const predicted = this.labels.indexOf(prediction.label);
    const { rows, cols, weights } = this.weights;
    const n = this.labels.length;
    const weightOf = (column: number): number => {
      if (rows === 1) return predicted === 1 ? weights[column] : -weights[column];
      const own = weights[predicted * cols + column];
      if (this.probability.type !== 'softmax') return own;
      let others = 0;
      for (let k = 0; k < n; k++) if (k !== predicted) others += weights[k * cols + column];
      return own - others / (n - 1);
    };
    return features
      .map(({ ngram, column, value }) => ({ token: ngram, weight: value * weightOf(column) }))
      .filter((a) => a.weight !== 0)
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.token < b.token ? -1 : 1));
  }

  async save(dir: string): Promise<void> {
    const { options, training, metrics } = this.provenance;
    await writeModelDirectory(
      dir,
      {
        kind: this.kind,
        labels: this.labels,
        hyperParameters: {
          ...options,
          weights: { rows: this.weights.rows, cols: this.weights.cols, dtype: 'float32', endian: 'little' },
          probability: this.probability,
        },
        encoder: {
          tokenizer: TOKENIZER_ID,
          vectorizer: this.vectorizer.options,
          vectorizerPrefix: VECTORIZER_PREFIX,
        },
        training,
        metrics,
      },
      {
        ...this.vectorizer.toFiles(VECTORIZER_PREFIX),
        [LINEAR_WEIGHTS_FILE]: encodeWeights(this.weights),
      },
    );
  }

  /** Rebuilds a saved model, checking every file and that the shapes agree with each other. */
  static async load(dir: string, manifest: ModelManifest): Promise<SparseLinearClassifier> {
    const manifestFile = `${dir}/${MANIFEST_FILE}`;
    if (!(LINEAR_MODELS as readonly string[]).includes(manifest.kind)) {
      throw new ModelFormatError(`"${manifest.kind}" is not a linear model kind`, manifestFile);
    }
    const encoder = manifest.encoder as { tokenizer?: unknown };
    if (encoder.tokenizer !== TOKENIZER_ID) {
      throw new ModelFormatError(
        `the model was saved with tokenizer ${JSON.stringify(encoder.tokenizer)}, this Polarity has ${TOKENIZER_ID}`,
        manifestFile,
      );
    }
    const hyper = manifest.hyperParameters as {
      weights?: { rows?: unknown; cols?: unknown; dtype?: unknown; endian?: unknown };
      probability?: unknown;
    };
    const shape = hyper.weights;
    if (
      !shape ||
      typeof shape.rows !== 'number' ||
      typeof shape.cols !== 'number' ||
      shape.dtype !== 'float32' ||
      shape.endian !== 'little'
    ) {
      throw new ModelFormatError(
        '"hyperParameters.weights" should give rows, cols, dtype "float32" and endian "little"',
        manifestFile,
      );
    }
    const probability = validateMapping(hyper.probability, shape.rows, manifestFile);
    const weightBytes = await readModelFile(dir, manifest, LINEAR_WEIGHTS_FILE);
    const weights = decodeWeights(weightBytes, shape.rows, shape.cols, `${dir}/${LINEAR_WEIGHTS_FILE}`);
    // The vectorizer's files are those of the manifest under its prefix; each is checked on reading.
    const vectorizerFiles: Record<string, Uint8Array> = {};
    for (const name of Object.keys(manifest.files)) {
      if (name.startsWith(VECTORIZER_PREFIX))
        vectorizerFiles[name] = await readModelFile(dir, manifest, name);
    }
    const vectorizer = Vectorizer.fromFiles(vectorizerFiles, VECTORIZER_PREFIX, dir);
    if (vectorizer.options.tokenizer !== TOKENIZER_ID) {
      throw new ModelFormatError(
        `the vectorizer was fitted on tokens of ${vectorizer.options.tokenizer}, this Polarity has ${TOKENIZER_ID}`,
        dir,
      );
    }
    if (vectorizer.size !== weights.cols) {
      throw new ModelFormatError(
        `the vectorizer has ${vectorizer.size} features but ${LINEAR_WEIGHTS_FILE} has ${weights.cols} columns`,
        dir,
      );
    }
    const {
      weights: _shape,
      probability: _mapping,
      ...options
    } = manifest.hyperParameters as Record<string, unknown>;
    return new SparseLinearClassifier({
      kind: manifest.kind as LinearModelName,
      labels: manifest.labels,
      vectorizer,
      weights,
      probability,
      provenance: {
        options: options as unknown as ResolvedLinearOptions,
        training: manifest.training,
        metrics: manifest.metrics,
      },
    });
  }

  /** Nothing to free: the weights are plain typed arrays. */
  dispose(): void {}
}
