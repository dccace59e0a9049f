/**
 * The model flags that `train`, `cv` and `search` share: `--model`, each family's hyper-parameter
 * flags, and `--members` for ensembles; the check that no flag of another family was given; and the
 * `TrainerChoice` the flags describe.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { OptionError } from '../errors.js';
import {
  FASTTEXT_DEFAULTS as F,
  MAX_BUCKETS,
  MAX_FASTTEXT_DIM,
} from '../models/fasttext/fasttext-options.js';
import { LINEAR_LOSSES, MAX_HASH_BITS } from '../models/linear/linear-options.js';
import { MAX_NEURAL_SIZES as MAX } from '../models/neural/network-size.js';
import {
  DEFAULT_LEARNING_RATES,
  DEFAULT_NEURAL_HYPER_PARAMETERS as D,
  LEARNING_RATE_SCHEDULES,
  NEURAL_OPTIMIZERS,
  RECURRENT_POOLINGS,
  type LearningRateSchedule,
  type NeuralHyperParameters,
  type NeuralOptimizer,
  type RecurrentPooling,
} from '../models/neural/neural-config.js';
import { architecture, hyperParametersFor, modelNames as neuralNames } from '../models/neural/registry.js';
import { WORD_VECTOR_FORMATS, type WordVectorFormat } from '../text/embeddings/word-vectors.js';
import { parseClassWeight, type ClassWeightSpec } from '../fit/class-weight.js';
import { familyNeedsBackend } from '../models/families.js';
import { modelFamily, type ModelFamily, type TrainerChoice } from '../models/trainers.js';
import {
  fraction,
  nonNegativeInteger,
  positiveInteger,
  positiveIntegerList,
  positiveIntegerUpTo,
  positiveNumber,
} from './options.js';

/** --max-features at most: as many columns as the widest hashed space (--hash-bits 30). */
const MAX_FEATURES = 2 ** MAX_HASH_BITS;

const SIDES = ['pre', 'post'] as const;

export interface ModelFlags {
  model: string;
  members?: string[];
  classWeight?: ClassWeightSpec;
  // neural and fasttext (unset: each model's own default)
  epochs?: number;
  learningRate?: number;
  // neural (unset: the architecture's default)
  batchSize?: number;
  optimizer: NeuralOptimizer;
  learningRateSchedule?: LearningRateSchedule;
  numWords?: number;
  maxLen?: number;
  embeddingDim?: number;
  hiddenUnits?: number;
  filters?: number;
  filterSizes?: number[];
  units?: number;
  pooling?: RecurrentPooling;
  dropout?: number;
  skipTop: number;
  padding: 'pre' | 'post';
  truncating: 'pre' | 'post';
  dropLonger: boolean;
  embeddings?: string;
  embeddingsFormat?: WordVectorFormat;
  freezeEmbeddings: boolean;
  /** `--max-record-bytes` of the data options, which bounds the lines of --embeddings too. */
  maxRecordBytes?: number;
  // linear
  ngrams?: number;
  minDf?: number;
  maxFeatures?: number;
  hashBits?: number;
  c?: number;
  loss?: (typeof LINEAR_LOSSES)[number];
  alpha?: number;
  sublinearTf?: boolean;
  counts?: boolean;
  // fasttext
  dim?: number;
  buckets?: number;
  minCount?: number;
}

/**
 * The families that read each family-specific flag; giving one to another family is an error, not
 * silently ignored. An ensemble passes the flags on to its fresh members.
 */
