import type { Command } from 'commander';
import { formatSplitRecord, SPLIT_RECORD_FILE } from '../data/split-record.js';
import type { SplitName } from '../data/types.js';
import { OptionError } from '../errors.js';
import type { DataReport } from '../data/load-dataset.js';
import type { Classifier, EpochRecord, FitOptions } from '../models/classifier.js';
import { LinearTrainer } from '../models/linear/linear-trainer.js';
import { FastTextTrainer } from '../models/fasttext/fasttext-trainer.js';
import type { ResolvedFastTextOptions } from '../models/fasttext/fasttext-options.js';
import { DEFAULT_NEURAL_HYPER_PARAMETERS as D } from '../models/neural-config.js';
import { hyperParametersFor } from '../models/registry.js';
import { trainingReport } from '../report/training-report.js';
import { addModelFiles } from '../persist/model-dir.js';
import { createTrainer, trainableModels, type TrainerChoice } from '../train/trainers.js';
import { backendOption, startBackend } from './backend-option.js';
import { addDataOptions, loadDataForCli, streamDataForCli, type DataFlags } from './dataset-option.js';
import {
  addModelFlags,
  checkModelFlags,
  needsBackend,
  modelOption,
  trainerChoiceFromFlags,
  type ModelFlags,
} from './model-options.js';
import { checkLabelsForCli, strictLabelsOption, TRAIN_LABELS_HELP } from './label-option.js';
import { fraction, nonNegativeInteger, positiveInteger } from './options.js';
import { claimOutputsForCli, overwriteOption } from './output-option.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';
import { trainingProgress } from './training-progress.js';

interface TrainFlags extends ModelFlags, DataFlags {
  stream: boolean;
  out: string;
  seed: number;
  validationSplit: number;
  earlyStopping?: number;
  checkpoint?: string;
  backend: string;
  report?: string;
  strictLabels: boolean;
  overwrite: boolean;
}

/** Training controls of the neural families that only `train` has (they need one run's validation slice and output). */
const NEURAL_RUN_FLAGS = ['earlyStopping', 'checkpoint'];

