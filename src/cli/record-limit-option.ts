import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_RECORD_BYTES, MAX_RECORD_BYTES_FLAG } from '../data/record-limit.js';

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A number of bytes: `65536`, or with a binary suffix, `64k`, `10M`, `1g` (KiB, MiB, GiB). */
export function byteCount(value: string): number {
  const match = /^\s*(\d+)\s*([kmg]?)i?b?\s*$/i.exec(value);
  const n = match ? Number(match[1]) * UNITS[match[2].toLowerCase()] : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(
      `expected a positive number of bytes such as 65536, 64k or 10M, got "${value}"`,
    );
  }
  return n;
}

/**
 * `--max-record-bytes`: the longest line, row, review file or archive entry a command reads. Left unset
 * it is the library's default, so that nothing else it is passed to (saved options) changes.
 */
export function maxRecordBytesOption(): Option {
  return new Option(
    `${MAX_RECORD_BYTES_FLAG} <n>`,
    `refuse input with a line, row, file of a folder, archive entry or word vector longer than this many bytes (k, M, G: KiB, MiB, GiB; default ${DEFAULT_MAX_RECORD_BYTES / 1024 ** 2}M)`,
  ).argParser(byteCount);
}
