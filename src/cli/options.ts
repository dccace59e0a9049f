import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { OptionError } from '../errors.js';
import * as kit from '../models/options.js';
import type { ValueParser } from '../models/options.js';

/**
 * A commander argument parser from a parser of the kit (models/options.ts): a bad value is refused
 * naming what was expected, and commander names the flag.
 */
export function argumentParser<T>(parser: ValueParser<T>): (value: string) => T {
  return (value: string) => {
    let parsed: T | undefined;
    try {
      parsed = parser.parse(value);
    } catch (error) {
      if (error instanceof OptionError) throw new InvalidArgumentError(error.message);
      throw error;
    }
    if (parsed === undefined) throw new InvalidArgumentError(`expected ${parser.expected}, got "${value}"`);
    return parsed;
  };
}

/** Commander argument parsers that reject bad values with a message naming what was expected. */
export const positiveInteger = argumentParser(kit.integer());

/**
 * A positive integer of at most `max`: for size options, so that a typo (`--max-len 100000000`) is
 * refused naming the flag before anything is allocated.
 */
export function positiveIntegerUpTo(max: number): (value: string) => number {
  return argumentParser(kit.integer({ ceiling: max }));
}

export const nonNegativeInteger = argumentParser(kit.integer({ min: 0, expected: 'a non-negative integer' }));

export const positiveNumber = argumentParser(kit.positiveNumber());

/** A comma-separated list of positive integers, such as `3,4,5`. */
export const positiveIntegerList = argumentParser(kit.integerList());

export const fraction = argumentParser(kit.fraction());

export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return argumentParser(kit.oneOf(choices));
}

export const openFraction = argumentParser(kit.openFraction());

/**
 * Most threads a command may start: 4 per core. More only add memory (each worker loads the model)
 * and switching; 4 leaves room for hosts whose core count under-reports what they may use.
 */
export const MAX_WORKERS = 4 * availableParallelism();

/** `--workers`: a positive integer of at most `MAX_WORKERS`. */
export const workerCount = positiveIntegerUpTo(MAX_WORKERS);
