/**
 * What Polarity may replace when it writes an output directory (a model, a checkpoint, a report, search
 * results): nothing that it did not write itself.
 *
 * - An output is written where nothing stands, where an empty directory stands, or where a Polarity
 *   directory of the same kind stands, recognised by its `polarity.json` (a model's manifest, a report's
 *   or search's marker) and holding no file that the marker does not list.
 * - Anything else is refused with a PolarityError naming the path, unless the caller passes `overwrite`.
 * - Refused always, `overwrite` or not: a path where a file (not a directory) stands; the current
 *   directory or a directory above it; a directory that is or holds one of the command's inputs.
 *
 * A command claims its outputs at its start (`claimOutputDir`): the policy is checked and the lock taken
 * before any training, so a refused path or a second writer is reported within a second. The writer
 * (`beginOutputWrite`, from `writeDirectoryAtomically`) checks again under the same lock and finds the
 * claim's `overwrite` and inputs, so the library's `save(dir)` needs no extra argument.
 *
 * Interrupted writes: see interrupted-write.ts.
 */
import { realpathSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PolarityError } from '../errors.js';
import { FORMAT_NAME, MANIFEST_FILE } from './manifest.js';
import { recoverInterruptedWrite } from './interrupted-write.js';
import { acquireOutputLock, rememberCreatedFolder } from './output-lock.js';

export type OutputKind = 'model' | 'report' | 'search';

/** The `format` of each kind's `polarity.json`. */
export const OUTPUT_FORMATS: Readonly<Record<OutputKind, string>> = {
  model: FORMAT_NAME,
  report: 'polarity-report',
  search: 'polarity-search',
};

const KIND_NAMES: Readonly<Record<OutputKind, string>> = {
  model: 'model',
  report: 'report',
  search: 'search results',
};

export interface OutputOptions {
  /** Replace a directory that is not a Polarity output of this kind (still never a file, the data or the current directory). */
  readonly overwrite?: boolean;
  /** The command's inputs (data, word vectors, saved models): an output that is or holds one is refused. */
  readonly inputs?: readonly string[];
  /** The option that named the output, for messages, e.g. "--out". */
  readonly flag?: string;
}

/** The `polarity.json` of a report or search directory: its kind and the files it wrote. */
export function outputMarker(kind: Exclude<OutputKind, 'model'>, files: readonly string[]): string {
  const marker = {
    format: OUTPUT_FORMATS[kind],
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    files,
  };
  return JSON.stringify(marker, null, 2) + '\n';
}

interface Claim {
  readonly kind: OutputKind;
  readonly options: OutputOptions;
  readonly release: () => void;
}

/** Outputs this process has claimed, by absolute path. */
const claims = new Map<string, Claim>();

/**
 * Checks that `dir` may receive output of `kind` and locks it for this process until it exits (or
 * `releaseOutputClaims`), cleaning up what an interrupted earlier write left beside it. Throws a
 * PolarityError naming the path when it may not, or when another process holds it. Returns what the
 * clean-up did ('' when nothing), for a note to the user.
 */
export async function claimOutputDir(
  dir: string,
  kind: OutputKind,
  options: OutputOptions = {},
): Promise<string> {
  const path = resolve(dir);
  const previous = claims.get(path);
  const { release, recovered } = await checkAndLock(path, kind, options);
  if (previous) previous.release();
  claims.set(path, { kind, options, release });
  return recovered;
}

/** Gives up every claim of this process (their locks included). */
export function releaseOutputClaims(): void {
  for (const claim of claims.values()) claim.release();
  claims.clear();
}

/**
 * Starts writing output `dir` of `kind`: under its lock, after recovering an interrupted write, with the
 * policy checked with the options `dir` was claimed with (defaults when it was not). Returns the absolute
 * path and the function that releases the lock once the write is done.
 */
export async function beginOutputWrite(
  dir: string,
  kind: OutputKind,
): Promise<{ readonly path: string; readonly release: () => void }> {
  const path = resolve(dir);
  const claim = claims.get(path);
  if (claim && claim.kind !== kind) {
    throw new PolarityError(`${dir} was claimed for a ${KIND_NAMES[claim.kind]}, not a ${KIND_NAMES[kind]}`);
  }
  const { release } = await checkAndLock(path, kind, claim?.options ?? {});
  return { path, release };
}

