/**
 * Which data `polarity evaluate` reads when neither `--data` nor `$POLARITY_DATA` names one: the data
 * the model was trained on, as its `data-source.json` records it, read the way it was read then
 * (a reading flag given on the command line still wins). A model without the record (trained on data
 * in memory, or saved before the record) keeps the old default, IMDB.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { DataSourceRecord } from '../data/data-source.js';
import { OptionError } from '../errors.js';
import { recordedDataSource } from '../experiments/training-overlap.js';
import type { ModelManifest } from '../persist/manifest.js';
import type { DataFlags } from './dataset-option.js';

export interface EvaluationData {
  /** The data flags to read with: the command line's, or those filled from the record. */
  readonly flags: DataFlags;
  /** The recorded header setting, for a read where --no-header is not given. */
  readonly header?: boolean;
  /** The record used, when one was. */
  readonly recorded?: DataSourceRecord;
}

/**
 * The data to evaluate the model in `modelDir` on. With the recorded data, says so on stderr;
 * `carved` tells that the model's `data-split.json` holds test rows out of it; `manifest`, the
 * model's, when the caller has read it (not read again).
 * @throws OptionError when the recorded data no longer exists.
 */
export async function evaluationData(
  flags: DataFlags,
  command: Command,
  modelDir: string,
  carved: boolean,
  manifest?: ModelManifest,
): Promise<EvaluationData> {
  if (flags.data || process.env.POLARITY_DATA) return { flags };
  const recorded = await recordedDataSource(modelDir, manifest);
  if (!recorded) return { flags };
  if (!existsSync(recorded.path)) {
    throw new OptionError(
      `the model was trained on ${recorded.path}, which no longer exists: give the data to evaluate on with --data (and the flags to read it)`,
    );
  }
  const given = (key: keyof DataFlags) => command.getOptionValueSource(key) === 'cli';
  const { reading } = recorded;
  const filled: DataFlags = {
    ...flags,
    data: recorded.path,
    format: given('format') ? flags.format : recorded.dataFormat,
    textColumn: given('textColumn') ? flags.textColumn : reading.textColumn,
    labelColumn: given('labelColumn') ? flags.labelColumn : reading.labelColumn,
    textField: given('textField') ? flags.textField : reading.textField,
    labelField: given('labelField') ? flags.labelField : reading.labelField,
    labelMap: given('labelMap') ? flags.labelMap : reading.labelMap,
    onError: given('onError') ? flags.onError : (reading.onError ?? flags.onError),
    maxRecordBytes: given('maxRecordBytes') ? flags.maxRecordBytes : reading.maxRecordBytes,
  };
  process.stderr.write(
    `evaluating on the data the model was trained on: ${recorded.path} (${whatIsScored(recorded, carved)})\n`,
  );
  return { flags: filled, header: reading.header, recorded };
}

/** Which rows of the recorded data are scored, in words. */
function whatIsScored(recorded: DataSourceRecord, carved: boolean): string {
  if (carved) return 'the test rows held out when it was trained';
  const ownTestSplit =
    recorded.dataFormat === 'imdb' ||
    (recorded.dataFormat === 'folder' && existsSync(join(recorded.path, 'test')));
  return ownTestSplit
    ? 'its test split'
    : 'all of it: no test split was held out, so these are training rows';
}
