import type { Command } from 'commander';
import { SPLIT_RECORD_FILE } from '../data/split-record.js';
import { OptionError } from '../errors.js';
import { trainingSplits, trainModel } from '../experiments/train-model.js';
import { familyNamed } from '../models/families.js';
import { trainingReport } from '../report/training-report.js';
import { trainableModels } from '../models/trainers.js';
import { backendOption, useBackend } from './backend-option.js';
import {
  addDataOptions,
  dataReadingOfFlags,
  loadDataForCli,
  streamDataForCli,
  type DataFlags,
} from './dataset-option.js';
import {
  addModelFlags,
  checkModelFlags,
  modelOption,
  trainerChoiceFromFlags,
  type ModelFlags,
} from './model-options.js';
import { strictLabelsOption, TRAIN_LABELS_HELP } from './label-option.js';
import { fraction, nonNegativeInteger, positiveInteger } from './options.js';
import { claimOutputsForCli, overwriteOption } from './output-option.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';
import {
  defaultValidationSplit,
  runFlagsNotRead,
  runFlagTag,
  runOptionsFromFlags,
  validationSplitUses,
} from './run-options.js';
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
      `${runFlagTag('validationSplit')}fraction of the training split held out for validation, never the test split${validationSplitUses()}`,
      fraction,
      defaultValidationSplit(),
    )
    .option(
      '--early-stopping <patience>',
      `${runFlagTag('earlyStopping')}stop after PATIENCE epochs without a lower val_loss and keep the best epoch's weights (needs --validation-split)`,
      positiveInteger,
    )
    .option(
      '--checkpoint <dir>',
      `${runFlagTag('checkpoint')}save the model here after each epoch that lowers val_loss (every epoch without --validation-split), so a crash leaves the best model so far`,
    )
    .option(
      '--stream',
      `${runFlagTag('stream')}read --data in passes instead of loading it, for data larger than memory (not IMDB): one pass checks the rows, one learns the vocabulary, one builds the features; texts are never held`,
      false,
    )
    .addOption(strictLabelsOption(TRAIN_LABELS_HELP))
    .addOption(backendOption())
    .option(
      '--report <dir>',
      `${runFlagTag('report')}${REPORT_HELP}: training curves (loss, accuracy) per epoch`,
    )
    .addOption(overwriteOption());
  addModelFlags(command, { members: true }).action(async (flags: TrainFlags, command: Command) => {
    // Which run flags each family reads is a fact of its table entry (models/<family>/family.ts).
    const family = checkModelFlags(flags, command, runFlagsNotRead());
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
    useBackend(flags.backend);
    const progress = trainingProgress();
    const { classifier, history, data, settings } = await trainModel({
      model: flags.model,
      options: trainerChoiceFromFlags(flags),
      run: runOptionsFromFlags(flags, familyNamed(family)),
      stream: flags.stream,
      seed: flags.seed,
      data: {
        load: () =>
          loadDataForCli(flags, command, { splits: trainingSplits(flags.testSplit), seed: flags.seed }),
        stream: () => streamDataForCli(flags, command, { seed: flags.seed }),
        reading: dataReadingOfFlags(flags, command),
      },
      callbacks: progress,
      labels: { strict: flags.strictLabels, warn: (line) => process.stderr.write(`${line}\n`) },
      out: flags.out,
    });
    progress.stop();
    classifier.dispose();
    process.stderr.write(`saved ${flags.model} model to ${flags.out}\n`);
    if (data?.split) {
      process.stderr.write(
        `its ${SPLIT_RECORD_FILE} lists the held-out test rows; \`polarity evaluate --model ${flags.out}\` with the same --data scores exactly those\n`,
      );
    }
    if (flags.report !== undefined) {
      const report = trainingReport(history, {
        model: flags.model,
        command: commandLine(command),
        settings,
      });
      await writeReportForCli(flags.report, report);
    }
  });
}
