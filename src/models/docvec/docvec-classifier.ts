/**
 * The document-vector classifier: tokenizer → n-gram counts (the vectorizer fitted on labelled and
 * unlabelled texts) → the text's vector folded in against the frozen n-gram vectors → [NB-weighted
 * n-grams, unit-length vector × weight] → logistic regression. Prediction is deterministic: a text's
 * vector depends on its text and the training seed only.
 */
import { ModelFormatError } from '../../errors.js';
import { decisionValues } from '../../fit/sparse-ops.js';
import { MANIFEST_FILE, type ModelManifest } from '../../persist/manifest.js';
import { readModelFile, writeModelDirectory } from '../../persist/model-dir.js';
import { tokenizerById, tokenizerIdOf } from '../../text/sequences/tokenize.js';
import { Vectorizer } from '../../text/features/vectorizer.js';
import type { Classifier, ModelProvenance, Prediction } from '../classifier.js';
import { resolveDocVecOptions, type ResolvedDocVecOptions } from './docvec-options.js';
import { FoldIn } from './fold-in.js';
import { joinFeatures } from './joined-features.js';
import { DOCVEC_KIND } from './option-declarations.js';
import type { NgramVectors, PvDbowOptions } from './pv-dbow.js';

const VECTORIZER_PREFIX = 'vectorizer';
const VECTORS_FILE = 'ngram-vectors.bin';
const COUNTS_FILE = 'ngram-counts.bin';
const RATIOS_FILE = 'nb-ratios.bin';
const WEIGHTS_FILE = 'weights.bin';

/** What the manifest says of the unlabelled texts a model learnt from. */
export interface UnlabelledRecord {
  readonly count: number;
  readonly fingerprint: string;
  /** Test-split texts were among them: every figure of this model is transductive. */
  readonly transductive: boolean;
}

export interface DocVecParts {
  readonly labels: readonly string[];
  readonly vectorizer: Vectorizer;
  readonly ngrams: NgramVectors;
  readonly ratios: Float64Array;
  /** One weight per joined column (n-grams, then vector dims); the bias apart. */
  readonly weights: Float64Array;
  readonly bias: number;
  readonly provenance: ModelProvenance<ResolvedDocVecOptions>;
  readonly unlabelled: UnlabelledRecord | null;
}

/** The PV-DBOW settings of the model's options: its n-gram vectors are learnt with these. */
export function pvDbowOptionsFor(options: ResolvedDocVecOptions, seed: number): PvDbowOptions {
  return {
    dims: options.dim,
    epochs: options.epochs,
    learningRate: options.learningRate,
    scale: options.cosineScale,
    negatives: options.negatives,
    subsample: 0,
    seed,
  };
}

/** The fold-in that fits new texts' vectors as the model's options say (the trainer's and the classifier's alike). */
export function foldInFor(ngrams: NgramVectors, options: ResolvedDocVecOptions, seed: number): FoldIn {
  return new FoldIn(
    ngrams,
    { ...pvDbowOptionsFor(options, seed), epochs: options.inferEpochs },
    options.threads,
  );
}

export class DocVecClassifier implements Classifier {
  readonly kind = DOCVEC_KIND;
  readonly labels: readonly string[];
  readonly parts: DocVecParts;
  private readonly foldIn: FoldIn;
  /** The tokenizer the vectorizer was fitted with (words, or words and marks). */
  private readonly tokenize: (text: string) => string[];

  /** `foldIn`: the trainer's, over these very n-gram vectors, so that they are not copied into a second memory. */
  constructor(parts: DocVecParts, foldIn?: FoldIn) {
    const { dim } = parts.provenance.options;
    if (parts.ngrams.vectors.length !== parts.vectorizer.size * dim) {
      throw new ModelFormatError(
        `the n-gram vectors hold ${parts.ngrams.vectors.length} values for ${parts.vectorizer.size} n-grams of ${dim}`,
      );
    }
    if (parts.weights.length < parts.vectorizer.size + dim || parts.ratios.length !== parts.vectorizer.size) {
      throw new ModelFormatError('the weights or NB ratios do not fit the vectorizer and dim');
    }
    const tokenize = tokenizerById(parts.vectorizer.options.tokenizer);
    if (tokenize === undefined) {
      throw new ModelFormatError(
        `the vectorizer was fitted on tokens of ${parts.vectorizer.options.tokenizer}, which this Polarity does not have`,
      );
    }
    this.tokenize = tokenize;
    this.labels = parts.labels;
    this.foldIn =
      foldIn ?? foldInFor(parts.ngrams, parts.provenance.options, parts.provenance.training.seed ?? 0);
    // The fold-in's copy of the n-gram vectors serves for saving too, so the given one can be let go.
    this.parts = { ...parts, ngrams: this.foldIn.ngrams };
  }

  get provenance(): ModelProvenance<ResolvedDocVecOptions> {
    return this.parts.provenance;
  }

  /** The folded-in vector of each text (`dim` values a text), on as many threads as the model trained its vectors on. */
  async documentVectors(texts: readonly string[]): Promise<Float32Array> {
    return this.foldIn.inferParallel(this.parts.vectorizer.transform(texts.map(this.tokenize)));
  }

