import { constants, fstatSync, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { scoreInOrder } from '../batch/score-stream.js';
import { INPUT_FORMATS, readTextInputs, type InputFormat, type TextInput } from '../data/text-input.js';
import {
  OUTPUT_FORMATS,
  openPredictionOutput,
  outputFormatFromName,
  type OutputFormat,
  type PredictionWriter,
} from '../batch/prediction-output.js';
import type { BackendName } from '../engine/backend.js';
import { DatasetError, OptionError } from '../errors.js';
import type { Classifier, Prediction } from '../models/classifier.js';
import type { RuntimeName } from '../models/onnx-classifier.js';
import { backendOption, useBackend } from './backend-option.js';
import { MAX_WORKERS, oneOf, workerCount } from './options.js';
import { progressReporter } from './progress-bar.js';
import { maxRecordBytesOption } from './record-limit-option.js';
import { loadForRuntime, runtimeOption } from './runtime-option.js';

interface PredictFlags {
  model: string;
  input?: string;
  output: string;
  inputFormat?: InputFormat;
  outputFormat?: OutputFormat;
  textField: string;
  idField?: string;
  idColumn?: string;
  keepFields?: string[];
  workers: number;
  progress: boolean;
  json: boolean;
  backend: string;
  runtime: string;
  maxRecordBytes?: number;
}

/** Flags that only mean something with --input. */
const INPUT_ONLY = [
  'output',
  'inputFormat',
  'outputFormat',
  'textField',
  'idField',
  'idColumn',
  'keepFields',
  'workers',
  'maxRecordBytes',
] as const;

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description(
      'label raw text with a saved model: texts given as arguments, or a whole file streamed in and out',
    )
    .argument('[text...]', 'texts to label (quote each one)')
    .requiredOption(
      '--model <path>',
      'model directory written by `polarity train`; with --runtime onnx, also a .onnx file written by `polarity export` (scored as it is: no model directory, no graph to build)',
    )
    .option(
      '--input <file>',
      'read texts from a file (- for stdin): one per line, JSON Lines with a "text" field, or CSV with a "text" column; writes one row per input line (CSV: per record), in order, an empty text as a row with label null and "skipped"',
    )
    .option(
      '--output <file>',
      'where the predictions of --input go (- for stdout): JSON Lines {"line","id","label","score","scores","skipped","fields"}, or CSV (line, id, label, score, scores.LABEL…, skipped, fields.NAME…); a file is replaced only once every row is written, never the --input file',
      '-',
    )
    .addOption(
      new Option(
        '--input-format <format>',
        'layout of --input (default: csv for .csv, jsonl for .jsonl/.ndjson, else jsonl if the first line is a JSON object with the text field, else lines)',
      ).argParser(oneOf(INPUT_FORMATS)),
    )
    .addOption(
      new Option(
        '--output-format <format>',
        'layout of --output (default: csv for a .csv name, else jsonl)',
      ).argParser(oneOf(OUTPUT_FORMATS)),
    )
    .option('--text-field <name>', 'the JSON field or CSV column that holds the text', 'text')
    .addOption(maxRecordBytesOption())
    .option(
      '--id-field <name>',
      'the JSON field or CSV column that holds each row\'s id, copied unchanged to the output\'s "id" (a row without it is an error naming file:line)',
    )
    .option('--id-column <name>', 'the same as --id-field (the CSV word)')
    .option(
      '--keep-fields <names>',
      'JSON fields or CSV columns to copy to the output, comma-separated: "fields" in JSON Lines, fields.NAME columns in CSV (null where a JSON row lacks one)',
      fieldNames,
    )
    .option(
      '--workers <n>',
      `threads that score --input, the main one included (default: one per core; at most 4 per core, ${MAX_WORKERS} here); N starts N - 1 worker threads, each loading the model`,
      workerCount,
      availableParallelism(),
    )
    .option('--no-progress', 'no progress bar (one is shown for an --input file, whose size is known)')
    .option('--json', 'print one JSON object per text argument: {"text","label","score","scores"}', false)
    .addOption(backendOption())
    .addOption(runtimeOption('; onnxruntime takes one thread per --workers thread'))
    .action(async (texts: string[], flags: PredictFlags, command: Command) => {
      if (texts.length === 0 && !flags.input) throw new OptionError('give texts to label, or --input FILE');
      if (!flags.input) {
        const given = INPUT_ONLY.find((name) => command.getOptionValueSource(name) === 'cli');
        if (given) throw new OptionError(`--${kebab(given)} applies to --input only`);
      }
      // One thread per scorer: --workers says how many cores the scoring takes.
      useBackend(flags.backend, 1);
      const backend = flags.backend as BackendName | 'auto';
      if (texts.length > 0) await predictArguments(flags, texts);
      if (flags.input) await predictFile(flags, flags.input, backend);
    });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

async function predictArguments(flags: PredictFlags, texts: string[]): Promise<void> {
  const classifier = await loadForRuntime(flags.model, flags.runtime);
  try {
    const predictions = await classifier.predict(texts);
    texts.forEach((text, i) =>
      process.stdout.write(formatPrediction(text, predictions[i], flags.json) + '\n'),
    );
  } finally {
    classifier.dispose();
  }
}

async function predictFile(flags: PredictFlags, file: string, backend: BackendName | 'auto'): Promise<void> {
  const idField = idFieldOf(flags);
  const keepFields = flags.keepFields ?? [];
  await checkInput(file);
  await refuseSameFile(file, flags.output);
  // Loading verifies every model file against its checksum: a bad --model fails before any output.
  // onnxruntime gets one thread per scoring thread, as TF.js does: --workers is the cores taken.
  const classifier = await loadForRuntime(flags.model, flags.runtime, 1);
  try {
    const inputs = readTextInputs(file, {
      format: flags.inputFormat,
      textField: flags.textField,
      idField,
      keepFields,
      maxRecordBytes: flags.maxRecordBytes,
    });
    // The first row proves the input readable and its layout right (CSV header, JSON fields).
    const first = await inputs.next();
    const format = flags.outputFormat ?? outputFormatFromName(flags.output);
    const columns = { labels: classifier.labels, id: idField !== undefined, keepFields };
    const output = await openPredictionOutput(flags.output, format, columns);
    const counts = await writeRows(flags, file, backend, classifier, prepend(first, inputs), output);
    printSummary(counts);
  } finally {
    classifier.dispose();
  }
}

interface RowCounts {
  readonly scored: number;
  readonly skipped: number;
  readonly seconds: number;
}

/** Scores every row into `output`, which is put in place only if all of them were written. */
async function writeRows(
  flags: PredictFlags,
  file: string,
  backend: BackendName | 'auto',
  classifier: Classifier,
  inputs: AsyncIterable<TextInput>,
  output: PredictionWriter,
): Promise<RowCounts> {
  const size = file === '-' ? undefined : await fileSize(file);
  const progress = flags.progress && size !== undefined ? progressReporter('predicting') : undefined;
  const started = performance.now();
  let scored = 0;
  let skipped = 0;
  let reported = -1;
  try {
    const runtime = flags.runtime as RuntimeName;
    const options = { model: flags.model, workers: flags.workers, backend, runtime, classifier };
    for await (const chunk of scoreInOrder(inputs, options)) {
      await output.write(chunk.rows);
      for (const row of chunk.rows) {
        if (row.skipped) skipped++;
        else scored++;
      }
      // The reader runs ahead of the scoring, so the last chunks all end at the end of the file.
      if (chunk.position > reported) {
        reported = chunk.position;
        progress?.onProgress({ task: 'predicting', done: chunk.position, total: size, unit: 'bytes' });
      }
    }
    await output.end();
  } catch (error) {
    await output.abort();
    throw error;
  } finally {
    progress?.stop();
  }
  return { scored, skipped, seconds: (performance.now() - started) / 1000 };
}

function printSummary({ scored, skipped, seconds }: RowCounts): void {
  const skips = skipped > 0 ? ` and skipped ${skipped.toLocaleString('en-US')} empty` : '';
  process.stderr.write(
    `predicted ${scored.toLocaleString('en-US')} texts${skips} in ${seconds.toFixed(1)} s (${Math.round(scored / seconds).toLocaleString('en-US')} texts/s)\n`,
  );
}

/** `first` (already read from `rest`) followed by the rest. */
async function* prepend<T>(first: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  try {
    if (first.done) return;
    yield first.value;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    // Stopped early (a failure further on): let the reader close its file.
    await rest.return?.();
  }
}

/** --id-field and --id-column are one option under two names (JSON Lines and CSV words). */
function idFieldOf(flags: PredictFlags): string | undefined {
  if (flags.idField !== undefined && flags.idColumn !== undefined && flags.idField !== flags.idColumn) {
    throw new OptionError(
      `--id-field ${flags.idField} and --id-column ${flags.idColumn} name the same thing; give one`,
    );
  }
  return flags.idField ?? flags.idColumn;
}

/** The input must be there and readable before anything is written. */
async function checkInput(file: string): Promise<void> {
  if (file === '-') return;
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new DatasetError('input file does not exist', file);
  if (info.isDirectory()) throw new DatasetError('is a directory; --input expects a file', file);
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw new DatasetError(`cannot read the input file (${(error as Error).message})`, file);
  }
}