const FLAG_FAMILIES: Readonly<Record<string, readonly ModelFamily[]>> = {
  classWeight: ['neural', 'linear', 'fasttext'],
  epochs: ['neural', 'fasttext'],
  learningRate: ['neural', 'fasttext'],
  batchSize: ['neural'],
  optimizer: ['neural'],
  learningRateSchedule: ['neural'],
  numWords: ['neural'],
  maxLen: ['neural'],
  embeddingDim: ['neural'],
  hiddenUnits: ['neural'],
  filters: ['neural'],
  filterSizes: ['neural'],
  units: ['neural'],
  pooling: ['neural'],
  dropout: ['neural'],
  skipTop: ['neural'],
  padding: ['neural'],
  truncating: ['neural'],
  dropLonger: ['neural'],
  embeddings: ['neural'],
  embeddingsFormat: ['neural'],
  freezeEmbeddings: ['neural'],
  ngrams: ['linear', 'fasttext'],
  minDf: ['linear'],
  maxFeatures: ['linear'],
  hashBits: ['linear'],
  c: ['linear'],
  loss: ['linear'],
  alpha: ['linear'],
  sublinearTf: ['linear'],
  counts: ['linear'],
  dim: ['fasttext'],
  buckets: ['fasttext'],
  minCount: ['fasttext'],
};
/** Neural flags that only some architectures read (see each registry entry's `reads`). */
const ARCHITECTURE_SPECIFIC = [
  'hiddenUnits',
  'filters',
  'filterSizes',
  'units',
  'pooling',
  'dropout',
] as const;
/** An ensemble trains fresh members with the flags, but a saved member would silently ignore these. */
const NOT_ENSEMBLE = ['classWeight'];

export const FAMILIES_HELP = `
Model families:
  mlp, cnn      the Keras tutorial's networks over a learnt word embedding (neural options)
  cnn-global    Conv1D of several widths, each max-pooled over the whole review, then Dense(relu) and dropout (Kim 2014)
  lstm, gru     a recurrent layer over the embedding (padding masked); its last state (--pooling last) or
                its states max-pooled over the review (--pooling max) feed the output
  bilstm        the same with a bidirectional LSTM (both directions' states; default --pooling max)
  nb            multinomial naive Bayes (default: binary 1-3-grams, min-df 2)
  linear        TF-IDF + linear SVM or logistic regression (--loss; default: 1-2-grams, min-df 2, sublinear tf,
                squared hinge, C 1; SVM probabilities by Platt scaling on a held-out slice of the training split)
  nbsvm         NBSVM (Wang & Manning 2012): binary n-grams scaled by the naive-Bayes log-count ratio
                (default: 1-3-grams, min-df 3, logistic, C 1)
  fasttext      fastText (Joulin et al. 2016): the mean of word and hashed word-bigram vectors → softmax,
                trained by SGD (default: dim ${F.dim}, ${F.epochs} epochs, learning rate ${F.learningRate} decaying to 0,
                ${F.buckets.toLocaleString('en-US')} buckets, min-count ${F.minCount}); an epoch over IMDB takes seconds
  ensemble      averages --members (names trained afresh and/or saved model directories); weights
                are learnt on --validation-split (default 0.1) of the training split, never the test split
Defaults per model are documented in the README (they were chosen by measurement).`;

/** The neural architectures that read hyper-parameter `key` (all of them when omitted). */
function readers(key?: keyof NeuralHyperParameters): string[] {
  return neuralNames().filter((name) => key === undefined || architecture(name).reads.includes(key));
}

/**
 * Help text for a neural flag: which models read it, what it does, and its default per model
 * (`fastText`: the flag's default for fasttext, which reads it too).
 */
function neuralHelp(
  key: keyof NeuralHyperParameters,
  text: string,
  options: { readonly specific?: boolean; readonly fastText?: number } = {},
): string {
  const names = readers(options.specific ? key : undefined);
  const byValue = new Map<string, string[]>();
  for (const name of names) {
    const value = String(hyperParametersFor(name)[key]);
    byValue.set(value, [...(byValue.get(value) ?? []), name]);
  }
  const defaults = [...byValue].map(([value, models]) => `${models.join(', ')} ${value}`);
  if (options.fastText !== undefined) defaults.push(`fasttext ${options.fastText}`);
  const families = [options.specific ? names.join(', ') : 'neural'];
  if (options.fastText !== undefined) families.push('fasttext');
  return byValue.size === 1 && options.fastText === undefined
    ? `[${families.join(', ')}] ${text} (default: ${[...byValue.keys()][0]})`
    : `[${families.join(', ')}] ${text} (defaults: ${defaults.join('; ')})`;
}

/** `--model`, limited to the names a command can work with; mandatory unless a default is given. */
export function modelOption(models: readonly string[], defaultModel?: string): Option {
  const option = new Option('--model <name>', 'model family (see below)').choices(models);
  return defaultModel === undefined ? option.makeOptionMandatory() : option.default(defaultModel);
}

