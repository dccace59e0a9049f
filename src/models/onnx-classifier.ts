/**
 * `--runtime onnx`: a saved model scored through its ONNX graph by onnxruntime-node instead of
 * Polarity's own code. The model directory is loaded as always, its graph is built in memory by the
 * family's export (`onnxModelOf`, no file written) and run by an `InferenceSession`, behind the same
 * `Classifier` interface, so that predict, evaluate, serve and the scoring workers never ask which
 * runtime they hold. Explanations stay with Polarity's own classifier, which the ONNX one wraps.
 * For scoring alone, a `.onnx` file that `polarity export` wrote is run as it is: no model directory,
 * no graph to build, no TensorFlow.js.
 */
import { stat } from 'node:fs/promises';
import type * as Ort from 'onnxruntime-node';
import { ModelFormatError, OptionError } from '../errors.js';
import type { ModelManifest } from '../persist/manifest.js';
import type { Classifier, Prediction } from './classifier.js';
import { onnxModelOf } from './export.js';
import { readExportedGraph } from './exported-graph.js';
import { loadClassifier, savedModel } from './load.js';
import { ONNX_TEXT_INPUT } from './onnx-graph.js';
import { predictionOfRow } from './prediction-rows.js';
import { importOnnxRuntime, sessionOptions } from './onnx-runtime.js';

/** Where a model is scored: Polarity's own code (TensorFlow.js for the networks) or onnxruntime. */
export const RUNTIMES = ['polarity', 'onnx'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

/**
 * Texts per `session.run`, by measurement (IMDB test reviews, one thread, busy machine). With the
 * networks' graphs and the sparse linear graph (branches nets and sparse), 64 was fastest or within
 * noise of it: cnn 1,487 / 1,626 / 1,725 / 1,691 reviews/s at 16 / 32 / 64 / 128, mlp 1,217 / 1,421 /
 * 1,809 / 1,863, nbsvm 1,549 / 1,863 / 1,719 / 2,165, and all three lost at 256. The dense opset-17
 * linear graph (one float per n-gram column and text) preferred 4 to 16 (an nbsvm of 500,874
 * columns, 2,000 reviews: 8.4 to 9.1 s, 13.5 s at 64) and holds 64 × columns floats per run.
 */
export const DEFAULT_ONNX_BATCH = 64;

/**
 * The texts' indices, shortest text first (ties in input order). A graph's tensors after the tokenizer
 * are as wide as the batch's longest text (tokens, n-gram keys, a recurrent network's steps), so that a
 * batch of random IMDB reviews, whose longest is several times the mean, is mostly padding; batches of
 * similar length are not. The length in UTF-16 units stands in for the token count, which only the
 * graph knows.
 */
export function shortestFirst(texts: readonly string[]): Int32Array {
  const order = Int32Array.from(texts, (_, index) => index);
  return order.sort((a, b) => texts[a].length - texts[b].length || a - b);
}

/** A model's graph as the scoring workers receive it: built once, on the main thread. */
export interface OnnxGraphBytes {
  readonly kind: string;
  readonly labels: readonly string[];
  readonly bytes: Uint8Array;
}

export interface OnnxScoringOptions {
  /** onnxruntime's intra-operator threads; undefined for its default (one per physical core). */
  readonly threads?: number;
  /** Texts per run (default {@link DEFAULT_ONNX_BATCH}). */
  readonly batchSize?: number;
}

/** A classifier whose `predict` runs an ONNX graph (raw text in, `probabilities` out) in onnxruntime. */
export class OnnxClassifier implements Classifier {
  readonly kind: string;
  readonly labels: readonly string[];
  private readonly batchSize: number;

  private constructor(
    readonly graph: OnnxGraphBytes,
    private readonly runtime: typeof Ort,
    private readonly session: Ort.InferenceSession,
    batchSize: number | undefined,
    /**
     * Polarity's own classifier, for explanations (explain-text looks through `wrapped` to the
     * model's own) and saving; absent in a scoring worker.
     */
    readonly wrapped: Classifier | undefined,
  ) {
    this.kind = graph.kind;
    this.labels = graph.labels;
    this.batchSize = batchSize ?? DEFAULT_ONNX_BATCH;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
    }
  }

  /** A classifier scoring `graph` (a scoring worker's: no Polarity model behind it). */
  static async fromGraph(
    graph: OnnxGraphBytes,
    options: OnnxScoringOptions = {},
    wrapped?: Classifier,
  ): Promise<OnnxClassifier> {
    const runtime = await importOnnxRuntime();
    const session = await runtime.InferenceSession.create(graph.bytes, sessionOptions(options.threads));
    return new OnnxClassifier(graph, runtime, session, options.batchSize, wrapped);
  }

  /** The graph of a loaded Polarity classifier (described by `manifest`), scored by onnxruntime. */
  static async of(
    classifier: Classifier,
    manifest: ModelManifest,
    options: OnnxScoringOptions = {},
  ): Promise<OnnxClassifier> {
    // The runtime first: without it, building the graph would be wasted.
    await importOnnxRuntime();
    const bytes = await onnxModelOf(classifier, manifest);
    return OnnxClassifier.fromGraph(
      { kind: classifier.kind, labels: classifier.labels, bytes },
      options,
      classifier,
    );
  }

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    const predictions = new Array<Prediction>(texts.length);
    const order = shortestFirst(texts);
    // One run at a time: batches in turn, so that memory stays at one batch's rows.
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const rows = order.subarray(start, start + this.batchSize);
      const batch = Array.from(rows, (index) => texts[index]);
      const input = new this.runtime.Tensor('string', batch, [batch.length]);
      const { probabilities } = await this.session.run({ [ONNX_TEXT_INPUT]: input }, ['probabilities']);
      const data = probabilities.data as Float32Array;
      rows.forEach((index, row) => (predictions[index] = predictionOfRow(this.labels, data, row)));
    }
    return predictions;
  }

  /** Saves Polarity's own model (the graph is rebuilt from it on load). */
  async save(dir: string): Promise<void> {
    if (!this.wrapped) throw new OptionError('a model scored by onnxruntime alone cannot be saved');
    await this.wrapped.save(dir);
  }

  dispose(): void {
    // release() frees the native session; its promise only reports that it is done.
    void this.session.release().catch(() => undefined);
    this.wrapped?.dispose();
  }
}