/**
 * Writing the predictions over the input would destroy it before it is read: refuse an --output that
 * is the input's file under any name (a symbolic or hard link included), or the file standard input
 * comes from.
 */
async function refuseSameFile(input: string, output: string): Promise<void> {
  if (output === '-') return;
  const out = await stat(output).catch(() => undefined);
  if (!out?.isFile()) return;
  const source = input === '-' ? stdinStat() : await stat(input);
  if (source && source.dev === out.dev && source.ino === out.ino) {
    const named = input === '-' ? 'standard input (--input -)' : `--input ${input}`;
    throw new OptionError(
      `--output ${output} is the same file as ${named}: writing the predictions there would destroy the input; choose another --output`,
    );
  }
}

/** What standard input is; undefined when it is closed. */
function stdinStat(): Stats | undefined {
  try {
    return fstatSync(0);
  } catch {
    return undefined;
  }
}

/** A comma-separated list of field names, such as `title,date`. */
function fieldNames(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '') || new Set(names).size !== names.length) {
    throw new InvalidArgumentError(
      `expected comma-separated distinct field names such as title,date, got "${value}"`,
    );
  }
  return names;
}

/** The size of a regular file, for the progress bar; undefined for a pipe or device. */
async function fileSize(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

function formatPrediction(text: string, prediction: Prediction, json: boolean): string {
  if (json) return JSON.stringify({ text, ...prediction });
  const preview = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${prediction.label}\t${prediction.score.toFixed(4)}\t${preview}`;
}
