import * as tf from '../../engine/tf.js';
import { ModelFormatError } from '../../errors.js';
import {
  MANIFEST_FILE,
  MODEL_JSON,
  WEIGHTS_BIN,
  deserializeLayersModel,
  readModelFile,
  serializeLayersModel,
  writeModelDirectory,
  type ModelManifest,
} from '../../persist/index.js';
import { SequenceEncoder, type EncodedBatch, type SequenceOptions } from '../../text/sequences/encoder.js';
import { TOKENIZER_ID } from '../../text/sequences/tokenize.js';
import { Vocabulary } from '../../text/sequences/vocabulary.js';
import type { Classifier, EpochRecord, Prediction } from '../classifier.js';
import { epochHistory } from '../history.js';
import { predictionOfRow } from '../prediction-rows.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { architecture, modelNames } from './registry.js';

export const VOCABULARY_FILE = 'vocabulary.json';

/** Where a neural model came from, kept in its manifest. */
export interface NeuralProvenance {
  readonly hyperParameters: NeuralHyperParameters;
  readonly training: ModelManifest['training'];
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Rows scored per forward pass when predicting: large enough to keep the matmuls efficient, small enough for memory. */
const PREDICT_BATCH = 256;

/**
 * Texts encoded together and scored shortest first when the model skips steps that are padding in
 * every row of a batch (the recurrent models): a batch of 256 texts in input order almost always
 * holds one that fills the whole length, so without sorting every step would be computed.
 */
const LENGTH_SORT_WINDOW = 4096;

/**
 * Runs `model` on encoded rows and returns `numLabels` probabilities per row. Two labels use one
 * sigmoid unit (the probability of the second label), as the tutorial does.
 */
export async function modelProbabilities(
  model: tf.LayersModel,
  batch: EncodedBatch,
  numLabels: number,
): Promise<Float32Array> {
  const output = tf.tidy(() => {
    const x = tf.tensor2d(batch.data, batch.shape, 'int32');
    const y = model.predict(x) as tf.Tensor;
    return numLabels === 2 ? tf.concat([tf.sub(1, y), y], 1) : y;
  });
  const data = (await output.data()) as Float32Array;
  output.dispose();
  return data;
}

/** The rows of an encoded batch, fewest real (non-padding) ids first; ties keep their order. */
function rowsByLength(batch: EncodedBatch): Int32Array {
  const [rows, width] = batch.shape;
  const lengths = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let real = 0;
    for (let k = row * width; k < (row + 1) * width; k++) if (batch.data[k] !== 0) real++;
    lengths[row] = real;
  }
  const order = Int32Array.from({ length: rows }, (_, row) => row);
  return order.sort((a, b) => lengths[a] - lengths[b] || a - b);
}

/** The given rows of an encoded batch, in the given order. */
function gatherRows(batch: EncodedBatch, rows: Int32Array): EncodedBatch {
  const width = batch.shape[1];
  const data = new Int32Array(rows.length * width);
  rows.forEach((row, k) => data.set(batch.data.subarray(row * width, (row + 1) * width), k * width));
  return { data, shape: [rows.length, width] };
}

/** A TensorFlow.js Layers model with the encoder that feeds it. */
export class NeuralClassifier implements Classifier {
  readonly history?: readonly EpochRecord[];
  /** Whether the architecture skips all-padding steps, so that batches of similar lengths run faster. */
  private readonly sortsByLength: boolean;

  constructor(
    readonly kind: string,
    readonly labels: readonly string[],
    readonly encoder: SequenceEncoder,
    readonly model: tf.LayersModel,
    readonly provenance: NeuralProvenance,
  ) {
    this.history = epochHistory(provenance.training);
    this.sortsByLength = modelNames().includes(kind) && architecture(kind).bucketByLength === true;
  }

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    const predictions = new Array<Prediction>(texts.length);
    const windowSize = this.sortsByLength ? LENGTH_SORT_WINDOW : PREDICT_BATCH;
    for (let start = 0; start < texts.length; start += windowSize) {
      const window = this.encoder.encode(texts.slice(start, start + windowSize));
      const rows = window.shape[0];
      const order = this.sortsByLength
        ? rowsByLength(window)
        : Int32Array.from({ length: rows }, (_, row) => row);
      for (let first = 0; first < rows; first += PREDICT_BATCH) {
        const chosen = order.subarray(first, first + PREDICT_BATCH);
        const probabilities = await this.probabilities(gatherRows(window, chosen));
        chosen.forEach(
          (row, k) => (predictions[start + row] = predictionOfRow(this.labels, probabilities, k)),
        );
      }
    }
    return predictions;
  }

  /** Probabilities for already-encoded rows, `labels.length` per row. */
  probabilities(batch: EncodedBatch): Promise<Float32Array> {
    return modelProbabilities(this.model, batch, this.labels.length);
  }

  async save(dir: string): Promise<void> {
    const { modelJson, weights } = await serializeLayersModel(this.model);
    const { config, vocabulary } = this.encoder.toJSON();
    await writeModelDirectory(
      dir,
      {
        kind: this.kind,
        labels: this.labels,
        hyperParameters: { ...this.provenance.hyperParameters },
        encoder: { ...config, vocabularyFile: VOCABULARY_FILE },
        training: this.provenance.training,
        metrics: this.provenance.metrics,
      },
      { [VOCABULARY_FILE]: JSON.stringify(vocabulary), [MODEL_JSON]: modelJson, [WEIGHTS_BIN]: weights },
    );
  }

  /** Loads a network saved in `dir`, whose manifest has been read and checked (the family entry's `load`). */
  static async load(dir: string, manifest: ModelManifest): Promise<NeuralClassifier> {
    const [vocabularyBytes, modelJson, weights] = await Promise.all([
      readModelFile(dir, manifest, VOCABULARY_FILE),
      readModelFile(dir, manifest, MODEL_JSON),
      readModelFile(dir, manifest, WEIGHTS_BIN),
    ]);
    epochHistory(manifest.training, `${dir}/${MANIFEST_FILE}`); // a malformed history names the file
    const encoderConfig = manifest.encoder as { tokenizer?: string; sequence?: SequenceOptions };
    if (encoderConfig.tokenizer !== TOKENIZER_ID || !encoderConfig.sequence) {
      throw new ModelFormatError(`unknown encoder configuration ${JSON.stringify(manifest.encoder)}`, dir);
    }
    let vocabularyJson: unknown;
    try {
      vocabularyJson = JSON.parse(vocabularyBytes.toString('utf8'));
    } catch (error) {
      throw new ModelFormatError(`${VOCABULARY_FILE} is not valid JSON: ${(error as Error).message}`, dir);
    }
    const vocabulary = Vocabulary.fromJSON(vocabularyJson, `${dir}/${VOCABULARY_FILE}`);
    const encoder = new SequenceEncoder(vocabulary, encoderConfig.sequence);
    const model = await deserializeLayersModel(modelJson.toString('utf8'), weights, dir);
    return new NeuralClassifier(manifest.kind, manifest.labels, encoder, model, {
      hyperParameters: manifest.hyperParameters as unknown as NeuralHyperParameters,
      training: manifest.training,
      metrics: manifest.metrics,
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
