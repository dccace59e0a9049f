import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { scoreInOrder } from '../batch/score-stream.js';
import { INPUT_FORMATS, readTextInputs, type InputFormat } from '../data/text-input.js';
import {
  OUTPUT_FORMATS,
  openPredictionOutput,
  outputFormatFromName,
  type OutputFormat,
} from '../data/prediction-output.js';
import type { BackendName } from '../engine/backend.js';
import { DatasetError, OptionError } from '../errors.js';
import type { Prediction } from '../models/classifier.js';
import { loadClassifier } from '../models/load.js';
import { readManifest } from '../persist/model-dir.js';
import { backendOption, startBackend } from './backend-option.js';
import { oneOf, positiveInteger } from './options.js';
import { progressReporter } from './progress-bar.js';
import { maxRecordBytesOption } from './record-limit-option.js';

interface PredictFlags {
  model: string;
  input?: string;
  output: string;
  inputFormat?: InputFormat;
  outputFormat?: OutputFormat;
  textField: string;
  workers: number;
  progress: boolean;
  json: boolean;
  backend: string;
  maxRecordBytes?: number;
}

/** Flags that only mean something with --input. */
const INPUT_ONLY = [
  'output',
  'inputFormat',
  'outputFormat',
  'textField',
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
    .requiredOption('--model <dir>', 'model directory written by `polarity train`')
    .option(
      '--input <file>',
      'read texts from a file (- for stdin): one per line, JSON Lines with a "text" field, or CSV with a "text" column; writes one prediction per input, in order',
    )
    .option(
      '--output <file>',
      'where the predictions of --input go (- for stdout): JSON Lines {"label","score","scores"}, or CSV (label, score, scores.LABEL…)',
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
      '--workers <n>',
      'threads that score --input, the main one included (default: one per core); N starts N - 1 worker threads, each loading the model',
      positiveInteger,
      availableParallelism(),
    )
    .option('--no-progress', 'no progress bar (one is shown for an --input file, whose size is known)')
    .option('--json', 'print one JSON object per text argument: {"text","label","score","scores"}', false)
    .addOption(backendOption())
    .action(async (texts: string[], flags: PredictFlags, command: Command) => {
      if (texts.length === 0 && !flags.input) throw new OptionError('give texts to label, or --input FILE');
      if (!flags.input) {
        const given = INPUT_ONLY.find((name) => command.getOptionValueSource(name) === 'cli');
        if (given) throw new OptionError(`--${kebab(given)} applies to --input only`);
      }
      // One thread per scorer: --workers says how many cores the scoring takes.
      const backend = (await startBackend(flags.backend, 1)) as BackendName;
      if (texts.length > 0) await predictArguments(flags, texts);
      if (flags.input) await predictFile(flags, flags.input, backend);
    });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

async function predictArguments(flags: PredictFlags, texts: string[]): Promise<void> {
  const classifier = await loadClassifier(flags.model);
  try {
    const predictions = await classifier.predict(texts);
    texts.forEach((text, i) =>
      process.stdout.write(formatPrediction(text, predictions[i], flags.json) + '\n'),
    );
  } finally {
    classifier.dispose();
  }
}

async function predictFile(flags: PredictFlags, file: string, backend: BackendName): Promise<void> {
  // The labels name the CSV columns; reading the manifest first also rejects a bad --model before any work.
  const { labels } = await readManifest(flags.model);
  if (file !== '-' && !(await exists(file))) throw new DatasetError('input file does not exist', file);
  const size = file === '-' ? undefined : await fileSize(file);
  const progress = flags.progress && size !== undefined ? progressReporter('predicting') : undefined;
  const format = flags.outputFormat ?? outputFormatFromName(flags.output);
  const output = await openPredictionOutput(flags.output, format, labels);
  const started = performance.now();
  let count = 0;
  let reported = -1;
  try {
    const inputs = readTextInputs(file, {
      format: flags.inputFormat,
      textField: flags.textField,
      maxRecordBytes: flags.maxRecordBytes,
    });
    for await (const chunk of scoreInOrder(inputs, { model: flags.model, workers: flags.workers, backend })) {
      await output.write(chunk.predictions);
      count += chunk.predictions.length;
      // The reader runs ahead of the scoring, so the last chunks all end at the end of the file.
      if (chunk.position > reported) {
        reported = chunk.position;
        progress?.onProgress({ task: 'predicting', done: chunk.position, total: size, unit: 'bytes' });
      }
    }
  } finally {
    progress?.stop();
    await output.end();
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `predicted ${count.toLocaleString('en-US')} texts in ${seconds.toFixed(1)} s (${Math.round(count / seconds).toLocaleString('en-US')} texts/s)\n`,
  );
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

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function formatPrediction(text: string, prediction: Prediction, json: boolean): string {
  if (json) return JSON.stringify({ text, ...prediction });
  const preview = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${prediction.label}\t${prediction.score.toFixed(4)}\t${preview}`;
}