/**
 * Adds each family's hyper-parameter flags (and, for commands that can train an ensemble,
 * `--members`) to `command`, with the families' help after the options.
 */
export function addModelFlags(command: Command, options: { readonly members: boolean }): Command {
  if (options.members) {
    command.option(
      '--members <list>',
      'ensemble members, comma-separated: model names and/or saved model directories (e.g. nbsvm,cnn)',
      commaList,
    );
  }
  return (
    command
      .option(
        '--class-weight <spec>',
        "[neural, nb, linear, nbsvm, fasttext] weigh each label's training reviews: auto (n / (labels × n_label), scikit-learn's 'balanced'), none, or label=weight pairs such as neg=2,pos=1",
        classWeightArgument,
      )
      // neural and fasttext (no commander defaults: an unset flag takes the model's default)
      .option(
        '--epochs <n>',
        neuralHelp('epochs', 'passes over the training data', { fastText: F.epochs }),
        positiveInteger,
      )
      // neural
      .option(
        '--batch-size <n>',
        neuralHelp('batchSize', 'reviews per gradient step'),
        positiveIntegerUpTo(MAX.batchSize),
      )
      .addOption(
        new Option('--optimizer <name>', '[neural] gradient-descent method')
          .choices(NEURAL_OPTIMIZERS)
          .default(D.optimizer),
      )
      .option(
        '--learning-rate <x>',
        `[neural, fasttext] optimizer step size (default: ${NEURAL_OPTIMIZERS.map((o) => `${o} ${DEFAULT_LEARNING_RATES[o]}`).join(', ')}, as Keras, unless the model sets its own: see the README); fasttext: the SGD step, decaying linearly to 0 (default: ${F.learningRate})`,
        positiveNumber,
      )
      .addOption(
        new Option(
          '--learning-rate-schedule <kind>',
          neuralHelp(
            'learningRateSchedule',
            'the step size stays at --learning-rate (constant) or falls in a straight line to 0 over all epochs (linear), so that the last batches barely move the model',
          ),
        ).choices(LEARNING_RATE_SCHEDULES),
      )
      .option(
        '--num-words <n>',
        neuralHelp('numWords', 'size of the word-id space, 3 reserved ids included (Keras num_words)'),
        positiveIntegerUpTo(MAX.numWords),
      )
      .option(
        '--max-len <n>',
        neuralHelp('maxLen', 'reviews are cut or padded to this many ids (start char included)'),
        positiveIntegerUpTo(MAX.maxLen),
      )
      .option(
        '--embedding-dim <n>',
        neuralHelp('embeddingDim', 'dimensions of the learnt word embedding'),
        positiveIntegerUpTo(MAX.embeddingDim),
      )
      .option(
        '--hidden-units <n>',
        neuralHelp('hiddenUnits', 'units of the hidden Dense(relu) layer', {
          specific: true,
        }),
        positiveIntegerUpTo(MAX.hiddenUnits),
      )
      .option(
        '--filters <n>',
        neuralHelp('filters', 'convolution filters (per width for cnn-global)', { specific: true }),
        positiveIntegerUpTo(MAX.filters),
      )
      .option(
        '--filter-sizes <list>',
        neuralHelp('filterSizes', 'comma-separated widths of the parallel convolutions', { specific: true }),
        positiveIntegerList,
      )
      .option(
        '--units <n>',
        neuralHelp('units', 'units of the recurrent layer (per direction)', { specific: true }),
        positiveIntegerUpTo(MAX.units),
      )
      .addOption(
        new Option(
          '--pooling <kind>',
          neuralHelp(
            'pooling',
            "what of the recurrent layer's states feeds the output: the last state, or each feature's maximum over the review's states",
            { specific: true },
          ),
        ).choices(RECURRENT_POOLINGS),
      )
      .option(
        '--dropout <f>',
        neuralHelp('dropout', 'fraction of the features dropped before the output layer while training', {
          specific: true,
        }),
        fraction,
      )
      .option(
        '--skip-top <n>',
        '[neural] treat the N most frequent words as unknown (Keras skip_top)',
        nonNegativeInteger,
        0,
      )
      .addOption(
        new Option('--padding <side>', '[neural] pad short reviews at the start (pre) or end (post)')
          .choices(SIDES)
          .default('pre'),
      )
      .addOption(
        new Option('--truncating <side>', '[neural] cut long reviews at the start (pre) or end (post)')
          .choices(SIDES)
          .default('pre'),
      )
      .option(
        '--drop-longer',
        '[neural] drop training reviews of --max-len ids or more instead of cutting them, as Keras load_data(maxlen) does (evaluation still scores every test review)',
        false,
      )
      .option(
        '--embeddings <file>',
        "[neural] start the embedding from pre-trained word vectors (GloVe text, word2vec text or binary, gzip allowed); the embedding dimension becomes the file's",
      )
      .addOption(
        new Option(
          '--embeddings-format <format>',
          '[neural] format of --embeddings (default: a .bin name is word2vec-binary, a first line "WORDS DIMENSIONS" is word2vec-text, anything else glove)',
        ).choices(WORD_VECTOR_FORMATS),
      )
      .option(
        '--freeze-embeddings',
        '[neural] keep the pre-trained vectors of --embeddings fixed instead of fine-tuning them',
        false,
      )
      // linear
      .option(
        '--ngrams <n>',
        `[nb, linear, nbsvm, fasttext] use all n-grams from 1 to N words (fasttext: hashed into --buckets rows; default ${F.ngrams})`,
        positiveInteger,
      )
      .option(
        '--min-df <n>',
        '[nb, linear, nbsvm] keep n-grams found in at least N training reviews',
        positiveInteger,
      )
      .option(
        '--max-features <n>',
        '[nb, linear, nbsvm] keep only the N most frequent n-grams',
        positiveIntegerUpTo(MAX_FEATURES),
      )
      .option(
        '--hash-bits <b>',
        '[nb, linear, nbsvm] hash n-grams into 2^B columns instead of keeping a vocabulary',
        positiveIntegerUpTo(MAX_HASH_BITS),
      )
      .option(
        '--c <x>',
        '[linear, nbsvm] inverse regularisation strength (larger fits the training data harder)',
        positiveNumber,
      )
      .addOption(
        new Option(
          '--loss <name>',
          '[linear, nbsvm] logistic regression, or a linear SVM (hinge or squared-hinge)',
        ).choices(LINEAR_LOSSES),
      )
      .option('--alpha <x>', '[nb, nbsvm] additive smoothing of the word counts', positiveNumber)
      .option('--sublinear-tf', '[nb, linear] term frequency as 1 + log(tf) (on by default for linear)')
      .option('--no-sublinear-tf', '[nb, linear] raw term frequency')
      .option('--counts', '[nb] word counts instead of binary presence')
      // fasttext
      .option(
        '--dim <n>',
        `[fasttext] size of the word and n-gram vectors (default: ${F.dim})`,
        positiveIntegerUpTo(MAX_FASTTEXT_DIM),
      )
      .option(
        '--buckets <n>',
        `[fasttext] rows that word n-grams are hashed into; memory grows as (words + buckets) × dim (default: ${F.buckets})`,
        positiveIntegerUpTo(MAX_BUCKETS),
      )
      .option(
        '--min-count <n>',
        `[fasttext] words seen fewer times in the training split get no vector of their own (default: ${F.minCount})`,
        positiveInteger,
      )
      .addHelpText('after', FAMILIES_HELP)
  );
}

