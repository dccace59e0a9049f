import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { OptionError } from '../errors.js';
import type { Prediction } from '../models/classifier.js';

/** How predictions are written: JSON Lines ({"label","score","scores"} per line) or CSV with a header row. */
export type OutputFormat = 'jsonl' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['jsonl', 'csv'];

/** Writes predictions in input order, waiting whenever the destination is full. */
export interface PredictionWriter {
  write(predictions: readonly Prediction[]): Promise<void>;
  /** Flushes and, for a file, closes it. */
  end(): Promise<void>;
}

/** The layout a file name implies: CSV for .csv, JSON Lines otherwise. */
export function outputFormatFromName(file: string): OutputFormat {
  return /\.csv$/i.test(file) ? 'csv' : 'jsonl';
}

/**
 * The CSV header: the winning label and its probability, then one probability column per label named
 * as its JSON path (`scores.pos`).
 */
export function csvHeader(labels: readonly string[]): string[] {
  return ['label', 'score', ...labels.map((label) => `scores.${label}`)];
}

function formatter(
  format: OutputFormat,
  labels: readonly string[],
): (predictions: readonly Prediction[]) => string {
  if (format === 'jsonl') return (predictions) => predictions.map((p) => JSON.stringify(p) + '\n').join('');
  return (predictions) =>
    stringify(predictions.map((p) => [p.label, p.score, ...labels.map((label) => p.scores[label])]));
}

/** Opens `file` ('-' for standard output) for predictions of a model with these labels. */
export async function openPredictionOutput(
  file: string,
  format: OutputFormat,
  labels: readonly string[],
): Promise<PredictionWriter> {
  const toFile = file !== '-';
  const stream = toFile ? createWriteStream(file) : process.stdout;
  if (toFile) {
    try {
      await once(stream, 'ready');
    } catch (error) {
      throw new OptionError(`--output ${file}: cannot write there (${(error as Error).message})`);
    }
  }
  const write = async (chunk: string) => {
    if (chunk !== '' && !stream.write(chunk)) await once(stream, 'drain');
  };
  if (format === 'csv') await write(stringify([csvHeader(labels)]));
  const render = formatter(format, labels);
  return {
    write: (predictions) => write(render(predictions)),
    async end() {
      if (!toFile) return;
      stream.end();
      await once(stream, 'finish');
    },
  };
}
