/**
 * What a saved model records of its training data, read back for evaluation: where the data was read
 * from (`data-source.json`), and how many of the texts it is scored on it was trained on
 * (`training-texts.bin`, or for a model saved before that file, the manifest's fingerprint of the
 * whole training set). Scores on texts a model was trained on say little of how it does on new ones.
 */
import { DATA_SOURCE_FILE, parseDataSource, type DataSourceRecord } from '../data/data-source.js';
import { fingerprintExamples } from '../data/fingerprint.js';
import { TEXT_HASHES_FILE, TextHashSet } from '../data/text-hashes.js';
import type { Example } from '../data/types.js';
import type { ModelManifest } from '../persist/manifest.js';
import { readManifest, readModelFile } from '../persist/model-dir.js';

export interface TrainingOverlap {
  /** Texts scored that were also training texts (each counted, repeats included). */
  readonly overlapping: number;
  /** Texts scored. */
  readonly total: number;
  /**
   * How it was found: text by text from the saved hashes, or (models saved without them) by the
   * whole set's fingerprint, which only tells that the texts and labels are the training set itself.
   */
  readonly by: 'text-hashes' | 'fingerprint';
}

/**
 * Where the model in `dir` was trained from; absent for data given in memory or a model saved before
 * the record. `read`: the manifest of `dir` when the caller has it already (not read again).
 */
export async function recordedDataSource(
  dir: string,
  read?: ModelManifest,
): Promise<DataSourceRecord | undefined> {
  const manifest = read ?? (await readManifest(dir));
  if (!manifest.files[DATA_SOURCE_FILE]) return undefined;
  const data = await readModelFile(dir, manifest, DATA_SOURCE_FILE);
  return parseDataSource(data.toString('utf8'), `${dir}/${DATA_SOURCE_FILE}`);
}

/**
 * How many of `examples` the model in `dir` was trained on; undefined when that cannot be told (a
 * model saved without hashes, on data that is not exactly its training set). `read`: the manifest of
 * `dir` when the caller has it already (not read again).
 * @throws ModelFormatError for a damaged model directory.
 */
export async function trainingOverlap(
  dir: string,
  examples: readonly Example[],
  read?: ModelManifest,
): Promise<TrainingOverlap | undefined> {
  const manifest = read ?? (await readManifest(dir));
  if (manifest.files[TEXT_HASHES_FILE]) {
    const bytes = await readModelFile(dir, manifest, TEXT_HASHES_FILE);
    const hashes = TextHashSet.fromBytes(bytes, `${dir}/${TEXT_HASHES_FILE}`);
    return {
      overlapping: hashes.countIn(examples.map((example) => example.text)),
      total: examples.length,
      by: 'text-hashes',
    };
  }
  const fingerprint = manifest.training.dataFingerprint;
  if (examples.length > 0 && fingerprint !== undefined && fingerprintExamples(examples) === fingerprint) {
    return { overlapping: examples.length, total: examples.length, by: 'fingerprint' };
  }
  return undefined;
}

/** The warning for an overlap, or undefined when there is none. */
export function overlapWarning(overlap: TrainingOverlap | undefined): string | undefined {
  if (!overlap || overlap.overlapping === 0) return undefined;
  if (overlap.by === 'fingerprint') {
    return `warning: these are the texts and labels the model was trained on (its manifest's dataFingerprint): the scores say little of how it does on new texts`;
  }
  const { overlapping, total } = overlap;
  const percent = (100 * overlapping) / total;
  // Rounding never shows an overlap as none or as all of the texts when it is neither.
  const shown = percent.toFixed(1).replace(/\.0$/, '');
  const share = percent < 0.1 ? '<0.1' : shown === '100' && overlapping < total ? '>99.9' : shown;
  return `warning: ${overlapping.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} test texts (${share}%) were in the training data`;
}
