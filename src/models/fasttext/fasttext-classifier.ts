import { ModelFormatError } from '../../errors.js';
// Not persist/index.js: that also exports the TF.js model files, and fastText never loads TF.js.
import { MANIFEST_FILE, type ModelManifest } from '../../persist/manifest.js';
import { readModelFile, writeModelDirectory } from '../../persist/model-dir.js';
import { tokenize, TOKENIZER_ID } from '../../text/sequences/tokenize.js';
import { Vocabulary } from '../../text/sequences/vocabulary.js';
import type { Classifier, ModelProvenance, Prediction, TokenAttribution } from '../classifier.js';
import { argmax, averageRows, scoreHidden, softmax, type FastTextWeights } from './fasttext-model.js';
import { resolveFastTextOptions, type ResolvedFastTextOptions } from './fasttext-options.js';
import { FASTTEXT_VOCABULARY_OPTIONS, InputRows } from './input-rows.js';
import { decodeMatrix, encodeMatrix } from './matrix-file.js';

export const FASTTEXT_KIND = 'fasttext';
export const FASTTEXT_VOCABULARY_FILE = 'vocabulary.json';
export const FASTTEXT_INPUT_FILE = 'input.bin';
export const FASTTEXT_OUTPUT_FILE = 'output.bin';
/** Names how n-grams are hashed into buckets (see word-ngrams.ts); a saved model records it. */
export const NGRAM_HASH_ID = 'fnv1a32-utf8-token-hashes';

/** Where a fastText model came from, kept in its manifest. */
export type FastTextProvenance = ModelProvenance<ResolvedFastTextOptions>;

/** The parts of a trained fastText model. */
export interface FastTextParts {
  readonly labels: readonly string[];
  readonly inputRows: InputRows;
  readonly weights: FastTextWeights;
  readonly provenance: FastTextProvenance;
}

/**
 * fastText's classifier (Joulin et al. 2016, "Bag of Tricks for Efficient Text Classification"):
 * tokenizer → the rows of the text's words and hashed word n-grams → their mean → one score per
 * label → softmax. The model is linear in that mean, so each word's and n-gram's share of a score
 * is exact (see {@link explain}).
 */
export class FastTextClassifier implements Classifier {
  readonly kind = FASTTEXT_KIND;
  readonly labels: readonly string[];
  readonly inputRows: InputRows;
  readonly weights: FastTextWeights;
  readonly provenance: FastTextProvenance;

  constructor(parts: FastTextParts) {
    const { labels, inputRows, weights } = parts;
    if (weights.inputRows !== inputRows.size) {
      throw new ModelFormatError(
        `the input matrix has ${weights.inputRows} rows but the words and buckets need ${inputRows.size}`,
      );
    }
    if (weights.labels !== labels.length) {
      throw new ModelFormatError(`the output matrix has ${weights.labels} rows for ${labels.length} labels`);
    }
    this.labels = labels;
    this.inputRows = inputRows;
    this.weights = weights;
    this.provenance = parts.provenance;
  }

