import { Option, type Command } from 'commander';
import { createTrainer, trainableModels } from '../train/trainers.js';
import { DEFAULT_NEURAL_HYPER_PARAMETERS as D } from '../models/neural-config.js';
import { backendOption, startBackend } from './backend-option.js';
import { DATA_HELP, loadImdbForCli } from './dataset-option.js';
import { fraction, nonNegativeInteger, positiveInteger, positiveNumber } from './options.js';
import { trainingProgress } from './training-progress.js';

const SIDES = ['pre', 'post'] as const;

interface TrainFlags {
  data?: string;
  model: string;
  out: string;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  numWords: number;
  maxLen: number;
  skipTop: number;
  validationSplit: number;
  padding: 'pre' | 'post';
  truncating: 'pre' | 'post';
  dropLonger: boolean;
  backend: string;
  members?: string[];
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      'train a model on the training split and save it (weights, vocabulary, preprocessing) as one directory',
    )
    .option('--data <path>', DATA_HELP)
    .addOption(
      new Option(
        '--model <name>',
        'model family: mlp and cnn are the tutorial networks (see `polarity summary`); ensemble averages --members',
      )
        .choices(trainableModels())
        .default('mlp'),
    )
    .option(
      '--members <list>',
      'ensemble members, comma-separated: model names to train afresh and/or saved model directories (e.g. nbsvm,cnn)',
      (value: string) =>
        value
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean),
    )
    .requiredOption('--out <dir>', 'model directory to write (replaced atomically if it exists)')
    .option('--epochs <n>', 'passes over the training data', positiveInteger, D.epochs)
    .option('--batch-size <n>', 'reviews per gradient step', positiveInteger, D.batchSize)
    .option('--learning-rate <x>', 'Adam learning rate', positiveNumber, D.learningRate)
    .option(
      '--seed <n>',
      'seed for weights, shuffling and the validation split (same seed, same model)',
      nonNegativeInteger,
      42,
    )
    .option(
      '--num-words <n>',
      'size of the word-id space, 3 reserved ids included (Keras num_words)',
      positiveInteger,
      D.numWords,
    )
    .option(
      '--max-len <n>',
      'reviews are cut or padded to this many ids (start char included)',
      positiveInteger,
      D.maxLen,
    )
    .option(
      '--skip-top <n>',
      'treat the N most frequent words as unknown (Keras skip_top)',
      nonNegativeInteger,
      0,
    )
    .option(
      '--validation-split <f>',
      'fraction of the training split held out for validation (never the test split); for an ensemble, the slice its weights are learnt on (default there 0.1)',
      fraction,
      D.validationSplit,
    )
    .addOption(
      new Option('--padding <side>', 'pad short reviews at the start (pre) or end (post)')
        .choices(SIDES)
        .default('pre'),
    )
    .addOption(
      new Option('--truncating <side>', 'cut long reviews at the start (pre) or end (post)')
        .choices(SIDES)
        .default('pre'),
    )
    .option(
      '--drop-longer',
      'drop training reviews of --max-len ids or more instead of cutting them, as Keras load_data(maxlen) does (evaluation still scores every test review)',
      false,
    )
    .addOption(backendOption())
    .action(async (flags: TrainFlags) => {
      await startBackend(flags.backend);
      const ensemble = flags.model === 'ensemble';
      const trainer = await createTrainer(flags.model, {
        neural: {
          hyperParameters: {
            epochs: flags.epochs,
            batchSize: flags.batchSize,
            learningRate: flags.learningRate,
            numWords: flags.numWords,
            maxLen: flags.maxLen,
            validationSplit: ensemble ? 0 : flags.validationSplit,
          },
          vocabulary: { skipTop: flags.skipTop },
          padding: flags.padding,
          truncating: flags.truncating,
          dropLonger: flags.dropLonger,
        },
        members: flags.members,
        ensembleValidationSplit: ensemble && flags.validationSplit > 0 ? flags.validationSplit : undefined,
      });
      const dataset = await loadImdbForCli(flags.data, ['train']);
      const progress = trainingProgress();
      const classifier = await trainer.fit(dataset, { seed: flags.seed, ...progress });
      progress.stop();
      await classifier.save(flags.out);
      classifier.dispose();
      process.stderr.write(`saved ${flags.model} model to ${flags.out}\n`);
    });
}
