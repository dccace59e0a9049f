/**
 * A file written as a stream but replaced atomically: everything goes to a temp file beside the
 * target, which is renamed onto the target only by `commit()`. Until then the target keeps its old
 * contents (or stays absent), whatever happens: an error, Ctrl-C or SIGTERM (the temp file is removed),
 * or SIGKILL and power loss (a temp file may be left behind, and is removed by the next write to the
 * same target). A rename within one directory is atomic on POSIX file systems, so a reader sees the
 * complete old file or the complete new one, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, unlinkSync } from 'node:fs';
import { chmod, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { cleanUpOnSignal } from './interrupt.js';
import { isProcessRunning } from './paths.js';

export interface AtomicWriteStream {
  /** Write the new contents here. */
  readonly stream: Writable;
  /** The temp file being written, beside the target. */
  readonly tempPath: string;
  /** Ends the stream, flushes it to disk and renames the temp file onto the target. */
  commit(): Promise<void>;
  /** Drops what was written; the target is untouched. Safe to call more than once, or after `commit` failed. */
  abort(): Promise<void>;
}

const TEMP_SUFFIX = '.partial';

/** `.NAME.PID.RANDOM.partial`, hidden beside NAME; the process id lets the next writer clear stale ones. */
function tempName(target: string): string {
  return `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
}

/**
 * Opens a temp file beside `path` (beside its target if `path` is a symbolic link, so that the link is
 * kept). The new file gets the permissions of the one it replaces.
 */
export async function openAtomicWriteStream(path: string): Promise<AtomicWriteStream> {
  // Resolving the link writes through it, as writing in place did, instead of replacing the link.
  const target = await realpath(path).catch(() => path);
  const previous = await stat(target).catch(() => undefined);
  await removeStaleTempFiles(target);
  const tempPath = join(dirname(target), tempName(target));
  const stream = createWriteStream(tempPath, { flags: 'wx', mode: 0o666 });
  // An error (a full disk) may come while no write is waiting for it: keep it for commit().
  stream.on('error', () => undefined);
  await once(stream, 'ready');
  const forget = cleanUpOnSignal(() => unlinkSync(tempPath));
  let settled = false;
  const abort = async () => {
    if (settled) return;
    settled = true;
    forget();
    stream.destroy();
    await rm(tempPath, { force: true });
  };
  try {
    if (previous) await chmod(tempPath, previous.mode & 0o7777);
  } catch (error) {
    await abort();
    throw error;
  }
  return {
    stream,
    tempPath,
    async commit() {
      if (settled) throw new Error(`${path}: already committed or aborted`);
      try {
        stream.end();
        await finished(stream);
        await syncToDisk(tempPath);
        await rename(tempPath, target);
      } catch (error) {
        await abort();
        throw error;
      }
      settled = true;
      forget();
    },
    abort,
  };
}

/** Flushes the file's data to the disk, so that the rename never puts an empty file in place after a power loss. */
async function syncToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes temp files of `target` left by processes that no longer run (killed with SIGKILL, say). */
async function removeStaleTempFiles(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const match = /^(\d+)\.[0-9a-f]{8}$/.exec(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (match && !isProcessRunning(Number(match[1]))) await rm(join(dirname(target), name), { force: true });
  }
}
