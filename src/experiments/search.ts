/**
 * Hyper-parameter search: a grid of values per hyper-parameter ('maxLen=200,500;numWords=5000,20000'),
 * its configurations (every combination, or a seeded sample of distinct ones), and a run that
 * trains each on part of the training split and scores it on the rest. The test split is never read.
 */
import type { Dataset } from '../data/types.js';
import { OptionError } from '../errors.js';
import { DEFAULT_SEED, type Trainer, type TrainingCallbacks } from '../models/classifier.js';
import { familyOptionsOf } from '../models/family-options.js';
import * as kit from '../models/options.js';
import {
  gridDeclarations,
  type FamilyOptions,
  type OptionDeclaration,
  type ValueParser,
} from '../models/options.js';
import { Random } from '../util/random.js';
import { trainingCallbacks } from './cross-validation.js';
import { evaluateClassifier } from './evaluate.js';
import {
  headlineMetrics,
  lowerIsBetter,
  type HeadlineMetric,
  type HeadlineMetrics,
} from './headline-metrics.js';

import { modelFamily, trainableModels, type TrainerChoice } from '../models/trainers.js';
import { splitForValidation } from '../fit/validation-split.js';

export type ParameterValue = number | string | boolean | readonly number[];

/** One point of the grid: a value for each of its keys. */
export type Configuration = Readonly<Record<string, ParameterValue>>;

/** Reads one value of a hyper-parameter from its text in the grid (the parser kit's, shared with the CLI). */
export type { ValueParser } from '../models/options.js';

/** A hyper-parameter the grid can name: how to read its values and where they go in the trainer options. */
export interface SearchParameter extends ValueParser<ParameterValue> {
  apply(choice: TrainerChoice, value: ParameterValue): TrainerChoice;
}

export type SearchParameters = Readonly<Record<string, SearchParameter>>;

// The value parsers the grid's tests name; the declarations use the kit's own (models/options.ts).

/** An integer from `min` (to `max`), as a grid reads it. */
export function integer(min: number, max?: number): ValueParser<number> {
  return kit.integer({ min, max });
}

/** A list value, written in brackets: '[3,4,5]'. */
export function integerList(min: number): ValueParser<readonly number[]> {
  return kit.gridParser(kit.integerList({ min }));
}

/**
 * The hyper-parameters a grid may name for `model`: its family's declarations that are grid keys
 * (models/<family>/option-declarations.ts), each read by the parser its flag uses. An ensemble has
 * none (tune its members instead); a neural architecture gets the keys every network reads and
 * those of its own (no `units` for a CNN). Ranges only catch what cannot be a value at all; the
 * trainers check the rest (e.g. `c` for naive Bayes) before the first trial runs.
 */
export function searchParameters(model: string): SearchParameters {
  modelFamily(model); // an unknown name is refused naming the models there are
  const family = familyOptionsOf(model);
  const declarations = family === undefined ? [] : gridDeclarations(family, model);
  if (family === undefined || declarations.length === 0) {
    throw new OptionError(`--model ${model} cannot be searched; search tunes one model family at a time`);
  }
  return gridParameters(family, declarations);
}

/** The models a grid can tune: those whose family declares grid keys for them (an ensemble has none). */
export function searchableModels(): string[] {
  return trainableModels().filter((model) => {
    const family = familyOptionsOf(model);
    return family !== undefined && gridDeclarations(family, model).length > 0;
  });
}

/** The grid keys of `declarations` of `family`: each read by its flag's parser, set where the flag sets it. */
export function gridParameters(
  family: FamilyOptions,
  declarations: readonly OptionDeclaration[],
): SearchParameters {
  return Object.fromEntries(
    declarations.map((declaration) => {
      const parser = kit.gridParser(declaration.value) as ValueParser<ParameterValue>;
      const path = [...family.path, ...(declaration.target ?? [declaration.key])];
      const parameter: SearchParameter = {
        ...parser,
        apply: (choice, value) => kit.setIn(choice, path, value),
      };
      return [declaration.key, parameter];
    }),
  );
}

// Grids.

export interface GridAxis {
  readonly key: string;
  readonly values: readonly ParameterValue[];
}

/** Keys in the order given; configurations vary the last key fastest. */
export type Grid = readonly GridAxis[];

const SYNTAX = `key=v1,v2,… entries separated by ";", e.g. 'c=0.5,1,2;ngrams=1,2'`;

/**
 * Reads 'key=v1,v2;key2=v3' (white space around keys and values ignored, a trailing ';'
 * allowed). Rejects, naming what was expected: an empty grid or entry, an entry without '=', a key
 * that is not in `parameters`, a key given twice, a key without values, an empty or unreadable
 * value, and a value listed twice.
 */
