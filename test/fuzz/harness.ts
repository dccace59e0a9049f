/**
 * The fuzz harness: runs one case of a target and says what came of it. A case passes when it succeeds
 * or fails with a typed Polarity error (naming the case's file, for targets that read one); it is a
 * crash when anything else is thrown, when it holds more than a bounded amount of memory, when it runs
 * past a deadline, or when it changes a file it was only meant to read. Both the short run in `npm test`
 * and the long one of `npm run fuzz` go through {@link runCase}.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type fc from 'fast-check';
import { DatasetError, ModelFormatError, PolarityError } from '../../src/errors.js';

/** One kind of input and what is done with it. */
export interface FuzzTarget<T> {
  readonly name: string;
  readonly input: fc.Arbitrary<T>;
  /**
   * True when a typed error about a file's content (DatasetError, ModelFormatError) must name a file of
   * the case's folder (readers and loaders); false for what reads no file (tokenizer, service).
   */
  readonly namesFile: boolean;
  /** Once before the cases (a model to load, a service to start). */
  setup?(): Promise<void>;
  /** Writes the case's input files into `dir`, a fresh folder; these must be the same after `run`. */
  prepare?(input: T, dir: string): Promise<void>;
  /** Reads the input. Returns on success; throws a PolarityError for input it refuses. */
  run(input: T, dir: string): Promise<void>;
  teardown?(): Promise<void>;
}

export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'typed'; readonly message: string; readonly aboutFile: boolean }
  | { readonly kind: 'crash'; readonly reason: string }
  | { readonly kind: 'changed'; readonly files: readonly string[] };

/** More than this held at once by one case (inputs are a few kilobytes) is a crash. */
export const MEMORY_BOUND_BYTES = 96 * 1024 * 1024;
/** A case runs for milliseconds; this is for one that never ends. */
export const CASE_DEADLINE_MS = 20_000;
const SAMPLE_EVERY_MS = 2;

/** Node's `gc()`, enabled at run time: a stable baseline makes the memory bound tight. */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** Runs one case of `target` in a fresh folder, removed afterwards. */
export async function runCase<T>(target: FuzzTarget<T>, input: T): Promise<Outcome> {
  const dir = await mkdtemp(join(tmpdir(), `polarity-fuzz-${target.name.replace(/\W+/g, '-')}-`));
  try {
    await target.prepare?.(input, dir);
    const before = await snapshot(dir);
    const outcome = await watched(() => target.run(input, dir));
    const changed = changedFiles(before, await snapshot(dir));
    if (changed.length > 0) return { kind: 'changed', files: changed };
    if (outcome.kind !== 'typed' || !target.namesFile || !outcome.aboutFile) return outcome;
    return outcome.message.includes(dir)
      ? outcome
      : { kind: 'crash', reason: `a typed error that names no file of the input: ${outcome.message}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `work`, classifying how it ends and watching the memory it holds meanwhile. */
async function watched(work: () => Promise<void>): Promise<Outcome> {
  collectGarbage();
  const baseline = memoryInUse();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryInUse())), SAMPLE_EVERY_MS);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: 'crash', reason: `still running after ${CASE_DEADLINE_MS} ms` }),
      CASE_DEADLINE_MS,
    );
  });
  // An error thrown where no promise holds it (a stream's 'error' with no listener) reaches the user as
  // an uncaught exception: the worst kind of crash, and one a try/catch around the case never sees.
  const stray: unknown[] = [];
  const onStray = (error: unknown) => stray.push(error);
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  try {
    const outcome = await Promise.race([
      work().then(
        (): Outcome => ({ kind: 'ok' }),
        (error: unknown): Outcome =>
          error instanceof PolarityError
            ? { kind: 'typed', message: error.message, aboutFile: isAboutFile(error) }
            : { kind: 'crash', reason: `untyped ${describe(error)}` },
      ),
      deadline,
    ]);
    // Late errors of the case (a rejection noticed on the next turn) count too.
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (stray.length > 0) return { kind: 'crash', reason: `uncaught ${describe(stray[0])}` };
    peak = Math.max(peak, memoryInUse());
    if (peak - baseline > MEMORY_BOUND_BYTES) {
      return {
        kind: 'crash',
        reason: `held ${Math.round((peak - baseline) / 2 ** 20)} MB (bound ${MEMORY_BOUND_BYTES / 2 ** 20} MB)`,
      };
    }
    return outcome;
  } finally {
    process.off('uncaughtException', onStray);
    process.off('unhandledRejection', onStray);
    clearInterval(sampler);
    clearTimeout(timer);
  }
}

/** The errors about a file's content, which must say which file (an OptionError is about a flag). */
function isAboutFile(error: PolarityError): boolean {
  return error instanceof DatasetError || error instanceof ModelFormatError;
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n') ?? ''}`;
  return String(error);
}

/** Every file under `dir` (recursively) with the hash of its bytes; what "unchanged" is checked against. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile())
        out.set(
          path,
          createHash('sha256')
            .update(await readFile(path))
            .digest('hex'),
        );
      else out.set(path, entry.isSymbolicLink() ? 'link' : 'other');
    }
  };
  await walk(dir);
  return out;
}

/** Files added, removed or changed between two snapshots. */
export function changedFiles(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  const changed = [...before].filter(([path, hash]) => after.get(path) !== hash).map(([path]) => path);
  for (const path of after.keys()) if (!before.has(path)) changed.push(path);
  return changed;
}

/** Counts over a run: what `npm run fuzz` prints. */
export class FuzzTally {
  cases = 0;
  typed = 0;
  crashes = 0;
  changed = 0;
  /** The first few failures, to print. */
  readonly failures: string[] = [];

  add(target: string, outcome: Outcome, input: unknown): void {
    this.cases++;
    if (outcome.kind === 'typed') this.typed++;
    if (outcome.kind === 'crash') this.crashes++;
    if (outcome.kind === 'changed') this.changed += outcome.files.length;
    if ((outcome.kind === 'crash' || outcome.kind === 'changed') && this.failures.length < 20) {
      this.failures.push(`${target}: ${explain(outcome)}\n  input: ${preview(input)}`);
    }
  }
}

export function explain(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'ok':
      return 'ok';
    case 'typed':
      return `typed error: ${outcome.message}`;
    case 'crash':
      return `crash: ${outcome.reason}`;
    case 'changed':
      return `changed files it should only read: ${outcome.files.join(', ')}`;
  }
}

function preview(input: unknown): string {
  const text = JSON.stringify(input, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
  );
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
