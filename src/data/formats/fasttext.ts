/**
 * fastText's supervised format: one text per line, its labels as words with the prefix `__label__`
 * (`__label__pos a fine film`). fastText reads a label word anywhere on the line; so does this reader.
 * A line with several labels is a multi-label example to fastText; a Polarity model predicts one label,
 * so the first is used and the rows where that happened are counted and reported.
 */
import { stat } from 'node:fs/promises';
import { noRowsError, type RowEvent, type RowSource } from '../rows.js';
import type { RecordLimit } from '../record-limit.js';
import { readUtf8Lines } from '../utf8-file.js';
import type { FormatModule } from './format.js';

export const FASTTEXT_LABEL_PREFIX = '__label__';
/** Lines of a .txt file looked at for `__label__` words. */
const SNIFF_LINES = 20;

export async function fastTextSource(file: string, options: RecordLimit = {}): Promise<RowSource> {
  const info = await stat(file);
  return {
    format: 'fasttext',
    path: file,
    hasSplits: false,
    bytes: info.size,
    rows: () => readFastTextRows(file, options),
  };
}

/** The rows of a fastText file; blank lines are skipped. */
export async function* readFastTextRows(file: string, options: RecordLimit = {}): AsyncGenerator<RowEvent> {
  let lines = 0;
  for await (const { line, text, utf8 } of readUtf8Lines(file, options)) {
    if (text.trim() === '') continue;
    lines++;
    const id = String(line);
    if (!utf8) {
      yield { problem: { kind: 'invalid-utf8', file, line, id, reason: 'the line is not valid UTF-8 text' } };
      continue;
    }
    const labels: string[] = [];
    const words: string[] = [];
    for (const word of text.split(/\s+/)) {
      if (word === '') continue;
      if (word.startsWith(FASTTEXT_LABEL_PREFIX)) labels.push(word.slice(FASTTEXT_LABEL_PREFIX.length));
      else words.push(word);
    }
    if (labels.length === 0) {
      yield {
        problem: {
          kind: 'missing-column',
          file,
          line,
          id,
          reason: `no label (expected a word like ${FASTTEXT_LABEL_PREFIX}pos)`,
        },
      };
      continue;
    }
    yield {
      row: {
        text: words.join(' '),
        label: labels[0],
        file,
        line,
        id,
        ...(labels.length > 1 ? { severalLabels: true } : {}),
      },
    };
  }
  if (lines === 0) {
    throw noRowsError(
      file,
      'is empty (or holds only blank lines)',
      `one text per line with its label as a word like ${FASTTEXT_LABEL_PREFIX}pos`,
    );
  }
}

/** Whether a line looks like fastText: one of its words carries the label prefix. */
export function looksLikeFastText(line: string): boolean {
  return line.split(/\s+/).some((word) => word.startsWith(FASTTEXT_LABEL_PREFIX));
}

/** Whether a file's first non-blank lines carry `__label__` words. */
async function sniffFastText(path: string, limit: RecordLimit): Promise<boolean> {
  let seen = 0;
  for await (const { text } of readUtf8Lines(path, limit)) {
    if (text.trim() === '') continue;
    if (looksLikeFastText(text)) return true;
    if (++seen >= SNIFF_LINES) return false;
  }
  return false;
}

export const fastTextFormat: FormatModule = {
  name: 'fasttext',
  title: 'fastText',
  layout: 'file',
  extensions: ['.ft', '.fasttext'],
  sniff: {
    extensions: ['.txt'],
    test: sniffFastText,
    hint: 'a .txt file is fastText when its lines carry __label__ words',
  },
  openRows: fastTextSource,
};