  /** Probabilities of every label for each text, `labels.length` per text. */
  probabilities(texts: readonly string[]): Float64Array {
    const n = this.labels.length;
    const out = new Float64Array(texts.length * n);
    const hidden = new Float64Array(this.weights.dim);
    for (let i = 0; i < texts.length; i++) {
      const rows = this.inputRows.rowsOf(tokenize(texts[i]));
      averageRows(this.weights, rows, 0, rows.length, hidden);
      const scores = out.subarray(i * n, (i + 1) * n);
      scoreHidden(this.weights, hidden, scores);
      softmax(scores, scores);
    }
    return out;
  }

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    const n = this.labels.length;
    const probabilities = this.probabilities(texts);
    return texts.map((_, i) => {
      const row = probabilities.subarray(i * n, (i + 1) * n);
      const scores: Record<string, number> = {};
      this.labels.forEach((label, k) => (scores[label] = row[k]));
      const best = argmax(row);
      return { label: this.labels[best], score: row[best], scores };
    });
  }

  /**
   * The words and n-grams of `text` with their exact share of the predicted label's score minus
   * the mean score of the other labels (for two labels, the log-odds of the prediction), largest
   * magnitude first. With n input rows, row r's share is `input[r] · (W_predicted − mean of the
   * other W_k) / n`, and the shares add up to the whole difference, since there is no bias. A word
   * that occurs twice is listed once with both shares added; an n-gram is listed as its words
   * joined by a space ("not good"); a word rarer than `minCount` has no row of its own but still
   * appears inside n-grams. Two n-grams that share a bucket share a vector, so each is credited
   * with that vector.
   */
  async explain(text: string): Promise<TokenAttribution[]> {
    const named = this.inputRows.namedRowsOf(tokenize(text));
    const probabilities = this.probabilities([text]);
    const predicted = argmax(probabilities);
    const { dim, input, output, labels } = this.weights;
    const direction = new Float64Array(dim);
    for (let k = 0; k < labels; k++) {
      const factor = k === predicted ? 1 : -1 / (labels - 1);
      for (let d = 0; d < dim; d++) direction[d] += factor * output[k * dim + d];
    }
    const shares = new Map<string, number>();
    for (const { token, row } of named) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += input[row * dim + d] * direction[d];
      shares.set(token, (shares.get(token) ?? 0) + dot / named.length);
    }
    return [...shares]
      .map(([token, weight]) => ({ token, weight }))
      .filter((a) => a.weight !== 0)
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.token < b.token ? -1 : 1));
  }

  async save(dir: string): Promise<void> {
    const { options, training, metrics } = this.provenance;
    const { dim, inputRows, labels } = this.weights;
    await writeModelDirectory(
      dir,
      {
        kind: this.kind,
        labels: this.labels,
        hyperParameters: {
          ...options,
          input: { rows: inputRows, cols: dim, dtype: 'float32', endian: 'little' },
          output: { rows: labels, cols: dim, dtype: 'float32', endian: 'little' },
        },
        encoder: {
          tokenizer: TOKENIZER_ID,
          vocabularyFile: FASTTEXT_VOCABULARY_FILE,
          ngramHash: NGRAM_HASH_ID,
        },
        training,
        metrics,
      },
      {
        [FASTTEXT_VOCABULARY_FILE]: JSON.stringify(this.inputRows.vocabulary.toJSON()),
        [FASTTEXT_INPUT_FILE]: encodeMatrix(this.weights.input),
        [FASTTEXT_OUTPUT_FILE]: encodeMatrix(this.weights.output),
      },
    );
  }

  /** Rebuilds a saved model, checking every file and that the shapes agree with each other. */
  static async load(dir: string, manifest: ModelManifest): Promise<FastTextClassifier> {
    const manifestFile = `${dir}/${MANIFEST_FILE}`;
    const fail = (message: string): never => {
      throw new ModelFormatError(message, manifestFile);
    };
    if (manifest.kind !== FASTTEXT_KIND) fail(`"${manifest.kind}" is not a fastText model`);
    const encoder = manifest.encoder as { tokenizer?: unknown; ngramHash?: unknown };
    if (encoder.tokenizer !== TOKENIZER_ID) {
      fail(
        `the model was saved with tokenizer ${JSON.stringify(encoder.tokenizer)}, this Polarity has ${TOKENIZER_ID}`,
      );
    }
    if (encoder.ngramHash !== NGRAM_HASH_ID) {
      fail(
        `the model hashed n-grams with ${JSON.stringify(encoder.ngramHash)}, this Polarity with ${NGRAM_HASH_ID}`,
      );
    }
    const {
      input: inputShape,
      output: outputShape,
      ...rest
    } = manifest.hyperParameters as Record<string, unknown>;
    let options: ResolvedFastTextOptions;
    try {
      options = resolveFastTextOptions(rest);
    } catch (error) {
      return fail(`"hyperParameters" are not valid fastText options: ${(error as Error).message}`);
    }
    const input = matrixShape(inputShape, 'input', fail);
    const output = matrixShape(outputShape, 'output', fail);
    if (input.cols !== options.dim || output.cols !== options.dim) {
      fail(`the matrices have ${input.cols} and ${output.cols} columns for dim ${options.dim}`);
    }

    const vocabularyBytes = await readModelFile(dir, manifest, FASTTEXT_VOCABULARY_FILE);
    const vocabularyFile = `${dir}/${FASTTEXT_VOCABULARY_FILE}`;
    let vocabularyJson: unknown;
    try {
      vocabularyJson = JSON.parse(vocabularyBytes.toString('utf8'));
    } catch (error) {
      throw new ModelFormatError(`not valid JSON: ${(error as Error).message}`, vocabularyFile);
    }
    const vocabulary = Vocabulary.fromJSON(vocabularyJson, vocabularyFile);
    for (const [key, value] of Object.entries(FASTTEXT_VOCABULARY_OPTIONS)) {
      if (vocabulary.options[key as keyof typeof vocabulary.options] !== value) {
        throw new ModelFormatError(`"options.${key}" should be ${JSON.stringify(value)}`, vocabularyFile);
      }
    }
    const inputRows = new InputRows(vocabulary, options.ngrams, options.buckets);
    if (inputRows.size !== input.rows) {
      fail(
        `the input matrix has ${input.rows} rows but ${inputRows.words} words and ${inputRows.bucketRows} buckets need ${inputRows.size}`,
      );
    }
    if (output.rows !== manifest.labels.length) {
      fail(`the output matrix has ${output.rows} rows for ${manifest.labels.length} labels`);
    }
    const inputBytes = await readModelFile(dir, manifest, FASTTEXT_INPUT_FILE);
    const outputBytes = await readModelFile(dir, manifest, FASTTEXT_OUTPUT_FILE);
    return new FastTextClassifier({
      labels: manifest.labels,
      inputRows,
      weights: {
        dim: options.dim,
        inputRows: input.rows,
        labels: output.rows,
        input: decodeMatrix(inputBytes, input.rows, input.cols, `${dir}/${FASTTEXT_INPUT_FILE}`),
        output: decodeMatrix(outputBytes, output.rows, output.cols, `${dir}/${FASTTEXT_OUTPUT_FILE}`),
      },
      provenance: { options, training: manifest.training, metrics: manifest.metrics },
    });
  }

  /** Nothing to free: the weights are plain typed arrays. */
  dispose(): void {}
}

function matrixShape(
  value: unknown,
  name: string,
  fail: (message: string) => never,
): { rows: number; cols: number } {
  const shape = value as { rows?: unknown; cols?: unknown; dtype?: unknown; endian?: unknown } | undefined;
  if (
    !shape ||
    typeof shape.rows !== 'number' ||
    typeof shape.cols !== 'number' ||
    shape.dtype !== 'float32' ||
    shape.endian !== 'little'
  ) {
    return fail(`"hyperParameters.${name}" should give rows, cols, dtype "float32" and endian "little"`);
  }
  return { rows: shape.rows, cols: shape.cols };
}