  /** P(second label) of each text. */
  async probabilities(texts: readonly string[]): Promise<Float64Array> {
    const { vectorizer, ratios, weights, bias } = this.parts;
    const { dim, vectorWeight } = this.parts.provenance.options;
    const counts = vectorizer.transform(texts.map(this.tokenize));
    const x = joinFeatures(counts, await this.foldIn.inferParallel(counts), {
      ratios,
      vectorWeight,
      dims: dim,
    });
    const scores = decisionValues(weights, bias, x);
    return scores.map((s) => 1 / (1 + Math.exp(-s)));
  }

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    const p = await this.probabilities(texts);
    const [negative, positive] = this.labels;
    return Array.from(p, (pos) => ({
      label: pos >= 0.5 ? positive : negative,
      score: pos >= 0.5 ? pos : 1 - pos,
      scores: { [negative]: 1 - pos, [positive]: pos },
    }));
  }

  async save(dir: string): Promise<void> {
    const { options, training, metrics } = this.parts.provenance;
    const { vectorizer, ngrams, ratios, weights, bias, unlabelled } = this.parts;
    await writeModelDirectory(
      dir,
      {
        kind: this.kind,
        labels: this.labels,
        hyperParameters: {
          ...options,
          bias,
          weightCount: weights.length,
          ...(unlabelled ? { unlabelled } : {}),
        },
        encoder: {
          tokenizer: vectorizer.options.tokenizer,
          vectorizer: vectorizer.options,
          vectorizerPrefix: VECTORIZER_PREFIX,
        },
        training,
        metrics,
      },
      {
        ...vectorizer.toFiles(VECTORIZER_PREFIX),
        [VECTORS_FILE]: littleEndian(ngrams.vectors),
        [COUNTS_FILE]: littleEndian(ngrams.counts),
        [RATIOS_FILE]: littleEndian(ratios),
        [WEIGHTS_FILE]: littleEndian(weights),
      },
    );
  }

  /** Rebuilds a saved model, checking every file and that the shapes agree. */
  static async load(dir: string, manifest: ModelManifest): Promise<DocVecClassifier> {
    const manifestFile = `${dir}/${MANIFEST_FILE}`;
    const fail = (message: string): never => {
      throw new ModelFormatError(message, manifestFile);
    };
    if (manifest.kind !== DOCVEC_KIND) fail(`"${manifest.kind}" is not a docvec model`);
    const { bias, weightCount, unlabelled, ...rest } = manifest.hyperParameters as Record<string, unknown>;
    let options: ResolvedDocVecOptions;
    try {
      // Models saved before --punctuation existed tokenized words only.
      options = resolveDocVecOptions({ punctuation: false, ...rest });
    } catch (error) {
      return fail(`"hyperParameters" are not valid docvec options: ${(error as Error).message}`);
    }
    if (typeof bias !== 'number' || !Number.isInteger(weightCount))
      fail('"bias" or "weightCount" is missing');
    const vectorizerFiles: Record<string, Uint8Array> = {};
    for (const name of Object.keys(manifest.files)) {
      if (name.startsWith(VECTORIZER_PREFIX))
        vectorizerFiles[name] = await readModelFile(dir, manifest, name);
    }
    const vectorizer = Vectorizer.fromFiles(vectorizerFiles, VECTORIZER_PREFIX, dir);
    const { tokenizer } = vectorizer.options;
    if (tokenizerById(tokenizer) === undefined) {
      fail(`the vectorizer was fitted on tokens of ${tokenizer}, which this Polarity does not have`);
    }
    if (tokenizer !== tokenizerIdOf(options.punctuation)) {
      fail(`"punctuation" is ${options.punctuation} but the vectorizer was fitted on tokens of ${tokenizer}`);
    }
    const read = async (name: string, bytes: number, count: number) => {
      const data = await readModelFile(dir, manifest, name);
      if (data.length !== bytes * count)
        fail(`${name} holds ${data.length} bytes, expected ${bytes * count}`);
      return data;
    };
    const size = vectorizer.size;
    const vectors = fromLittleEndian(await read(VECTORS_FILE, 4, size * options.dim), Float32Array);
    const counts = fromLittleEndian(await read(COUNTS_FILE, 8, size), Float64Array);
    const ratios = fromLittleEndian(await read(RATIOS_FILE, 8, size), Float64Array);
    const weights = fromLittleEndian(await read(WEIGHTS_FILE, 8, weightCount as number), Float64Array);
    return new DocVecClassifier({
      labels: manifest.labels,
      vectorizer,
      ngrams: { dims: options.dim, vectors, counts },
      ratios,
      weights,
      bias: bias as number,
      provenance: { options, training: manifest.training, metrics: manifest.metrics },
      unlabelled: (unlabelled as UnlabelledRecord | undefined) ?? null,
    });
  }

  dispose(): void {}
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The values' bytes, little-endian whatever this machine's order. */
function littleEndian(values: Float32Array | Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  if (!LITTLE_ENDIAN) swapBytes(bytes, values.BYTES_PER_ELEMENT);
  return bytes;
}

function fromLittleEndian<T extends Float32Array | Float64Array>(
  data: Uint8Array,
  type: { new (buffer: ArrayBuffer): T; readonly BYTES_PER_ELEMENT: number },
): T {
  const bytes = data.slice();
  if (!LITTLE_ENDIAN) swapBytes(bytes, type.BYTES_PER_ELEMENT);
  return new type(bytes.buffer);
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
