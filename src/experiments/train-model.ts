/**
 * One training run, as `polarity train` makes it and a library user gets it too: the trainer of a
 * model name from the family table (with the run's own controls put where its family reads them),
 * the data read whole or in passes, its labels checked, the model fitted, saved with the record of a
 * carved test split, and the epochs it trained kept for a report. The CLI adds only flags, the
 * claiming of its outputs and what it prints.
 */
import {
  DATA_SOURCE_FILE,
  dataSourceRecord,
  formatDataSource,
  readingOf,
  type DataReading,
} from '../data/data-source.js';
import { loadDataset, type DataReport, type LoadDatasetOptions } from '../data/load-dataset.js';
import { checkLabelCounts, reportLabelFindings } from '../data/label-check.js';
import { formatSplitRecord, SPLIT_RECORD_FILE } from '../data/split-record.js';
import { streamDataset, type StreamedDataset } from '../data/stream-dataset.js';
import { TEXT_HASHES_FILE, TextHashCollector, TextHashSet } from '../data/text-hashes.js';
import type { Dataset, Example, SplitName } from '../data/types.js';
import { loadUnlabelled } from '../data/unlabelled.js';
import { OptionError } from '../errors.js';
import {
  canFitBatches,
  DEFAULT_SEED,
  type Classifier,
  type EpochRecord,
  type FitOptions,
  type TrainingCallbacks,
  type UnlabelledInput,
} from '../models/classifier.js';
import { families, familyOfModel } from '../models/families.js';
import type { ChoicePath, ModelFamilyEntry, RunOptions } from '../models/family.js';
import { setIn } from '../models/options.js';
import { createTrainer, trainableModels, type TrainerChoice } from '../models/trainers.js';
import { addModelFiles } from '../persist/model-dir.js';

export type { RunOptions } from '../models/family.js';

/** Training data, read whole or (for a family that streams) in passes. */
export interface TrainingData {
  /** Reads the data whole: its training split, and the test split carved from it when one is. */
  load(): Promise<{ readonly dataset: Dataset; readonly report?: DataReport }>;
  /** Opens it for reading in passes; absent where the data can only be held. */
  stream?(): Promise<StreamedDataset>;
  /**
   * How the data is read, for the model's `data-source.json` (with the path and format its read
   * reports), so that `evaluate` can read it again; absent for data given in memory, which records nothing.
   */
  readonly reading?: DataReading;
}

export interface TrainModelOptions {
  /** A model name the family table lists (`trainableModels()`). */
  readonly model: string;
  readonly data: TrainingData;
  /** The model's options, as `createTrainer` takes them. */
  readonly options?: TrainerChoice;
  /** The run's own controls, put where the model's family reads them; one it does not read is refused. */
  readonly run?: RunOptions;
  /** Read the data in passes, never holding the texts (families whose entry says `run.streams`). */
  readonly stream?: boolean;
  /** Seed of the weights, the shuffling and the held-out slices. Default 42. */
  readonly seed?: number;
  /** Training progress, as a trainer's `fit` takes it. */
  readonly callbacks?: TrainingCallbacks;
  /**
   * Labels too rare to learn, or test rows left out for a label the training split lacks: refused
   * (`strict`), or told through `warn` (default: neither).
   */
  readonly labels?: { readonly strict?: boolean; readonly warn?: (line: string) => void };
  /** Where to save the model, with the rows of a carved test split; absent: it is not saved. */
  readonly out?: string;
  /**
   * Texts without labels for a family that learns from them (its entry's `learnsFromUnlabelled`; refused
   * for the others): read from `path` (see data/unlabelled.ts), test-split texts only when `transductive`.
   */
  readonly unlabelled?: { readonly path: string; readonly transductive?: boolean };
  /**
   * The IMDB archive or folder the data comes from: a family that learns from unlabelled text reads its
   * `train/unsup/` when there is one and `unlabelled` is not given.
   */
  readonly imdbUnsupFrom?: string;
}

