/**
 * One writer per output path: a lock file `.polarity-lock-NAME` beside the output `NAME`, created
 * exclusively and holding the owner's pid, host and start time. A second process that wants the same output
 * fails at once with a message naming the path and the owner, instead of training for minutes and then
 * racing the first one's rename. A lock whose owner has died (same host, pid gone: a SIGKILL, a power
 * cut) is taken over. Locks are re-entrant within a process (a checkpoint directory written every epoch,
 * a command that claims its output at the start and writes it at the end) and removed when the process
 * exits.
 *
 * The file is written whole before it takes the lock's name (see tryCreate).
 *
 * Limits, documented rather than hidden: two processes that find the same stale lock within the same
 * moment may both take it over (the window is one unlink and one create); a lock written by another host
 * (a shared file system) is never taken over, since its pid cannot be checked there; a pid reused by an
 * unrelated process keeps the lock held until its file is removed by hand (the message names it).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PolarityError } from '../errors.js';
import { isProcessRunning } from '../util/paths.js';

export const LOCK_PREFIX = '.polarity-lock-';

/** What a lock file holds: enough to tell the user who holds it, and to tell a dead owner. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly command: string;
}

interface HeldLock {
  readonly file: string;
  count: number;
}

/** Locks this process holds, by the lock file's path. */
const held = new Map<string, HeldLock>();
/** Empty folders this process created for its outputs' parents, removed at exit if still empty. */
const createdFolders = new Set<string>();
let exitHookInstalled = false;

/** The lock file of output `path` (an absolute path). */
export function lockFileFor(path: string): string {
  return join(dirname(path), `${LOCK_PREFIX}${basename(path)}`);
}

/**
 * Takes the lock of output `path` (absolute; its parent must exist) or throws a PolarityError naming the
 * path (as `shown`, e.g. "--out models/x") and the process that holds it. Returns a release function; a lock taken twice by this process is
 * released when both have released it.
 */
export function acquireOutputLock(path: string, shown = path): () => void {
  const file = lockFileFor(path);
  const mine = held.get(file);
  if (mine) {
    mine.count++;
    return once(() => release(file));
  }
  // Two tries: the second after removing a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file)) {
      removeDeadOwnersTemps(file);
      held.set(file, { file, count: 1 });
      installExitHook();
      return once(() => release(file));
    }
    const owner = readOwner(file);
    if (owner === undefined || !isStale(owner)) {
      throw new PolarityError(
        `${shown} is being written by another Polarity process${owner ? ` (pid ${owner.pid} on ${owner.host}, \`${owner.command}\`, since ${owner.started})` : ''}: ` +
          `wait for it to finish, or choose another output; if no such process is running, remove the lock file ${file}`,
      );
    }
    try {
      unlinkSync(file);
    } catch {
      // Someone else removed it first: try to create it again.
    }
  }
  throw new PolarityError(
    `${shown}: could not take the lock ${file} from a process that has ended; try again`,
  );
}

/** Whether this process holds the lock of output `path`. */
export function holdsOutputLock(path: string): boolean {
  return held.has(lockFileFor(path));
}

/** Records a folder this process created for an output's parent, to remove at exit if nothing was put in it. */
export function rememberCreatedFolder(folder: string): void {
  createdFolders.add(folder);
  installExitHook();
}

/**
 * Creates the lock file whole or not at all: the owner is written to a temp file that is then
 * hard-linked under the lock's name (link fails with EEXIST when a lock is there, as O_EXCL would).
 * Creating the lock file itself and writing into it would leave an empty lock, held for ever, if the
 * process were killed between the two, and let another process read it half-written.
 */
function tryCreate(file: string): boolean {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command: ['polarity', ...process.argv.slice(2)].join(' ').slice(0, 200),
  };
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(owner) + '\n', { flag: 'wx' });
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new PolarityError(`cannot create the lock file ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Not created: nothing to remove.
    }
  }
}

/**
 * Removes the temp files of lock `file` (`.polarity-lock-NAME.PID.HEX.tmp`) whose process has ended:
 * a SIGKILL between writing one and unlinking it (tryCreate) leaves it behind. A temp of a running
 * process other than this one is its tryCreate in flight and stays; one with this process's pid is
 * an earlier run's (this process has none outside tryCreate).
 */
function removeDeadOwnersTemps(file: string): void {
  const folder = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    if (pid !== process.pid && isProcessRunning(pid)) continue;
    try {
      unlinkSync(join(folder, name));
    } catch {
      // Removed by another process first.
    }
  }
}

/** The lock's owner; undefined when the file is gone or unreadable (then it is treated as held). */
function readOwner(file: string): LockOwner | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return {
      pid: value.pid,
      host: value.host,
      started: String(value.started ?? '?'),
      command: String(value.command ?? 'polarity'),
    };
  } catch {
    return undefined;
  }
}

/** An owner on this host whose pid no longer runs. */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  // Our own pid on a lock this process does not hold: an earlier run that had the same pid (containers
  // start their first process with the same pid every time).
  return owner.pid === process.pid || !isProcessRunning(owner.pid);
}

function release(file: string): void {
  const lock = held.get(file);
  if (!lock || --lock.count > 0) return;
  held.delete(file);
  try {
    unlinkSync(file);
  } catch {
    // Already gone: nothing to release.
  }
}

/** Runs on every exit that lets JavaScript run (not SIGKILL: a stale lock is taken over by the next run). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const file of [...held.keys()]) {
      held.get(file)!.count = 1;
      release(file);
    }
    // Deepest first; rmdir removes only empty folders, so one that received output stays.
    for (const folder of [...createdFolders].sort((a, b) => b.length - a.length)) {
      try {
        rmdirSync(folder);
      } catch {
        // Not empty, or gone: keep it.
      }
    }
  });
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
