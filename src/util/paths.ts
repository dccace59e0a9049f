/** Questions about a path or a process that every layer asks, answered once. */
import { stat } from 'node:fs/promises';

/** Whether anything stands at `path` (a missing path, or one we may not look at, is false). */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

export async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

/**
 * Whether process `pid` runs on this host: `kill(pid, 0)` sends nothing and fails with ESRCH for a
 * pid that no process has (EPERM means it runs, as another user).
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