export interface TrainedModel {
  /** The fitted model: the caller disposes of it. */
  readonly classifier: Classifier;
  /** Each epoch's metrics, for a family that trains in epochs (empty otherwise). */
  readonly history: readonly EpochRecord[];
  /** What reading the data found; absent for data given in memory without one. */
  readonly data?: DataReport;
  /** The settings a training report lists: the family's, or else the seed. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
}

/** The splits to read for training: a carved test split needs both (its record lists the test rows, the leak check compares). */
export function trainingSplits(testSplit: number | undefined): SplitName[] {
  return testSplit === undefined ? ['train'] : ['train', 'test'];
}

/** Training data in a file or folder of any supported format, read with `loadDataset`'s options. */
export function trainingDataFrom(path: string, options: LoadDatasetOptions = {}): TrainingData {
  return {
    load: () =>
      loadDataset(path, { ...options, splits: options.splits ?? trainingSplits(options.testSplit) }),
    stream: () => streamDataset(path, options),
    reading: readingOf(options),
  };
}

/** Training data already in memory. */
export function trainingDataOf(dataset: Dataset): TrainingData {
  return { load: async () => ({ dataset }) };
}

/** The family of `model`, or an OptionError listing the names the table knows. */
function familyOf(model: string): ModelFamilyEntry<TrainerChoice> {
  const family = familyOfModel(model);
  if (!family)
    throw new OptionError(`unknown model "${model}"; expected one of: ${trainableModels().join(', ')}`);
  return family;
}

/**
 * `choice` with the run's controls where the family of `model` reads them (an unset one is left
 * out, so the family keeps its default); a control the family does not read is an OptionError.
 */
export function withRunOptions(model: string, choice: TrainerChoice, run: RunOptions): TrainerChoice {
  const facts = familyOf(model).run ?? {};
  const places: readonly [keyof RunOptions, ChoicePath | undefined][] = [
    ['validationSplit', facts.validationSplit?.path],
    ['earlyStopping', facts.earlyStopping],
    ['checkpointDir', facts.checkpointDir],
  ];
  let placed = choice;
  for (const [control, path] of places) {
    if (run[control] === undefined) continue;
    if (path === undefined) throw new OptionError(`${control} does not apply to model ${model}`);
    placed = setIn(placed, path, run[control]);
  }
  return placed;
}

/**
 * Trains `model` on `data`: the trainer is made (and its options checked) before any data is read.
 * @throws OptionError for an unknown model, options it refuses, or `stream` for a family that reads
 *   its data whole; DatasetError for bad data or (with `labels.strict`) labels too rare to learn.
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainedModel> {
  const { model, data, callbacks = {}, labels = {} } = options;
  const family = familyOf(model);
  const seed = options.seed ?? DEFAULT_SEED;
  const trainer = await createTrainer(model, withRunOptions(model, options.options ?? {}, options.run ?? {}));
  const history: EpochRecord[] = [];
  const unlabelled = await unlabelledFor(family, model, options);
  const fit: FitOptions = {
    ...callbacks,
    seed,
    ...(unlabelled ? { unlabelled } : {}),
    onEpochEnd(record) {
      history.push(record);
      callbacks.onEpochEnd?.(record);
    },
  };
  const checkLabels = (train: readonly Example[], report: DataReport | undefined, name: string) =>
    reportLabelFindings(checkLabelCounts(train, report?.problems ?? []), {
      strict: labels.strict ?? false,
      data: report?.path ?? name,
      unknownMeans: 'the training split',
      warn: labels.warn ?? (() => {}),
    });
  let report: DataReport | undefined;
  let classifier: Classifier;
  let texts: TextHashSet | undefined;
  if (options.stream) {
    if (!family.run?.streams || !canFitBatches(trainer)) {
      throw new OptionError(`model ${model} reads its training data whole; it cannot stream it`);
    }
    if (!data.stream) throw new OptionError('this training data cannot be read in passes');
    const streamed = await data.stream();
    report = streamed.report;
    // The rows are not held, so only the left-out test labels can be counted here.
    checkLabels([], report, streamed.name);
    const hashes = firstWholePass(() => streamed.batches('train'));
    classifier = await trainer.fitBatches({ labels: streamed.labels, read: hashes.read }, fit);
    texts = hashes.collected();
  } else {
    const loaded = await data.load();
    report = loaded.report;
    checkLabels(loaded.dataset.train, report, loaded.dataset.name);
    classifier = await trainer.fit(loaded.dataset, fit);
    if (options.out !== undefined) texts = TextHashSet.of(loaded.dataset.train.map((e) => e.text));
  }
  if (options.out !== undefined) await save(classifier, options.out, report, data.reading, texts);
  return {
    classifier,
    history,
    data: report,
    settings: family.trainingSettings?.(trainer, seed) ?? { seed },
  };
}

/** The unlabelled texts the family of `model` learns from, if any; refused for a family that cannot. */
async function unlabelledFor(
  family: ModelFamilyEntry<TrainerChoice>,
  model: string,
  options: TrainModelOptions,
): Promise<UnlabelledInput | undefined> {
  const given = options.unlabelled;
  if (given !== undefined && !family.learnsFromUnlabelled) {
    const learners = families().filter((f) => f.learnsFromUnlabelled);
    throw new OptionError(
      `model ${model} does not learn from unlabelled text; models that do: ${learners.flatMap((f) => f.models()).join(', ')}`,
    );
  }
  if (given !== undefined) return loadUnlabelled(given.path, { transductive: given.transductive });
  if (!family.learnsFromUnlabelled || options.imdbUnsupFrom === undefined) return undefined;
  const found = await loadUnlabelled(options.imdbUnsupFrom, { onlyImdbUnsup: true });
  return found.texts.length > 0 ? found : undefined;
}

/**
 * Saves the model with what it records of its data: which rows went where for a carved test split,
 * where the data was read from (not for data in memory), and the hashes of its training texts (for
 * `evaluate`'s overlap warning). Frees the model if that fails.
 */
async function save(
  classifier: Classifier,
  out: string,
  report: DataReport | undefined,
  reading: DataReading | undefined,
  texts: TextHashSet | undefined,
): Promise<void> {
  try {
    await classifier.save(out);
    await addModelFiles(out, {
      ...(report?.split ? { [SPLIT_RECORD_FILE]: formatSplitRecord(report.split) } : {}),
      ...(report && reading
        ? { [DATA_SOURCE_FILE]: formatDataSource(dataSourceRecord(report.path, report.format, reading)) }
        : {}),
      ...(texts ? { [TEXT_HASHES_FILE]: texts.toBytes() } : {}),
    });
  } catch (error) {
    classifier.dispose();
    throw error;
  }
}

/**
 * Batches read in passes, with the hashes of their texts collected on the first pass that runs to its
 * end (a trainer may make many passes; one is enough, and one that stops early is not).
 */
function firstWholePass(read: () => AsyncIterable<readonly Example[]>): {
  read: () => AsyncIterable<readonly Example[]>;
  collected: () => TextHashSet | undefined;
} {
  let done: TextHashSet | undefined;
  return {
    read: () => {
      if (done) return read();
      return (async function* () {
        const collector = new TextHashCollector();
        for await (const batch of read()) {
          for (const example of batch) collector.add(example.text);
          yield batch;
        }
        done ??= collector.sorted();
      })();
    },
    collected: () => done,
  };
}
