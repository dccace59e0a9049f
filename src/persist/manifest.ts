import { createHash } from 'node:crypto';
import { ModelFormatError } from '../errors.js';

/** Bumped whenever a saved model directory changes in a way older readers cannot follow. */
export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'polarity.json';
export const FORMAT_NAME = 'polarity-model';

/** Size and checksum of one file of a model directory, so that truncation or a foreign file is caught on load. */
export interface FileRecord {
  readonly bytes: number;
  readonly sha256: string;
}

/** `polarity.json`: everything needed to rebuild a classifier and to say where it came from. */
export interface ModelManifest {
  readonly format: typeof FORMAT_NAME;
  readonly formatVersion: number;
  /** The model family, e.g. "mlp"; picks the loader. */
  readonly kind: string;
  readonly labels: readonly string[];
  readonly hyperParameters: Readonly<Record<string, unknown>>;
  /** The encoder's configuration (the vocabulary itself is a file listed in `files`). */
  readonly encoder: Readonly<Record<string, unknown>>;
  readonly training: {
    readonly createdAt: string;
    readonly seed?: number;
    readonly backend?: string;
    /** SHA-256 over the training texts and labels, to tell which data a model saw. */
    readonly dataFingerprint?: string;
    readonly examples?: number;
    /** Whether training batches held reviews of similar length (neural models; absent before it was an option). */
    readonly bucketByLength?: boolean;
    /** The pre-trained word vectors the embedding started from (neural models only). */
    readonly embeddings?: EmbeddingsRecord;
    /**
     * Records of the training run, one per step of the family's trainer: per epoch (loss, accuracy,
     * validation loss and accuracy, seconds) for the families trained in epochs, per solved
     * problem for the linear models. A non-finite number (a diverged loss) is saved as null.
     */
    readonly history?: readonly Readonly<Record<string, number | null>>[];
    /** Early stopping's settings and outcome, when it was on. */
    readonly earlyStopping?: {
      readonly patience: number;
      readonly minDelta: number;
      /** The epoch with the lowest validation loss (0 when none was a finite number). */
      readonly bestEpoch: number;
      readonly bestValLoss: number | null;
      /** The epoch after which training stopped early; null when every epoch ran. */
      readonly stoppedEpoch: number | null;
      /** Whether the saved weights are the best epoch's rather than the last one's. */
      readonly restored: boolean;
    };
    /** The weight of each label's examples in the loss, when they were not all 1. */
    readonly classWeights?: Readonly<Record<string, number>>;
    /**
     * Wall-clock seconds of training from raw text, by stage (the linear models: tokenizing,
     * features, fitting) and in all (`total`, bookkeeping included).
     */
    readonly seconds?: Readonly<Record<string, number>>;
  };
  readonly metrics?: Readonly<Record<string, number>>;
  readonly files: Readonly<Record<string, FileRecord>>;
  readonly polarityVersion?: string;
  /**
   * SHA-256 of the manifest's other fields (see `manifestDigest`), so that its own fields (kind,
   * labels, format version, hyper-parameters, file checksums) are checked as the files are. Absent
   * from manifests written before it was added, which still load.
   */
  readonly manifestSha256?: string;
}

/** Pre-trained word vectors a neural model's embedding started from, as its manifest records them. */
export interface EmbeddingsRecord {
  /** The vector file's name without its directory: a full path would record the training machine's layout. */
  readonly file: string;
  readonly format: string;
  readonly dim: number;
  /** Kept fixed during training (true) or fine-tuned with the rest of the model. */
  readonly frozen: boolean;
  readonly coverage: {
    /** Vocabulary words that own an embedding row. */
    readonly words: number;
    /** Of them, words that got a vector from the file. */
    readonly found: number;
    /** Of `found`, words matched through a differently cased word of the file. */
    readonly foundByCase: number;
    /** Share of the training tokens whose word got a vector. */
    readonly tokenShare?: number;
  };
}

/**
 * The SHA-256 (hex) of a manifest without its `manifestSha256`, over a canonical serialisation: JSON
 * with every object's keys sorted and no spaces, of the manifest as JSON would write it. The same
 * fields give the same digest whatever their order or the file's indentation.
 */
export function manifestDigest(manifest: object): string {
  const { manifestSha256: _ignored, ...fields } = JSON.parse(JSON.stringify(manifest)) as Record<
    string,
    unknown
  >;
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/** The manifest with its `manifestSha256` (re)computed: what is written to `polarity.json`. */
export function sealManifest<T extends object>(manifest: T): T & { manifestSha256: string } {
  return { ...manifest, manifestSha256: manifestDigest(manifest) };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A field's value as a message shows it: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Whether `value` is a model's labels: a list of at least two label names. */
export function isLabelList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length >= 2 && value.every((label) => typeof label === 'string');
}

/**
 * Checks the parsed `polarity.json` field by field, then its `manifestSha256` when it has one; the
 * error names the field that is wrong, and says whether it is missing or of the wrong type.
 */
export function validateManifest(value: unknown, file: string): ModelManifest {
  const fail = (what: string): never => {
    throw new ModelFormatError(`not a valid Polarity manifest: ${what}`, file);
  };
  const wrong = (key: string, expected: string): never =>
    fail(
      m[key] === undefined ? `"${key}" is missing` : `"${key}" should be ${expected}, found ${shown(m[key])}`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format !== FORMAT_NAME)
    fail(`"format" should be "${FORMAT_NAME}", found ${JSON.stringify(m.format)}`);
  if (typeof m.formatVersion !== 'number') wrong('formatVersion', 'a number');
  if ((m.formatVersion as number) > FORMAT_VERSION) {
    fail(
      `format version ${m.formatVersion} is newer than this Polarity understands (${FORMAT_VERSION}); upgrade Polarity`,
    );
  }
  if (typeof m.kind !== 'string' || m.kind === '') wrong('kind', 'a model family name');
  if (!isLabelList(m.labels)) wrong('labels', 'a list of at least two label names');
  for (const key of ['hyperParameters', 'encoder', 'training', 'files'] as const) {
    if (typeof m[key] !== 'object' || m[key] === null || Array.isArray(m[key])) wrong(key, 'an object');
  }
  for (const [name, record] of Object.entries(m.files as Record<string, unknown>)) {
    const r = record as Partial<FileRecord> | null;
    if (
      !r ||
      typeof r.bytes !== 'number' ||
      typeof r.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(r.sha256)
    ) {
      fail(`"files.${name}" should have "bytes" and a hex "sha256"`);
    }
  }
  if (m.manifestSha256 !== undefined) {
    if (typeof m.manifestSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.manifestSha256)) {
      wrong('manifestSha256', 'a hex SHA-256');
    }
    if (m.manifestSha256 !== manifestDigest(m)) {
      throw new ModelFormatError(
        '"manifestSha256" does not match the manifest: its fields were changed after the model was saved',
        file,
      );
    }
  }
  return value as ModelManifest;
}