/** Whether `path` is a file (an exported graph, perhaps) rather than a model directory. */
async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Loads the model at `path` for scoring on `runtime`: the directory's own classifier, or that
 * classifier's graph run by onnxruntime; with `onnx`, `path` may also be a `.onnx` file that
 * `polarity export` wrote, run as it is.
 * @throws PolarityError when onnxruntime-node is missing (saying how to install it); OptionError for
 *   a family without an ONNX export (naming those with one), or a file with the polarity runtime;
 *   ModelFormatError for a bad directory or file.
 */
export async function loadScoringClassifier(
  path: string,
  runtime: RuntimeName = 'polarity',
  options: OnnxScoringOptions = {},
): Promise<Classifier> {
  if (await isFile(path)) {
    if (runtime !== 'onnx') {
      throw new OptionError(
        `${path} is a file, not a model directory (a .onnx file of polarity export is scored with --runtime onnx)`,
      );
    }
    // The runtime first: a missing onnxruntime-node is said before the file is read.
    await importOnnxRuntime();
    const graph = await readExportedGraph(path);
    try {
      return await OnnxClassifier.fromGraph(graph, options);
    } catch (error) {
      // Framed as Polarity writes it, but a graph onnxruntime cannot run: the file's fault, said so.
      throw new ModelFormatError(`onnxruntime cannot load its graph: ${(error as Error).message}`, path, {
        cause: error,
      });
    }
  }
  return (await loadModelDirectory(path, runtime, options)).classifier;
}

/** A model loaded for scoring, and the manifest it was loaded from. */
export interface ScoringModel {
  readonly classifier: Classifier;
  readonly manifest: ModelManifest;
}

/**
 * As {@link loadScoringClassifier}, with the manifest, read once for a caller that needs it too:
 * `read`, when given, is the manifest the caller read already (not read again), else the one read
 * here is returned.
 */
export async function loadScoringModel(
  dir: string,
  runtime: RuntimeName = 'polarity',
  options: OnnxScoringOptions = {},
  read?: ModelManifest,
): Promise<ScoringModel> {
  if (await isFile(dir)) {
    throw new OptionError(
      `${dir} is a file: this command takes the model directory written by polarity train ` +
        '(a .onnx file of polarity export is scored by polarity predict --runtime onnx)',
    );
  }
  return loadModelDirectory(dir, runtime, options, read);
}

/** {@link loadScoringModel} once `dir` is known not to be a file. */
async function loadModelDirectory(
  dir: string,
  runtime: RuntimeName,
  options: OnnxScoringOptions,
  read?: ModelManifest,
): Promise<ScoringModel> {
  // Before the model: a missing onnxruntime-node is said first, without the cost of a load.
  if (runtime !== 'polarity') await importOnnxRuntime();
  const { manifest, family } = await savedModel(dir, read);
  const classifier = await family.load(dir, manifest, { loadClassifier });
  if (runtime === 'polarity') return { classifier, manifest };
  try {
    return { classifier: await OnnxClassifier.of(classifier, manifest, options), manifest };
  } catch (error) {
    classifier.dispose();
    throw error;
  }
}