/**
 * Returns the model's family after checking that every flag given on the command line applies to
 * it. `alsoNotFor` names a command's own flags that some families do not read.
 */
export function checkModelFlags(
  flags: ModelFlags,
  command: Command,
  alsoNotFor: Partial<Record<ModelFamily, readonly string[]>> = {},
): ModelFamily {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  const family = modelFamily(flags.model);
  const foreign =
    family === 'ensemble'
      ? NOT_ENSEMBLE
      : Object.keys(FLAG_FAMILIES).filter((flag) => !FLAG_FAMILIES[flag].includes(family));
  const notRead =
    family === 'neural'
      ? ARCHITECTURE_SPECIFIC.filter(given).find((key) => !architecture(flags.model).reads.includes(key))
      : undefined;
  const misplaced = [...foreign, ...(alsoNotFor[family] ?? [])].find(given) ?? notRead;
  if (misplaced) {
    throw new OptionError(`--${kebab(misplaced)} does not apply to --model ${flags.model}`);
  }
  const needsFile = ['freezeEmbeddings', 'embeddingsFormat'].find(given);
  if (needsFile && flags.embeddings === undefined) {
    throw new OptionError(`--${kebab(needsFile)} needs --embeddings FILE`);
  }
  if (flags.members && family !== 'ensemble')
    throw new OptionError('--members applies only to --model ensemble');
  checkNetworkFlags(flags, family);
  return family;
}

