import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  loadDataset,
  resolveImdb,
  streamDataset,
  type LoadDatasetOptions,
  type LoadedDataset,
  type StreamedDataset,
} from '../data/index.js';
import type { ProgressCallback } from '../util/progress.js';
import { readingOf, type DataReading } from '../data/data-source.js';
import type { DataReport } from '../data/load-dataset.js';
import { ON_ERROR, type OnError } from '../data/row-checks.js';
import { DATA_FORMATS, ROW_PROBLEM_KINDS, type DataFormat } from '../data/rows.js';
import type { SplitName } from '../data/types.js';
import { openFraction } from './options.js';
import { progressReporter } from './progress-bar.js';
import { maxRecordBytesOption } from './record-limit-option.js';

/** `--data`'s help, with where the data comes from when `--data` is not given. */
export function dataHelp(
  defaultSource = '$POLARITY_DATA, then IMDB from the cache, downloaded when absent',
): string {
  return `the data: IMDB (aclImdb_v1.tar.gz, the labelled tarball or an aclImdb/ folder), a .csv, .tsv, .jsonl or fastText file, or a folder with one sub-folder per label (default: ${defaultSource})`;
}

/** The data flags every command that reads a dataset shares. */
export interface DataFlags {
  data?: string;
  format?: DataFormat;
  textColumn?: string;
  labelColumn?: string;
  header: boolean;
  textField?: string;
  labelField?: string;
  labelMap?: string;
  onError: OnError;
  testSplit?: number;
  maxRecordBytes?: number;
}

/** Bad rows listed one by one after a read; the counts per kind cover the rest. */
const LISTED_PROBLEMS = 50;

/** Adds `--data` and the flags that say how to read it; `testSplit` adds `--test-split`. */
export function addDataOptions(
  command: Command,
  { testSplit, dataHelp: help = dataHelp() }: { testSplit: boolean; dataHelp?: string },
): Command {
  command
    .option('--data <path>', help)
    .addOption(
      new Option('--format <name>', 'format of --data (default: told from its name)').choices(DATA_FORMATS),
    )
    .option(
      '--text-column <name>',
      '[csv, tsv] column holding the text: a header name or a number from 1 (default: text)',
    )
    .option('--label-column <name>', '[csv, tsv] column holding the label (default: label)')
    .option('--no-header', '[csv, tsv] the first row is data, not column names (give the columns by number)')
    .option(
      '--text-field <path>',
      '[jsonl] field holding the text; dots reach into nested objects, e.g. review.body (default: text)',
    )
    .option('--label-field <path>', '[jsonl] field holding the label (default: label)')
    .option(
      '--label-map <map>',
      "turn source labels into model labels, e.g. '1-4=neg,7-10=pos': numbers, LOW-HIGH ranges or exact text; 'KEY=' leaves those rows out (for IMDB it maps the star rating)",
    )
    .addOption(
      new Option(
        '--on-error <mode>',
        'a bad row (missing column, too many fields, empty text, unknown label, invalid UTF-8) stops the run, or is skipped, listed and counted',
      )
        .choices(ON_ERROR)
        .default('fail'),
    )
    .addOption(maxRecordBytesOption());
  if (testSplit) {
    command.option(
      '--test-split <f>',
      'carve this fraction of data without a test split of its own as a stratified, seeded test split (train saves which rows went where in the model directory)',
      openFraction,
    );
  }
  return command;
}

export interface CliLoadOptions {
  readonly splits: SplitName[];
  /** Where the rows of data without splits go when no test split is carved. */
  readonly unsplit?: SplitName;
  readonly seed?: number;
  readonly testSplit?: number;
  readonly knownLabels?: readonly string[];
  readonly knownLabelsFrom?: string;
  /** Whether the first row names the columns, where --no-header is not given (default: the format's). */
  readonly header?: boolean;
}

/**
 * Finds the data (`--data`, `$POLARITY_DATA`, or IMDB from the cache or a download) and reads it with a
 * progress bar, printing what was skipped, excluded and duplicated to stderr.
 */
export async function loadDataForCli(
  flags: Partial<DataFlags>,
  command: Command,
  options: CliLoadOptions,
): Promise<LoadedDataset> {
  const path = await dataPath(flags);
  const reading = progressReporter(`reading ${options.splits.join('+')}`);
  let loaded: LoadedDataset;
  try {
    loaded = await loadDataset(path, loadOptions(flags, command, options, reading.onProgress));
  } finally {
    reading.stop();
  }
  process.stderr.write(describeReport(loaded.report));
  return loaded;
}