async function checkAndLock(
  path: string,
  kind: OutputKind,
  options: OutputOptions,
): Promise<{ release: () => void; recovered: string }> {
  const shown = describePath(path, options);
  let release: (() => void) | undefined;
  try {
    await checkNeverReplaced(path, shown, options);
    await makeParent(path);
    release = acquireOutputLock(path, shown);
    const recovered = await recoverInterruptedWrite(path);
    await checkReplaceable(path, kind, shown, options);
    return { release, recovered };
  } catch (error) {
    release?.();
    if (error instanceof PolarityError) throw error;
    // A folder that cannot be created or read (permissions, a file in the way): the user's to fix.
    throw new PolarityError(`cannot write ${shown}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The same policy for an output file (`cv --out FILE`), written by a rename over it: never where a
 * directory stands, never over one of the inputs (the same file through a link or a hard link too);
 * an existing file is replaced only when `isOwn` recognises its start as Polarity's output, or with
 * `overwrite`.
 */
export async function checkOutputFile(
  file: string,
  isOwn: (start: string) => boolean,
  options: OutputOptions = {},
): Promise<void> {
  const path = resolve(file);
  const shown = describePath(path, options);
  const found = await stat(path).catch(() => undefined);
  if (!found) return;
  if (found.isDirectory()) throw new PolarityError(`${shown} is a directory; give a file name`);
  for (const input of options.inputs ?? []) {
    const other = await stat(input).catch(() => undefined);
    if (other && other.dev === found.dev && other.ino === found.ino) {
      throw new PolarityError(
        `${shown} is the input ${input}: Polarity never replaces its own input (even with --overwrite); choose another path`,
      );
    }
  }
  if (options.overwrite) return;
  const handle = await open(path, 'r');
  let start: string;
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    start = buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  if (!isOwn(start)) {
    throw new PolarityError(
      `${shown} exists and was not written by Polarity: refusing to replace it. Pass --overwrite to replace it anyway, or choose another ${options.flag ?? 'file'}`,
    );
  }
}

// --- the rules -------------------------------------------------------------------------------------

/** The refusals that `overwrite` does not lift. */
async function checkNeverReplaced(path: string, shown: string, options: OutputOptions): Promise<void> {
  const found = await lstat(path).catch(() => undefined);
  // Through a link too: a link to a file is replaced by a directory only if the user removes it.
  const target = found?.isSymbolicLink() ? await stat(path).catch(() => undefined) : found;
  if (found && target && !target.isDirectory()) {
    throw new PolarityError(
      `${shown} is a file, not a directory: Polarity never replaces a file with a directory (even with --overwrite); choose another path`,
    );
  }
  const real = realPath(path);
  const cwd = realPath(process.cwd());
  if (isWithin(cwd, real)) {
    throw new PolarityError(
      `${shown} ${cwd === real ? 'is' : 'holds'} the current directory: Polarity never replaces it (even with --overwrite); choose a new directory`,
    );
  }
  for (const input of options.inputs ?? []) {
    if (isWithin(realPath(resolve(input)), real)) {
      throw new PolarityError(
        `${shown} ${realPath(resolve(input)) === real ? 'is' : 'holds'} the input ${input}: Polarity never replaces its own input (even with --overwrite); choose another path`,
      );
    }
  }
}

/** The refusal that `overwrite` lifts: a directory that is not empty and not this kind's Polarity output. */
async function checkReplaceable(
  path: string,
  kind: OutputKind,
  shown: string,
  options: OutputOptions,
): Promise<void> {
  if (options.overwrite) return;
  const found = await lstat(path).catch(() => undefined);
  if (!found) return;
  const problem = found.isSymbolicLink()
    ? 'is a symbolic link (writing would replace the link)'
    : await foreignContents(path, kind);
  if (problem === undefined) return;
  const flag = options.flag ?? 'the output';
  throw new PolarityError(
    `${shown} ${problem}: refusing to replace it. Pass --overwrite to replace it anyway, or choose another ${flag}`,
  );
}

/** Why the directory is not this kind's Polarity output; undefined when it is, or is empty. */
async function foreignContents(path: string, kind: OutputKind): Promise<string | undefined> {
  const entries = await readdir(path);
  if (entries.length === 0) return undefined;
  const marker = await readMarker(path);
  const format = marker?.format;
  const wanted = OUTPUT_FORMATS[kind];
  if (typeof format === 'string' && format !== wanted) {
    const other = (Object.keys(OUTPUT_FORMATS) as OutputKind[]).find((k) => OUTPUT_FORMATS[k] === format);
    return `is a Polarity ${other ? KIND_NAMES[other] : format} directory, not a ${KIND_NAMES[kind]} directory`;
  }
  const notOurs = `is not a Polarity ${KIND_NAMES[kind]} directory (it holds ${preview(entries)})`;
  let listed = format === wanted ? listedFiles(marker!) : undefined;
  if (!listed && kind !== 'model' && (await isLegacyOutput(path, kind))) {
    listed = new Set(entries.filter((e) => LEGACY_NAMES[kind].test(e)));
  }
  if (!listed) return notOurs;
  const foreign = await unlistedFiles(path, listed);
  if (foreign.length === 0) return undefined;
  return `is a Polarity ${KIND_NAMES[kind]} directory but also holds files Polarity did not write (${preview(foreign)})`;
}

/** The JSON object in `file` of directory `path` (its `polarity.json` by default), if it holds one. */
async function readMarker(path: string, file = MANIFEST_FILE): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(join(path, file), 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The files a marker lists: a model manifest's `files` object, a report's or search's `files` list. */
function listedFiles(marker: Record<string, unknown>): Set<string> | undefined {
  const files = marker.files;
  const names = Array.isArray(files)
    ? files.filter((f): f is string => typeof f === 'string')
    : typeof files === 'object' && files !== null
      ? Object.keys(files)
      : undefined;
  return names && new Set([...names, MANIFEST_FILE]);
}

/**
 * Reports and search results written before they had a marker: recognised by their contents (a report
 * page's footer, search's results.json) and by the names Polarity gives their files. Models always had
 * their manifest.
 */
const LEGACY_NAMES: Readonly<Record<Exclude<OutputKind, 'model'>, RegExp>> = {
  report: /^(index\.html|[a-z0-9][a-z0-9-]*\.(svg|png|vl\.json|csv))$/,
  search: /^(results\.csv|results\.json)$/,
};

/** The footer every report page written by Polarity carries. */
const REPORT_FOOTER = '<footer>Charts drawn with Vega-Lite;';

async function isLegacyOutput(path: string, kind: Exclude<OutputKind, 'model'>): Promise<boolean> {
  try {
    if (kind === 'report') return (await readFile(join(path, 'index.html'), 'utf8')).includes(REPORT_FOOTER);
    const results = JSON.parse(await readFile(join(path, 'results.json'), 'utf8')) as Record<string, unknown>;
    return Array.isArray(results.trials) && 'bestTrial' in results;
  } catch {
    return false; // absent, or not JSON
  }
}

/** The pending manifest an interrupted `addModelFiles` may leave beside `polarity.json`. */
const PENDING_MANIFEST = /^\.polarity\.json-[0-9a-f]{8}$/;

/**
 * Every file under `path` (relative, '/'-separated) that `allowed` does not list. The pending
 * manifests of an interrupted `addModelFiles` are allowed, and so are the files they list (written
 * after the pending manifest, before it replaced the real one). Directories are not listed themselves.
 */
async function unlistedFiles(path: string, listed: ReadonlySet<string>): Promise<string[]> {
  const allowed = new Set(listed);
  for (const name of (await readdir(path)).filter((entry) => PENDING_MANIFEST.test(entry))) {
    const pending = await readMarker(path, name);
    if (pending) for (const file of listedFiles(pending) ?? []) allowed.add(file);
  }
  const foreign: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      const name = relative(path, full).split(sep).join('/');
      if (entry.isDirectory()) await walk(full);
      else if (!allowed.has(name) && !PENDING_MANIFEST.test(name)) foreign.push(name);
    }
  };
  await walk(path);
  return foreign;
}

function preview(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

// --- paths -----------------------------------------------------------------------------------------

/** Creates the parent of `path`; folders created here and left empty are removed when the process exits. */
async function makeParent(path: string): Promise<void> {
  const parent = dirname(path);
  const first = await mkdir(parent, { recursive: true });
  if (first === undefined) return;
  for (let folder = parent; folder.length >= first.length; folder = dirname(folder)) {
    rememberCreatedFolder(folder);
    if (folder === first) break;
  }
}

/** `path` with links resolved as far as it exists, so that two spellings of one place compare equal. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

/** Whether `inner` is `outer` or lies inside it. */
function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function describePath(path: string, options: OutputOptions): string {
  const shown = relative(process.cwd(), path) || '.';
  const name = shown.startsWith('..') ? path : shown;
  return options.flag ? `${options.flag} ${name}` : name;
}

/** Whether two outputs of one command overlap: the same directory, or one inside the other. */
export function outputsOverlap(a: string, b: string): boolean {
  const ra = realPath(resolve(a));
  const rb = realPath(resolve(b));
  return isWithin(ra, rb) || isWithin(rb, ra);
}

/** Whether `a` and `b` name the same place (through links too). */
export function samePlace(a: string, b: string): boolean {
  return realPath(resolve(a)) === realPath(resolve(b));
}