export function parseGrid(text: string, parameters: SearchParameters, model: string): Grid {
  const entries = text.split(';').map((e) => e.trim());
  if (entries.length > 1 && entries[entries.length - 1] === '') entries.pop();
  if (entries.length === 1 && entries[0] === '') throw new OptionError(`--grid is empty; expected ${SYNTAX}`);
  const grid: GridAxis[] = [];
  entries.forEach((entry, i) => {
    if (entry === '') throw new OptionError(`--grid entry ${i + 1} is empty; expected ${SYNTAX}`);
    const eq = entry.indexOf('=');
    if (eq < 0) throw new OptionError(`--grid entry "${entry}" has no "="; expected ${SYNTAX}`);
    const key = entry.slice(0, eq).trim();
    if (key === '')
      throw new OptionError(`--grid entry "${entry}" has no key before "="; expected ${SYNTAX}`);
    if (!Object.hasOwn(parameters, key)) {
      throw new OptionError(
        `--grid key "${key}" is not a hyper-parameter of --model ${model}; expected one of: ${Object.keys(parameters).join(', ')}`,
      );
    }
    if (grid.some((axis) => axis.key === key)) {
      throw new OptionError(`--grid names "${key}" twice; list all its values in one entry, e.g. ${key}=a,b`);
    }
    const parameter = parameters[key];
    const raw = entry.slice(eq + 1);
    if (raw.trim() === '')
      throw new OptionError(`--grid key "${key}" has no values; expected ${key}=v1,v2,…`);
    const values: ParameterValue[] = [];
    for (const item of splitValues(raw, key)) {
      if (item === '') throw new OptionError(`--grid key "${key}" has an empty value in "${raw.trim()}"`);
      const value = parameter.parse(item);
      if (value === undefined) {
        throw new OptionError(`--grid ${key}=${item}: expected ${parameter.expected}`);
      }
      if (values.some((v) => formatValue(v) === formatValue(value))) {
        throw new OptionError(`--grid key "${key}" lists ${item} twice`);
      }
      values.push(value);
    }
    grid.push({ key, values });
  });
  return grid;
}

/** Splits on commas outside brackets, so that a list value '[3,4,5]' stays one value. */
function splitValues(raw: string, key: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '[') depth++;
    else if (raw[i] === ']') depth--;
    if (depth < 0 || depth > 1) break;
    if (raw[i] === ',' && depth === 0) {
      items.push(raw.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) throw new OptionError(`--grid key "${key}" has unbalanced brackets in "${raw.trim()}"`);
  items.push(raw.slice(start).trim());
  return items;
}

/** Number of configurations: the product of each key's number of values. */
export function gridSize(grid: Grid): number {
  return grid.reduce((size, axis) => size * axis.values.length, 1);
}

/** The configuration at `index` in grid order (the last key varying fastest). */
export function configurationAt(grid: Grid, index: number): Configuration {
  const configuration: Record<string, ParameterValue> = {};
  let rest = index;
  for (let a = grid.length - 1; a >= 0; a--) {
    const { key, values } = grid[a];
    configuration[key] = values[rest % values.length];
    rest = Math.floor(rest / values.length);
  }
  return Object.fromEntries(grid.map(({ key }) => [key, configuration[key]]));
}

/** Every configuration of the grid (grid search), in grid order. */
export function gridConfigurations(grid: Grid): Configuration[] {
  return Array.from({ length: gridSize(grid) }, (_, i) => configurationAt(grid, i));
}

/**
 * `trials` distinct configurations drawn uniformly from the grid with `random` (random search),
 * in grid order. Robert Floyd's sampling: `trials` draws whatever the grid's size.
 */
export function sampleConfigurations(grid: Grid, trials: number, random: Random): Configuration[] {
  const size = gridSize(grid);
  if (!Number.isInteger(trials) || trials < 1) {
    throw new OptionError(`--trials must be a positive integer, got ${trials}`);
  }
  if (trials > size) {
    throw new OptionError(
      `--trials ${trials} is more than the ${size} configurations of the grid; leave --trials out to run them all`,
    );
  }
  const chosen = new Set<number>();
  for (let j = size - trials; j < size; j++) {
    const t = random.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b).map((i) => configurationAt(grid, i));
}

/** The trainer options for one configuration: `base` with the configuration's values set. */
export function applyConfiguration(
  base: TrainerChoice,
  configuration: Configuration,
  parameters: SearchParameters,
): TrainerChoice {
  return Object.entries(configuration).reduce(
    (choice, [key, value]) => parameters[key].apply(choice, value),
    base,
  );
}

export function formatValue(value: ParameterValue): string {
  return Array.isArray(value) ? `[${value.join(',')}]` : String(value);
}