/**
 * Opens the data for reading in passes (`--stream`): one pass now, to check every row and carve the test
 * split, then as many as the caller makes. Prints the same report as {@link loadDataForCli}.
 */
export async function streamDataForCli(
  flags: Partial<DataFlags>,
  command: Command,
  options: Omit<CliLoadOptions, 'splits'>,
): Promise<StreamedDataset> {
  const path = await dataPath(flags);
  const reading = progressReporter('checking rows');
  let streamed: StreamedDataset;
  try {
    streamed = await streamDataset(path, loadOptions(flags, command, options, reading.onProgress));
  } finally {
    reading.stop();
  }
  process.stderr.write(describeReport(streamed.report));
  return streamed;
}

/** `--data`, else `$POLARITY_DATA`, else IMDB from the cache (downloaded when absent). */
async function dataPath(flags: Partial<DataFlags>): Promise<string> {
  const given = flags.data || process.env.POLARITY_DATA;
  if (given) return resolve(given);
  const download = progressReporter('downloading IMDB');
  try {
    return await resolveImdb({ onProgress: download.onProgress });
  } finally {
    download.stop();
  }
}

/** How the data flags say to read the data: what a model's `data-source.json` records. */
export function dataReadingOfFlags(flags: Partial<DataFlags>, command: Command): DataReading {
  return readingOf(loadOptions(flags, command, {}, () => {}));
}

function loadOptions(
  flags: Partial<DataFlags>,
  command: Command,
  options: Partial<CliLoadOptions>,
  onProgress: ProgressCallback,
): LoadDatasetOptions {
  return {
    format: flags.format,
    // Only a --no-header given on the command line counts: its default must not trip the format check.
    header: command.getOptionValueSource('header') === 'cli' ? flags.header : options.header,
    textColumn: flags.textColumn,
    labelColumn: flags.labelColumn,
    textField: flags.textField,
    labelField: flags.labelField,
    labelMap: flags.labelMap,
    onError: flags.onError,
    maxRecordBytes: flags.maxRecordBytes,
    testSplit: options.testSplit ?? flags.testSplit,
    seed: options.seed,
    unsplit: options.unsplit,
    splits: options.splits,
    knownLabels: options.knownLabels,
    knownLabelsFrom: options.knownLabelsFrom,
    onProgress,
  };
}

/** What a read left out or found, in lines for stderr (empty when there is nothing to say). */
export function describeReport(report: DataReport): string {
  const lines: string[] = [];
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  if (report.problems.length > 0) {
    const byKind = ROW_PROBLEM_KINDS.filter((kind) => report.skippedByKind[kind] > 0)
      .map((kind) => `${report.skippedByKind[kind]} ${kind.replace(/-/g, ' ')}`)
      .join(', ');
    lines.push(`skipped ${count(report.problems.length, 'bad row')} (${byKind}):`);
    for (const problem of report.problems.slice(0, LISTED_PROBLEMS)) {
      lines.push(`  ${problem.file}:${problem.line}: ${problem.reason}`);
    }
    if (report.problems.length > LISTED_PROBLEMS) {
      lines.push(`  … and ${report.problems.length - LISTED_PROBLEMS} more (counted above)`);
    }
  }
  if (report.excluded > 0)
    lines.push(`left out ${count(report.excluded, 'row')} that --label-map maps to nothing`);
  if (report.severalLabels > 0) {
    lines.push(
      `${count(report.severalLabels, 'row')} named several labels; the first label of each was used`,
    );
  }
  if (report.split) {
    const { fraction, seed, rows } = report.split;
    lines.push(
      `test split carved: ${rows.test} of ${rows.train + rows.test} rows (fraction ${fraction}, stratified, seed ${seed})`,
    );
  }
  if (report.duplicates && report.duplicates.testInTrain > 0) {
    const { testInTrain, test } = report.duplicates;
    lines.push(
      `leak check: ${count(testInTrain, 'test text')} of ${test} (${((100 * testInTrain) / test).toFixed(2)}%) also appear in the training split (same text up to case and spacing)`,
    );
  } else if (report.duplicates) {
    lines.push('leak check: no test text appears in the training split');
  }
  return lines.map((line) => line + '\n').join('');
}
