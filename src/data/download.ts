/**
 * Resumable, verified downloads. A dataset archive is large and networks drop: the bytes go to
 * `<dest>.part`, a later run (or a retry) continues it with an HTTP Range request, and only a
 * file whose SHA-256 matches is renamed to `dest`. So `dest` either does not exist or is exactly
 * the published file, and a corrupted or foreign download never poisons the cache.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DownloadError } from '../errors.js';
import type { ProgressCallback } from '../util/progress.js';
import { defaultCacheDir, IMDB_ARCHIVE } from './imdb-location.js';

export interface DownloadFileOptions {
  readonly url: string;
  /** The final path; written only once the whole file is there and its checksum matches. */
  readonly dest: string;
  /** The expected SHA-256, 64 hex digits. */
  readonly sha256: string;
  /** Called with task 'downloading', unit 'bytes' a few times a second, and once at the end. */
  readonly onProgress?: ProgressCallback;
  /** The fetch to use; tests and proxies can pass their own. Default: the global `fetch`. */
  readonly fetchImpl?: typeof fetch;
  /** How many times a failed network transfer is retried (resuming each time). Default 3. */
  readonly maxRetries?: number;
  /** Wait before the first retry, doubled for each next one. Default 1000 ms. */
  readonly retryDelayMs?: number;
  /** Abort (and retry) a transfer when no byte arrives for this long. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

export interface DownloadImdbOptions {
  /** Where to keep the archive. Default: `defaultCacheDir()`. */
  readonly cacheDir?: string;
  /** A mirror to fetch from instead of Stanford. */
  readonly url?: string;
  /** The checksum to expect instead of the official archive's (for a mirror of another file). */
  readonly sha256?: string;
  readonly onProgress?: ProgressCallback;
  readonly fetchImpl?: typeof fetch;
}

const PROGRESS_INTERVAL_MS = 200;
/** Errors that a retry cannot fix: the disk, not the network. */
const LOCAL_ERROR_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR']);

/**
 * Downloads `url` to `dest` and checks its SHA-256, resuming a `.part` left by an earlier run.
 * Returns `dest` at once when it already exists with the right checksum. Throws `DownloadError`
 * on an HTTP error, on network failure after `maxRetries` retries, or on a checksum mismatch (in
 * which case the partial file is deleted, since resuming it could never succeed).
 */
export async function downloadFile(options: DownloadFileOptions): Promise<string> {
  const { url, dest } = options;
  const expected = options.sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new DownloadError(`invalid SHA-256 "${options.sha256}" (expected 64 hexadecimal digits)`);
  }
  if ((await sizeOf(dest)) !== undefined && (await sha256File(dest)) === expected) return dest;

  await mkdir(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const maxRetries = options.maxRetries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  let failures = 0;
  for (;;) {
    try {
      if ((await transfer(options, part)) === 'complete') break;
    } catch (error) {
      if (error instanceof DownloadError || isLocalError(error)) throw wrap(error, url);
      failures++;
      if (failures > maxRetries) {
        throw new DownloadError(`download of ${url} failed after ${failures} attempts: ${messageOf(error)}`, {
          cause: error,
        });
      }
      await sleep(retryDelayMs * 2 ** (failures - 1));
    }
  }

  const actual = await sha256File(part);
  if (actual !== expected) {
    await rm(part, { force: true });
    throw new DownloadError(
      `checksum mismatch for ${url}: expected SHA-256 ${expected}, got ${actual} (the download was deleted)`,
    );
  }
  await rename(part, dest);
  return dest;
}

/**
 * Downloads the official IMDB archive into the cache folder (see `defaultCacheDir`) and returns
 * its path; a no-op when a verified copy is already there.
 */
export async function downloadImdb(options: DownloadImdbOptions = {}): Promise<string> {
  return downloadFile({
    url: options.url ?? IMDB_ARCHIVE.url,
    sha256: options.sha256 ?? IMDB_ARCHIVE.sha256,
    dest: join(options.cacheDir ?? defaultCacheDir(), IMDB_ARCHIVE.fileName),
    onProgress: options.onProgress,
    fetchImpl: options.fetchImpl,
  });
}

/**
 * One HTTP request: continues `part` if the server honours the Range, else starts it over.
 * Resolves 'complete' when `part` holds the whole file, 'restart' when it was thrown away and a
 * fresh request should follow; throws on network errors (retryable) and HTTP errors (not).
 */
async function transfer(options: DownloadFileOptions, part: string): Promise<'complete' | 'restart'> {
  const { url, onProgress } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const offset = (await sizeOf(part)) ?? 0;
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset > 0) headers.range = `bytes=${offset}-`;

  const abort = new AbortController();
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  let idle = setTimeout(() => abort.abort(new Error(`no data for ${idleTimeoutMs} ms`)), idleTimeoutMs);
  const resetIdle = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => abort.abort(new Error(`no data for ${idleTimeoutMs} ms`)), idleTimeoutMs);
  };
  try {
    const response = await fetchImpl(url, { headers, signal: abort.signal, redirect: 'follow' });
    const length = contentLength(response);
    let start: number;
    let total: number | undefined;
    if (response.status === 206 && offset > 0) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (range?.start !== offset) {
        await response.body?.cancel();
        await rm(part, { force: true });
        return 'restart';
      }
      start = offset;
      total = range.total ?? (length === undefined ? undefined : offset + length);
    } else if (response.status === 416 && offset > 0) {
      // The range starts at or past the end: the part is complete, or longer than the file.
      await response.body?.cancel();
      const range = parseContentRange(response.headers.get('content-range'));
      if (range?.total === offset) return 'complete';
      await rm(part, { force: true });
      return 'restart';
    } else if (response.ok) {
      start = 0;
      total = length;
    } else {
      await response.body?.cancel();
      const message = `HTTP ${response.status} ${response.statusText} for ${url}`;
      if (response.status >= 500 || response.status === 408 || response.status === 429)
        throw new Error(message);
      throw new DownloadError(message);
    }

    const file = await open(part, start === 0 ? 'w' : 'a');
    let done = start;
    let lastReport = 0;
    const report = (force: boolean): void => {
      const now = Date.now();
      if (!onProgress || (!force && now - lastReport < PROGRESS_INTERVAL_MS)) return;
      lastReport = now;
      onProgress({ task: 'downloading', done, total, unit: 'bytes' });
    };
    report(true);
    try {
      if (response.body) {
        for await (const chunk of response.body) {
          resetIdle();
          await file.write(chunk);
          done += chunk.byteLength;
          report(false);
        }
      }
    } finally {
      await file.close();
      report(true);
    }
    if (total !== undefined && done < total) {
      throw new Error(`connection closed after ${done} of ${total} bytes`);
    }
    return 'complete';
  } finally {
    clearTimeout(idle);
  }
}

function contentLength(response: Response): number | undefined {
  const header = response.headers.get('content-length');
  const value = header === null ? NaN : Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** Parses `bytes START-END/TOTAL` and `bytes *\/TOTAL` (TOTAL may be `*`). */
function parseContentRange(header: string | null): { start?: number; total?: number } | undefined {
  const match = header === null ? null : /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header.trim());
  if (!match) return undefined;
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    total: match[2] === '*' ? undefined : Number(match[2]),
  };
}

/** The SHA-256 of a file, as lowercase hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => (info.isFile() ? info.size : undefined),
    () => undefined,
  );
}

function isLocalError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && LOCAL_ERROR_CODES.has(code);
}

function wrap(error: unknown, url: string): DownloadError {
  if (error instanceof DownloadError) return error;
  return new DownloadError(`download of ${url} failed: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
