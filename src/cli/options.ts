import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject bad values with a message naming what was expected. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  }
  return n;
}

/**
 * A positive integer of at most `max`: for size options, so that a typo (`--max-len 100000000`) is
 * refused naming the flag before anything is allocated.
 */
export function positiveIntegerUpTo(max: number): (value: string) => number {
  return (value: string) => {
    const n = positiveInteger(value);
    if (n > max) {
      throw new InvalidArgumentError(
        `expected a positive integer of at most ${max.toLocaleString('en-US')}, got "${value}"`,
      );
    }
    return n;
  };
}

export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  }
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  }
  return n;
}

/** A comma-separated list of positive integers, such as `3,4,5`. */
export function positiveIntegerList(value: string): number[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => !/^\d+$/.test(item) || Number(item) < 1 || !Number.isSafeInteger(Number(item)))) {
    throw new InvalidArgumentError(
      `expected comma-separated positive integers such as 3,4,5, got "${value}"`,
    );
  }
  return items.map(Number);
}

export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) {
    throw new InvalidArgumentError(`expected a fraction in [0, 1), got "${value}"`);
  }
  return n;
}

export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
}

export function openFraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new InvalidArgumentError(`expected a fraction between 0 and 1 (exclusive), got "${value}"`);
  }
  return n;
}

/**
 * Most threads a command may start: 4 per core. More only add memory (each worker loads the model)
 * and switching; 4 leaves room for hosts whose core count under-reports what they may use.
 */
export const MAX_WORKERS = 4 * availableParallelism();

/** `--workers`: a positive integer of at most `MAX_WORKERS`. */
export const workerCount = positiveIntegerUpTo(MAX_WORKERS);