/**
 * Refuses a network over the size ceilings (models/network-size.ts) before any data is read or
 * anything allocated, naming the flags to lower: an ensemble's fresh network members included.
 */
function checkNetworkFlags(flags: ModelFlags, family: ModelFamily): void {
  const networks =
    family === 'neural' ? [flags.model] : (flags.members ?? []).filter((m) => neuralNames().includes(m));
  const given = trainerChoiceFromFlags(flags, { neural: 0 }).neural?.hyperParameters;
  for (const name of networks) hyperParametersFor(name, given, (key) => `--${kebab(key)}`);
}

/** Whether a family runs on TensorFlow.js (an ensemble may hold a network), so the backend must be started. */
export function needsBackend(family: ModelFamily): boolean {
  return familyNeedsBackend(family);
}

/** Hold-out fractions that the command decides rather than the model flags. */
export interface ValidationSplits {
  /** Neural and fastText models: fraction of the training data held out to report validation loss per epoch. */
  readonly neural: number;
  /** Ensembles: fraction their weights are learnt on; undefined keeps the ensemble's default. */
  readonly ensemble?: number;
}

/** The trainer options the flags describe, for `createTrainer`. */
export function trainerChoiceFromFlags(flags: ModelFlags, splits: ValidationSplits): TrainerChoice {
  return {
    neural: {
      hyperParameters: {
        epochs: flags.epochs,
        batchSize: flags.batchSize,
        optimizer: flags.optimizer,
        learningRate: flags.learningRate,
        learningRateSchedule: flags.learningRateSchedule,
        numWords: flags.numWords,
        maxLen: flags.maxLen,
        embeddingDim: flags.embeddingDim,
        hiddenUnits: flags.hiddenUnits,
        filters: flags.filters,
        filterSizes: flags.filterSizes,
        units: flags.units,
        pooling: flags.pooling,
        dropout: flags.dropout,
        validationSplit: splits.neural,
      },
      vocabulary: { skipTop: flags.skipTop },
      padding: flags.padding,
      truncating: flags.truncating,
      dropLonger: flags.dropLonger,
      embeddings:
        flags.embeddings === undefined
          ? undefined
          : {
              file: flags.embeddings,
              format: flags.embeddingsFormat,
              freeze: flags.freezeEmbeddings,
              maxRecordBytes: flags.maxRecordBytes,
            },
      classWeight: flags.classWeight,
    },
    linear: {
      ngrams: flags.ngrams,
      minDf: flags.minDf,
      maxFeatures: flags.maxFeatures,
      hashBits: flags.hashBits,
      c: flags.c,
      loss: flags.loss,
      alpha: flags.alpha,
      sublinearTf: flags.sublinearTf,
      binary: flags.counts ? false : undefined,
      classWeight: flags.classWeight,
    },
    fasttext: {
      dim: flags.dim,
      epochs: flags.epochs,
      learningRate: flags.learningRate,
      ngrams: flags.ngrams,
      buckets: flags.buckets,
      minCount: flags.minCount,
      validationSplit: splits.neural,
      classWeight: flags.classWeight,
    },
    members: flags.members,
    ensembleValidationSplit: splits.ensemble,
  };
}

/** `numWords` → `num-words`: the flag a camel-cased option name comes from. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `--class-weight`: a bad spec is reported by commander as an invalid argument of the flag. */
function classWeightArgument(value: string): ClassWeightSpec {
  try {
    return parseClassWeight(value);
  } catch (error) {
    if (error instanceof OptionError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
}
