import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelFormatError } from '../errors.js';
import { exists } from '../util/paths.js';
import { writeDirectoryAtomically, type FileContents } from './atomic-dir.js';
import { recoverIfInterrupted } from './interrupted-write.js';
import {
  FORMAT_NAME,
  FORMAT_VERSION,
  MANIFEST_FILE,
  sealManifest,
  validateManifest,
  type FileRecord,
  type ModelManifest,
} from './manifest.js';

export type { FileContents };

export function sha256Hex(data: FileContents): string {
  return createHash('sha256').update(data).digest('hex');
}

export function describeFile(data: FileContents): FileRecord {
  return {
    bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength,
    sha256: sha256Hex(data),
  };
}

/**
 * Writes a model directory atomically: every file goes into a fresh temp directory beside `dir`,
 * which is renamed onto `dir` only when complete. A crash mid-way leaves the old model (or
 * nothing) under `dir`, never a mixture; what stands at `dir` is replaced only as the output policy
 * allows (see output-dir.ts). The manifest gets the format name and version, the size and checksum
 * of each file, and a checksum of its own fields (`manifestSha256`).
 */
export async function writeModelDirectory(
  dir: string,
  manifest: Omit<ModelManifest, 'files' | 'format' | 'formatVersion'>,
  files: Readonly<Record<string, FileContents>>,
): Promise<void> {
  const records: Record<string, FileRecord> = {};
  for (const [name, data] of Object.entries(files)) records[name] = describeFile(data);
  // Sealed last: the digest covers every other field, the file records included.
  const full: ModelManifest = sealManifest({
    format: FORMAT_NAME,
    formatVersion: FORMAT_VERSION,
    ...manifest,
    files: records,
  });
  // Names may hold '/', for models that nest others (an ensemble's members).
  await writeDirectoryAtomically(
    dir,
    { ...files, [MANIFEST_FILE]: JSON.stringify(full, null, 2) + '\n' },
    'model',
  );
}

/**
 * Adds files to a saved model directory and lists them (size and checksum) in its manifest: for what
 * belongs with a model without being part of it, such as the record of which rows of its data were held
 * out for testing. The new manifest is written first under a temp name (`.polarity.json-XXXXXXXX`),
 * then the files, and the manifest is replaced last, by a rename. A crash therefore leaves at worst
 * files that the pending manifest beside the valid one lists, which the output policy recognises as
 * Polarity's own. A name the manifest already lists is an error: model files are never overwritten this way.
 */
export async function addModelFiles(
  dir: string,
  files: Readonly<Record<string, FileContents>>,
): Promise<void> {
  const manifest = await readManifest(dir);
  const records: Record<string, FileRecord> = { ...manifest.files };
  for (const [name, data] of Object.entries(files)) {
    if (name === MANIFEST_FILE || records[name]) {
      throw new ModelFormatError(`"${name}" is already part of the model directory`, dir);
    }
    records[name] = describeFile(data);
  }
  const temp = join(dir, `.${MANIFEST_FILE}-${randomBytes(4).toString('hex')}`);
  await writeFile(temp, JSON.stringify(sealManifest({ ...manifest, files: records }), null, 2) + '\n');
  for (const [name, data] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), data);
  }
  await rename(temp, join(dir, MANIFEST_FILE));
}

/** Reads and validates `polarity.json`; a missing directory or manifest is a clear ModelFormatError. */
export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = join(dir, MANIFEST_FILE);
  // A write killed between its two renames leaves the model under a temp name beside `dir`: put it back.
  if (!(await exists(dir))) await recoverIfInterrupted(dir);
  if (!(await exists(dir))) throw new ModelFormatError('model directory does not exist', dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ModelFormatError(`missing ${MANIFEST_FILE}: this is not a Polarity model directory`, dir);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(
      `not valid JSON (${(error as Error).message}); the file may be truncated`,
      file,
    );
  }
  return validateManifest(parsed, file);
}

/** Reads one file listed in the manifest, checking it is there, whole, and the one that was saved. */
export async function readModelFile(dir: string, manifest: ModelManifest, name: string): Promise<Buffer> {
  const file = join(dir, name);
  const expected = manifest.files[name];
  if (!expected) throw new ModelFormatError(`the manifest does not list "${name}"`, join(dir, MANIFEST_FILE));
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw new ModelFormatError('missing file of the model directory', file);
  }
  if (data.byteLength !== expected.bytes) {
    throw new ModelFormatError(
      `expected ${expected.bytes} bytes, found ${data.byteLength}: the file is truncated or was replaced`,
      file,
    );
  }
  if (sha256Hex(data) !== expected.sha256) {
    throw new ModelFormatError(
      'checksum does not match the manifest: the file was changed or comes from another model',
      file,
    );
  }
  return data;
}

/**
 * Every file of a saved model directory, manifest included, each checked against the manifest:
 * what a model that nests another (an ensemble) copies into its own directory.
 */
export async function readModelDirectory(dir: string): Promise<Record<string, Buffer>> {
  const manifest = await readManifest(dir);
  const files: Record<string, Buffer> = { [MANIFEST_FILE]: await readFile(join(dir, MANIFEST_FILE)) };
  for (const name of Object.keys(manifest.files)) files[name] = await readModelFile(dir, manifest, name);
  return files;
}