export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description(
      'train a model on the training split and save it (weights, vocabulary, preprocessing) as one directory',
    );
  addDataOptions(command, { testSplit: true })
    .addOption(modelOption(trainableModels(), 'mlp'))
    .requiredOption(
      '--out <dir>',
      'model directory to write (an earlier model there is replaced atomically; anything else needs --overwrite)',
    )
    .option(
      '--seed <n>',
      'seed for weights, shuffling and held-out slices (same seed, same model)',
      nonNegativeInteger,
      42,
    )
    .option(
      '--validation-split <f>',
      '[neural, fasttext, ensemble] fraction of the training split held out for validation, never the test split (ensemble: the slice its weights are learnt on, default 0.1)',
      fraction,
      D.validationSplit,
    )
    .option(
      '--early-stopping <patience>',
      "[neural, fasttext] stop after PATIENCE epochs without a lower val_loss and keep the best epoch's weights (needs --validation-split)",
      positiveInteger,
    )
    .option(
      '--checkpoint <dir>',
      '[neural] save the model here after each epoch that lowers val_loss (every epoch without --validation-split), so a crash leaves the best model so far',
    )
    .option(
      '--stream',
      '[nb, linear, nbsvm] read --data in passes instead of loading it, for data larger than memory (not IMDB): one pass checks the rows, one learns the vocabulary, one builds the features; texts are never held',
      false,
    )
    .addOption(strictLabelsOption(TRAIN_LABELS_HELP))
    .addOption(backendOption())
    .option('--report <dir>', `[neural, fasttext] ${REPORT_HELP}: training curves (loss, accuracy) per epoch`)
    .addOption(overwriteOption());
  addModelFlags(command, { members: true }).action(async (flags: TrainFlags, command: Command) => {
    // Checkpoints are the networks'; fasttext trains in epochs too, so it stops early and draws curves.
    const family = checkModelFlags(flags, command, {
      linear: ['validationSplit', 'report', ...NEURAL_RUN_FLAGS],
      fasttext: ['stream', 'checkpoint'],
      ensemble: ['report', 'stream', ...NEURAL_RUN_FLAGS],
      neural: ['stream'],
    });
    if (flags.earlyStopping !== undefined && !(flags.validationSplit > 0)) {
      throw new OptionError(
        '--early-stopping watches val_loss, so it needs --validation-split F > 0 (a slice of the training split)',
      );
    }
    await claimOutputsForCli(
      [
        { flag: '--out', dir: flags.out, kind: 'model' },
        { flag: '--checkpoint', dir: flags.checkpoint, kind: 'model' },
        { flag: '--report', dir: flags.report, kind: 'report' },
      ],
      flags,
    );
    if (needsBackend(family)) await startBackend(flags.backend);
    const ensemble = family === 'ensemble';
    const choice = trainerChoiceFromFlags(flags, {
      neural: ensemble ? 0 : flags.validationSplit,
      ensemble: ensemble && flags.validationSplit > 0 ? flags.validationSplit : undefined,
    });
    const earlyStopping = flags.earlyStopping === undefined ? undefined : { patience: flags.earlyStopping };
    const trainer = await createTrainer(flags.model, {
      ...choice,
      fasttext: { ...choice.fasttext, earlyStopping },
      neural: {
        ...choice.neural,
        earlyStopping,
        checkpointDir: flags.checkpoint,
      },
    });
    const progress = trainingProgress();
    const history: EpochRecord[] = [];
    const fit: FitOptions = {
      seed: flags.seed,
      ...progress,
      onEpochEnd(record) {
        history.push(record);
        progress.onEpochEnd?.(record);
      },
    };
    const labelCheck = { strict: flags.strictLabels, unknownMeans: 'the training split' };
    let data: DataReport;
    let classifier: Classifier;
    if (flags.stream && trainer instanceof LinearTrainer) {
      const streamed = await streamDataForCli(flags, command, { seed: flags.seed });
      data = streamed.report;
      // The rows are not held, so only the left-out test labels can be counted here.
      checkLabelsForCli([], data, labelCheck);
      classifier = await trainer.fitBatches(
        { labels: streamed.labels, read: () => streamed.batches('train') },
        fit,
      );
    } else {
      // A carved test split needs both splits: the record lists the test rows, the leak check compares.
      const splits: SplitName[] = flags.testSplit === undefined ? ['train'] : ['train', 'test'];
      const loaded = await loadDataForCli(flags, command, { splits, seed: flags.seed });
      data = loaded.report;
      checkLabelsForCli(loaded.dataset.train, data, labelCheck);
      classifier = await trainer.fit(loaded.dataset, fit);
    }
    progress.stop();
    await classifier.save(flags.out);
    classifier.dispose();
    if (data.split) await addModelFiles(flags.out, { [SPLIT_RECORD_FILE]: formatSplitRecord(data.split) });
    process.stderr.write(`saved ${flags.model} model to ${flags.out}\n`);
    if (data.split) {
      process.stderr.write(
        `its ${SPLIT_RECORD_FILE} lists the held-out test rows; \`polarity evaluate --model ${flags.out}\` with the same --data scores exactly those\n`,
      );
    }
    if (flags.report !== undefined) {
      const report = trainingReport(history, {
        model: flags.model,
        command: commandLine(command),
        settings:
          trainer instanceof FastTextTrainer
            ? fastTextSettings(trainer.options, flags.seed)
            : neuralSettings(flags, choice.neural),
      });
      await writeReportForCli(flags.report, report);
    }
  });
}

/** The settings a fastText training report lists. */
/** A network's settings for the report: the architecture's own defaults fill what the command line left unset. */
function neuralSettings(
  flags: TrainFlags,
  neural: TrainerChoice['neural'],
): Record<string, string | number | boolean> {
  const params = hyperParametersFor(flags.model, neural?.hyperParameters);
  return {
    epochs: params.epochs,
    'batch size': params.batchSize,
    optimizer: params.optimizer,
    'learning rate': params.learningRate,
    'num words': params.numWords,
    'max len': params.maxLen,
    'embedding dim': params.embeddingDim,
    'skip top': neural?.vocabulary?.skipTop ?? 0,
    padding: neural?.padding ?? 'pre',
    truncating: neural?.truncating ?? 'pre',
    'drop longer': neural?.dropLonger ?? false,
    'validation split': flags.validationSplit,
    'early stopping': flags.earlyStopping === undefined ? 'off' : `patience ${flags.earlyStopping}`,
    seed: flags.seed,
  };
}

function fastTextSettings(
  options: ResolvedFastTextOptions,
  seed: number,
): Record<string, string | number | boolean> {
  return {
    dim: options.dim,
    epochs: options.epochs,
    'learning rate': options.learningRate,
    ngrams: options.ngrams,
    buckets: options.buckets,
    'min count': options.minCount,
    'validation split': options.validationSplit,
    'early stopping': options.earlyStopping ? `patience ${options.earlyStopping.patience}` : 'off',
    seed,
  };
}
