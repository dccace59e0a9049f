import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import type { EpochRecord } from '../models/classifier.js';
import { DEFAULT_LEARNING_RATES, DEFAULT_NEURAL_HYPER_PARAMETERS as D } from '../models/neural-config.js';
import { trainingReport } from '../report/training-report.js';
import { createTrainer, trainableModels } from '../train/trainers.js';
import { backendOption, startBackend } from './backend-option.js';
import { DATA_HELP, loadImdbForCli } from './dataset-option.js';
import {
  addModelFlags,
  checkModelFlags,
  needsBackend,
  modelOption,
  trainerChoiceFromFlags,
  type ModelFlags,
} from './model-options.js';
import { fraction, nonNegativeInteger, positiveInteger } from './options.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';
import { trainingProgress } from './training-progress.js';

interface TrainFlags extends ModelFlags {
  data?: string;
  out: string;
  seed: number;
  validationSplit: number;
  earlyStopping?: number;
  checkpoint?: string;
  backend: string;
  report?: string;
}

/** Training controls of the neural families that only `train` has (they need one run's validation slice and output). */
const NEURAL_RUN_FLAGS = ['earlyStopping', 'checkpoint'];

export function registerTrain(program: Command): void {
  const command = program
    .command('train')
    .description(
      'train a model on the training split and save it (weights, vocabulary, preprocessing) as one directory',
    )
    .option('--data <path>', DATA_HELP)
    .addOption(modelOption(trainableModels(), 'mlp'))
    .requiredOption('--out <dir>', 'model directory to write (replaced atomically if it exists)')
    .option(
      '--seed <n>',
      'seed for weights, shuffling and held-out slices (same seed, same model)',
      nonNegativeInteger,
      42,
    )
    .option(
      '--validation-split <f>',
      '[mlp, cnn, fasttext, ensemble] fraction of the training split held out for validation, never the test split (ensemble: the slice its weights are learnt on, default 0.1)',
      fraction,
      D.validationSplit,
    )
    .option(
      '--early-stopping <patience>',
      "[mlp, cnn] stop after PATIENCE epochs without a lower val_loss and keep the best epoch's weights (needs --validation-split)",
      positiveInteger,
    )
    .option(
      '--checkpoint <dir>',
      '[mlp, cnn] save the model here after each epoch that lowers val_loss (every epoch without --validation-split), so a crash leaves the best model so far',
    )
    .addOption(backendOption())
    .option('--report <dir>', `[mlp, cnn] ${REPORT_HELP}: training curves (loss, accuracy) per epoch`);
  addModelFlags(command, { members: true }).action(async (flags: TrainFlags, command: Command) => {
    // Early stopping, checkpoints and the curves report are the networks'. fasttext trains in epochs
    // too, but its step size decays to 0 at the last epoch, so stopping early would cut its schedule.
    const family = checkModelFlags(flags, command, {
      linear: ['validationSplit', 'report', ...NEURAL_RUN_FLAGS],
      fasttext: ['report', ...NEURAL_RUN_FLAGS],
      ensemble: ['report', ...NEURAL_RUN_FLAGS],
    });
    if (flags.earlyStopping !== undefined && !(flags.validationSplit > 0)) {
      throw new OptionError(
        '--early-stopping watches val_loss, so it needs --validation-split F > 0 (a slice of the training split)',
      );
    }
    if (needsBackend(family)) await startBackend(flags.backend);
    const ensemble = family === 'ensemble';
    const choice = trainerChoiceFromFlags(flags, {
      neural: ensemble ? 0 : flags.validationSplit,
      ensemble: ensemble && flags.validationSplit > 0 ? flags.validationSplit : undefined,
    });
    const trainer = await createTrainer(flags.model, {
      ...choice,
      neural: {
        ...choice.neural,
        earlyStopping: flags.earlyStopping === undefined ? undefined : { patience: flags.earlyStopping },
        checkpointDir: flags.checkpoint,
      },
    });
    const dataset = await loadImdbForCli(flags.data, ['train']);
    const progress = trainingProgress();
    const history: EpochRecord[] = [];
    const classifier = await trainer.fit(dataset, {
      seed: flags.seed,
      ...progress,
      onEpochEnd(record) {
        history.push(record);
        progress.onEpochEnd?.(record);
      },
    });
    progress.stop();
    await classifier.save(flags.out);
    classifier.dispose();
    process.stderr.write(`saved ${flags.model} model to ${flags.out}\n`);
    if (flags.report !== undefined) {
      const report = trainingReport(history, {
        model: flags.model,
        command: commandLine(command),
        settings: {
          epochs: flags.epochs ?? D.epochs,
          'batch size': flags.batchSize,
          optimizer: flags.optimizer,
          'learning rate': flags.learningRate ?? DEFAULT_LEARNING_RATES[flags.optimizer],
          'num words': flags.numWords,
          'max len': flags.maxLen,
          'skip top': flags.skipTop,
          padding: flags.padding,
          truncating: flags.truncating,
          'drop longer': flags.dropLonger,
          'validation split': flags.validationSplit,
          seed: flags.seed,
        },
      });
      await writeReportForCli(flags.report, report);
    }
  });
}
