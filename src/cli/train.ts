import type { Command } from 'commander';
import { SPLIT_RECORD_FILE } from '../data/split-record.js';
import { OptionError } from '../errors.js';
import { trainingSplits, trainModel } from '../experiments/train-model.js';
import { families, familyNamed } from '../models/families.js';
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
  unlabelled?: string;
  transductive: boolean;
}

/** The `[models]` tag of the unlabelled-text flags: the models of the families that learn from such text. */
function learnersTag(): string {
  const models = families()
    .filter((f) => f.learnsFromUnlabelled)
    .flatMap((f) => f.models());
  return models.length > 0 ? `[${models.join(', ')}] ` : '';
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
    .option(
      '--unlabelled <path>',
      `${learnersTag()}texts without labels to learn from as well: a tarball or folder of .txt files (IMDB's train/unsup/ when it has one), a text file of one text per line, or any data format (labels ignored); without it, the train/unsup/ of an IMDB --data is read when there is one. Test-split texts are refused`,
    )
    .option(
      '--transductive',
      `${learnersTag()}let --unlabelled hold test-split texts (e.g. the IMDB archive's test/); the model and every figure of it then say "transductive"`,
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
    if (flags.transductive && flags.unlabelled === undefined) {
      throw new OptionError(
        '--transductive says that --unlabelled may hold test-split texts: give --unlabelled PATH',
      );
    }
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
      unlabelled:
        flags.unlabelled === undefined
          ? undefined
          : { path: flags.unlabelled, transductive: flags.transductive },
      imdbUnsupFrom: flags.data,
    });
    progress.stop();
    classifier.dispose();
    process.stderr.write(`saved ${flags.model} model to ${flags.out}\n`);
    if (flags.transductive) {
      process.stderr.write(
        'transductive: it learnt from test-split texts, so its test figures are transductive\n',
      );
    }
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
