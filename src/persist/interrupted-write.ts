/**
 * Writes that were killed mid-way (SIGKILL, a power cut): the names a directory write uses beside its
 * target, and the recovery that the next write of the same place (or a reader) runs, so that the target
 * holds either its previous contents or the complete new ones.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { acquireOutputLock } from './output-lock.js';

/**
 * The names a write of `path` uses beside it, with one random suffix:
 * - `temp` (`.polarity-tmp-NAME-XXXXXXXX`): being filled; incomplete until renamed to `ready`;
 * - `ready` (`.polarity-new-NAME-XXXXXXXX`): complete, waiting to be renamed onto `path`;
 * - `old` (`.polarity-old-NAME-XXXXXXXX`): what stood at `path`, moved aside for `ready`.
 */
export function scratchPaths(path: string): { temp: string; ready: string; old: string } {
  const suffix = randomBytes(4).toString('hex');
  const at = (stage: string) => join(dirname(path), `.polarity-${stage}-${basename(path)}-${suffix}`);
  return { temp: at('tmp'), ready: at('new'), old: at('old') };
}

/**
 * Puts right what a write of `path` killed mid-way left (call it holding the lock of `path`). The write
 * moves `temp` to `ready`, then `path` to `old`, then `ready` to `path`, then removes `old`; a kill can
 * stop it between any two steps:
 * - `path` in place: leftovers are removed (an unfinished `temp`, a complete `ready` that never got
 *   in: the old output is kept, an `old` not yet removed);
 * - `path` missing (killed between the two renames): the complete `ready` is moved onto `path` (the
 *   new output wins), or, with no `ready`, the `old` is moved back.
 * So after any kill, `path` holds either the previous output or the complete new one, once this has run.
 * Returns what it did, for a note to the user ('' when there was nothing to do).
 */
export async function recoverInterruptedWrite(path: string): Promise<string> {
  const parent = dirname(path);
  const pattern = new RegExp(`^\\.polarity-(tmp|new|old)-${escapeRegExp(basename(path))}-[0-9a-f]{8}$`);
  const leftovers = (await readdir(parent).catch(() => [] as string[])).filter((e) => pattern.test(e));
  if (leftovers.length === 0) return '';
  let restored = '';
  if (!(await lstat(path).catch(() => undefined))) {
    const pick = async (stage: string) => {
      const found = leftovers.filter((e) => e.startsWith(`.polarity-${stage}-`));
      const times = await Promise.all(found.map(async (e) => (await stat(join(parent, e))).mtimeMs));
      return found[times.indexOf(Math.max(...times))];
    };
    const chosen = (await pick('new')) ?? (await pick('old'));
    if (chosen) {
      await rename(join(parent, chosen), path);
      restored = chosen;
    }
  }
  for (const leftover of leftovers) {
    if (leftover !== restored) await rm(join(parent, leftover), { recursive: true, force: true });
  }
  return restored
    ? `restored ${path} from ${restored}, left by an interrupted write`
    : `removed ${leftovers.length} leftover${leftovers.length === 1 ? '' : 's'} of an interrupted write beside ${path}`;
}

/**
 * For readers: when `dir` is missing because a write was killed between its two renames, puts the
 * output back (see `recoverInterruptedWrite`), unless another process is writing it now. Never throws.
 */
export async function recoverIfInterrupted(dir: string): Promise<void> {
  const path = resolve(dir);
  const parent = dirname(path);
  const stem = `-${basename(path)}-`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  if (!entries.some((e) => e.startsWith('.polarity-') && e.includes(stem))) return;
  let release: (() => void) | undefined;
  try {
    release = acquireOutputLock(path);
    await recoverInterruptedWrite(path);
  } catch {
    // Being written by another process, or not ours to fix: the reader reports the missing directory.
  } finally {
    release?.();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
