import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PolarityError } from '../errors.js';
import { scratchPaths } from './interrupted-write.js';
import { beginOutputWrite, type OutputKind } from './output-dir.js';

/** The contents of a file to write: bytes or UTF-8 text. */
export type FileContents = Uint8Array | string;

/**
 * Writes output directory `dir` of `kind` whole or not at all, replacing only what the output policy
 * allows (see output-dir.ts: nothing, an empty directory, or a Polarity output of the same kind, unless
 * the command was claimed with `overwrite`), under a lock against a second writer. Names may hold '/',
 * for nested files.
 *
 * The guarantee, whatever moment the process is killed at (SIGKILL, power cut): `dir` holds either what
 * it held before or the complete new directory, never a mixture, once the next write of `dir` (or a
 * model load, see `readManifest`) has run the recovery of `recoverInterruptedWrite`. The files go into a
 * temp directory beside `dir`, which is renamed to a "ready" name only when every file is written; then
 * the old `dir` is moved aside, the ready one renamed onto `dir`, and the old one removed. Between those
 * two renames `dir` is missing for an instant (POSIX has no portable way to swap two directories): a kill
 * there leaves the complete new directory under its ready name, which the recovery moves into place.
 */
export async function writeDirectoryAtomically(
  dir: string,
  files: Readonly<Record<string, FileContents>>,
  kind: OutputKind,
): Promise<void> {
  const { path, release } = await beginOutputWrite(dir, kind);
  const { temp, ready, old } = scratchPaths(path);
  try {
    await mkdir(temp);
    try {
      for (const [name, data] of Object.entries(files)) {
        await mkdir(dirname(join(temp, name)), { recursive: true });
        await writeFile(join(temp, name), data);
      }
      await rename(temp, ready);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
    // lstat: a link standing at `dir` (replaced only with --overwrite) is moved aside, not followed.
    const existed = (await lstat(path).catch(() => undefined)) !== undefined;
    if (existed) await rename(path, old);
    try {
      await rename(ready, path);
    } catch (error) {
      if (existed) await rename(old, path).catch(() => undefined);
      throw error;
    }
    if (existed) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(ready, { recursive: true, force: true });
    if (error instanceof PolarityError) throw error;
    throw new PolarityError(`could not write ${dir}: ${(error as Error).message}`, { cause: error });
  } finally {
    release();
  }
}
