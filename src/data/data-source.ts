/**
 * The record of where a model's training data was read from (`data-source.json` in the model
 * directory): the resolved path, its format and the reading options needed to read it again, so that
 * `polarity evaluate` without `--data` scores the data the model was made on rather than IMDB. The
 * carve of a test split (fraction, seed, rows) is `data-split.json`'s business, not this record's.
 * Unlike that record it keeps the full path, since it is there to find the data again.
 */
import { resolve } from 'node:path';
import { ModelFormatError } from '../errors.js';
import type { LabelMap } from './label-map.js';
import type { LoadDatasetOptions } from './load-dataset.js';
import type { OnError } from './row-checks.js';
import { DATA_FORMATS, type DataFormat } from './rows.js';

export const DATA_SOURCE_FILE = 'data-source.json';
export const DATA_SOURCE_FORMAT = 'polarity-data-source';

/** The reading options a record keeps: those that change which rows are read, or how. */
export interface DataReading {
  readonly header?: boolean;
  readonly textColumn?: string;
  readonly labelColumn?: string;
  readonly textField?: string;
  readonly labelField?: string;
  /** The `--label-map` spec. */
  readonly labelMap?: string;
  readonly onError?: OnError;
  readonly maxRecordBytes?: number;
}

export interface DataSourceRecord {
  readonly format: typeof DATA_SOURCE_FORMAT;
  readonly version: 1;
  /** The data's file or folder, as an absolute path. */
  readonly path: string;
  readonly dataFormat: DataFormat;
  readonly reading: DataReading;
}

const READING_KEYS = [
  'header',
  'textColumn',
  'labelColumn',
  'textField',
  'labelField',
  'labelMap',
  'onError',
  'maxRecordBytes',
] as const satisfies readonly (keyof DataReading)[];

/** The options of a read that a record keeps (those left unset are left out). */
export function readingOf(options: LoadDatasetOptions): DataReading {
  const labelMap: string | LabelMap | undefined = options.labelMap;
  const reading: Record<string, unknown> = {
    ...options,
    labelMap: typeof labelMap === 'string' || labelMap === undefined ? labelMap : labelMap.spec,
  };
  return Object.fromEntries(
    READING_KEYS.flatMap((key) => (reading[key] === undefined ? [] : [[key, reading[key]]])),
  ) as DataReading;
}

/** The record of data read from `path` in `dataFormat` with `reading`. */
export function dataSourceRecord(
  path: string,
  dataFormat: DataFormat,
  reading: DataReading,
): DataSourceRecord {
  return { format: DATA_SOURCE_FORMAT, version: 1, path: resolve(path), dataFormat, reading };
}

export function formatDataSource(record: DataSourceRecord): string {
  return JSON.stringify(record, null, 2) + '\n';
}

/** Reads a record from its JSON text. @throws ModelFormatError when it is not one. */
export function parseDataSource(text: string, file: string): DataSourceRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`not valid JSON (${(error as Error).message})`, file);
  }
  const r = value as Partial<DataSourceRecord> | null;
  const reading = r?.reading as Record<string, unknown> | undefined;
  if (
    !r ||
    r.format !== DATA_SOURCE_FORMAT ||
    typeof r.path !== 'string' ||
    !(DATA_FORMATS as readonly unknown[]).includes(r.dataFormat) ||
    typeof reading !== 'object' ||
    reading === null ||
    Object.keys(reading).some((key) => !(READING_KEYS as readonly string[]).includes(key))
  ) {
    throw new ModelFormatError(
      `not a ${DATA_SOURCE_FORMAT} record (format, path, dataFormat, reading with ${READING_KEYS.join(', ')})`,
      file,
    );
  }
  return r as DataSourceRecord;
}
