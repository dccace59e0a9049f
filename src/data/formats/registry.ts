/**
 * THE list of data formats. Detection of a format, for training data (`detect-format.ts`) and for
 * prediction input (`text-input.ts`), and the choice of a reader (`load-dataset.ts`) all go through it:
 * adding a format is its module under `formats/`, its line here, and its name in `names.ts` (or, for
 * training data, `../rows.ts`).
 */
import { csvFormat, tsvFormat } from './csv.js';
import { fastTextFormat } from './fasttext.js';
import type { FormatModule, LineInputReader, StreamInputReader } from './format.js';
import { folderFormat } from './folder.js';
import { imdbFormat } from './imdb.js';
import { jsonlFormat } from './jsonl.js';
import { linesFormat } from './lines.js';
import { DATA_FORMATS, INPUT_FORMATS, type DataFormat, type InputFormat } from './names.js';

/**
 * Every format, in the order detection tries them: by name first to last, then by content; a format
 * without a content check (folder per label, one text per line) is the fallback of its kind.
 */
export const FORMATS: readonly FormatModule[] = [
  imdbFormat,
  csvFormat,
  tsvFormat,
  jsonlFormat,
  fastTextFormat,
  folderFormat,
  linesFormat,
];

/** The module of a format. @throws Error for a name with no module (a registry out of step with names.ts). */
export function formatModule(name: DataFormat | InputFormat): FormatModule {
  const found = FORMATS.find((format) => format.name === name);
  if (found === undefined) throw new Error(`no reader registered for the format "${name}"`);
  return found;
}

/** The formats of training data, in registry order. */
export function dataFormatModules(): FormatModule[] {
  return FORMATS.filter((format) => (DATA_FORMATS as readonly string[]).includes(format.name));
}

/** A format read as prediction input, with its reader. */
export type InputFormatModule = FormatModule & {
  readonly name: InputFormat;
  readonly input: LineInputReader | StreamInputReader;
};

/** The formats of prediction input, in registry order. */
export function inputFormatModules(): InputFormatModule[] {
  return FORMATS.filter(
    (format): format is InputFormatModule =>
      format.input !== undefined && (INPUT_FORMATS as readonly string[]).includes(format.name),
  );
}

/** Whether `path` ends with one of `extensions` (lower case, with their dot), in any case. */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const lower = path.toLowerCase();
  return extensions.some((extension) => lower.endsWith(extension));
}

/** `words` as "a, b or c". */
export function listOf(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
