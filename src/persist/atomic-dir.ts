import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type FileContents = Uint8Array | string;

/**
 * Writes a directory atomically: every file goes into a fresh temp directory beside `dir`, which is
 * renamed onto `dir` only when complete. A crash mid-way leaves the old directory (or nothing) under
 * `dir`, never a mixture. Names may hold '/', for nested files.
 */
export async function writeDirectoryAtomically(
  dir: string,
  files: Readonly<Record<string, FileContents>>,
): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const temp = join(parent, `.polarity-tmp-${basename(dir)}-${suffix}`);
  const old = join(parent, `.polarity-old-${basename(dir)}-${suffix}`);
  await mkdir(temp);
  try {
    for (const [name, data] of Object.entries(files)) {
      await mkdir(dirname(join(temp, name)), { recursive: true });
      await writeFile(join(temp, name), data);
    }
    const existed = await exists(dir);
    if (existed) await rename(dir, old);
    await rename(temp, dir);
    if (existed) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