/** "c=0.5 ngrams=2". */
export function describeConfiguration(configuration: Configuration): string {
  return Object.entries(configuration)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
}

// Running a search.

export const DEFAULT_SEARCH_VALIDATION_SPLIT = 0.2;

export interface TrialResult {
  /** 1-based. */
  readonly trial: number;
  readonly configuration: Configuration;
  readonly metrics: HeadlineMetrics;
  /** Training and scoring time. */
  readonly seconds: number;
}

export interface SearchResult {
  /** The metric the best trial was chosen by. */
  readonly metric: HeadlineMetric;
  readonly trainExamples: number;
  readonly validationExamples: number;
  readonly trials: readonly TrialResult[];
  /** The best trial's number (ties: the earliest). */
  readonly bestTrial: number;
}

export interface SearchOptions extends TrainingCallbacks {
  /** Fraction of the training split every trial is scored on (default 0.2); the same slice for all. */
  readonly validationSplit?: number;
  /** Seed of the validation slice and of every trial's training (default 42). */
  readonly seed?: number;
  /** Metric to pick the best trial by (default accuracy; log loss: lowest). */
  readonly metric?: HeadlineMetric;
  readonly onTrialBegin?: (trial: number, trials: number, configuration: Configuration) => void;
  readonly onTrialEnd?: (result: TrialResult, trials: number) => void;
}

/**
 * Trains one model per configuration on the training split minus a validation slice and scores it
 * on that slice. Every configuration's trainer is created before the first trial, so that one that
 * cannot work fails in seconds, not after hours of the others.
 */
export async function runSearch(
  createTrainer: (configuration: Configuration) => Trainer | Promise<Trainer>,
  dataset: Dataset,
  configurations: readonly Configuration[],
  options: SearchOptions = {},
): Promise<SearchResult> {
  const fraction = options.validationSplit ?? DEFAULT_SEARCH_VALIDATION_SPLIT;
  const seed = options.seed ?? DEFAULT_SEED;
  const metric = options.metric ?? 'accuracy';
  if (!(fraction > 0 && fraction < 1)) {
    throw new OptionError(`a search needs a validation split in (0, 1) to score trials on, got ${fraction}`);
  }
  if (configurations.length === 0) throw new OptionError('a search needs at least one configuration');
  const trainers = await createTrainers(configurations, createTrainer);
  const { train, validation } = splitForValidation(dataset.train, fraction, new Random(seed));
  if (validation.length === 0 || train.length === 0) {
    throw new OptionError(
      `a validation split of ${fraction} leaves ${train.length} reviews to train on and ${validation.length} to score`,
    );
  }
  const trials: TrialResult[] = [];
  for (let t = 0; t < configurations.length; t++) {
    options.onTrialBegin?.(t + 1, configurations.length, configurations[t]);
    const started = performance.now();
    const classifier = await trainers[t].fit(
      { ...dataset, train, test: [] },
      { ...trainingCallbacks(options), seed },
    );
    try {
      const report = await evaluateClassifier(classifier, validation, { onProgress: options.onProgress });
      trials.push({
        trial: t + 1,
        configuration: configurations[t],
        metrics: headlineMetrics(report),
        seconds: (performance.now() - started) / 1000,
      });
    } finally {
      classifier.dispose();
    }
    options.onTrialEnd?.(trials[t], configurations.length);
  }
  return {
    metric,
    trainExamples: train.length,
    validationExamples: validation.length,
    trials,
    bestTrial: bestTrial(trials, metric),
  };
}

/**
 * A trainer for each configuration; an option error names the configuration that caused it. Cheap
 * (trainers only check their options), so a caller can also run it early to fail before reading data.
 */
export async function createTrainers(
  configurations: readonly Configuration[],
  createTrainer: (configuration: Configuration) => Trainer | Promise<Trainer>,
): Promise<Trainer[]> {
  const trainers: Trainer[] = [];
  for (const configuration of configurations) {
    try {
      trainers.push(await createTrainer(configuration));
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      throw new OptionError(`${describeConfiguration(configuration)}: ${error.message}`, { cause: error });
    }
  }
  return trainers;
}

/** The number of the trial with the best `metric` (an undefined value never wins; ties: the earliest). */
export function bestTrial(trials: readonly TrialResult[], metric: HeadlineMetric): number {
  const sign = lowerIsBetter(metric) ? -1 : 1;
  let best = trials[0];
  for (const trial of trials) {
    const value = trial.metrics[metric];
    const bestValue = best.metrics[metric];
    if (value !== null && (bestValue === null || sign * value > sign * bestValue)) best = trial;
  }
  return best.trial;
}
