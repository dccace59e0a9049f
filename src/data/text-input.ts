import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DatasetError } from '../errors.js';

/** One text to score and where it came from. */
export interface TextInput {
  readonly line: number;
  readonly text: string;
}

/**
 * Reads texts to score from a file ('-' for standard input): one text per line, or JSON Lines
 * with a "text" field. JSON Lines is chosen by a .jsonl/.ndjson name or, failing that, by a first
 * line that is a JSON object with "text"; then every line must be. Blank lines are skipped.
 */
export async function* readTextInputs(file: string): AsyncGenerator<TextInput> {
  if (file !== '-') {
    try {
      await access(file);
    } catch {
      throw new DatasetError('input file does not exist', file);
    }
  }
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let jsonl: boolean | undefined = /\.(jsonl|ndjson)$/i.test(file) ? true : undefined;
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    if (raw.trim() === '') continue;
    if (jsonl === undefined) jsonl = looksLikeJsonText(raw);
    yield { line: lineNumber, text: jsonl ? jsonText(raw, file, lineNumber) : raw };
  }
}

function looksLikeJsonText(line: string): boolean {
  if (!line.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(line);
    return (
      typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string'
    );
  } catch {
    return false;
  }
}

function jsonText(line: string, file: string, lineNumber: number): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DatasetError(
      `expected a JSON object with a "text" field: ${(error as Error).message}`,
      file,
      lineNumber,
    );
  }
  const text = (value as { text?: unknown } | null)?.text;
  if (typeof text !== 'string')
    throw new DatasetError('expected a JSON object with a string "text" field', file, lineNumber);
  return text;
}
