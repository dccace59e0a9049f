/**
 * The neural family's options (mlp, cnn, cnn-global, lstm, bilstm, gru), declared once: the CLI's
 * flags and --help, the search grid's keys and their parsers come from here. Defaults per
 * architecture come from architecture-defaults.ts (`hyperParametersFor`, as training's), so --help
 * shows what training uses; that module is plain TypeScript, so these declarations load without TF.js.
 */
import { WORD_VECTOR_FORMATS } from '../../text/embeddings/word-vectors.js';
import {
  DEFAULT_LEARNING_RATES,
  DEFAULT_NEURAL_HYPER_PARAMETERS as D,
  NEURAL_OPTIMIZERS,
  NEURAL_VALUES as V,
  type NeuralHyperParameters,
} from './neural-config.js';
import {
  booleanValue,
  integer,
  oneOf,
  text,
  type Assert,
  type Declares,
  type FamilyOptions,
  type OptionDeclaration,
  type OptionsOf,
} from '../options.js';
import { architectureSpec as architecture, hyperParametersFor, modelNames } from './architecture-defaults.js';
import { CLASS_WEIGHT_OPTION } from '../shared-option-declarations.js';

type Key = keyof NeuralHyperParameters;

/** Hyper-parameters that only some architectures read (each lists them in its registry entry's `reads`). */
const SPECIFIC = new Set<Key>(modelNames().flatMap((name) => architecture(name).reads));

/**
 * A hyper-parameter: parsed by its parser in `NEURAL_VALUES`, set in `hyperParameters`, defaulting
 * per architecture, read by the architectures that list it in `reads` (by all when none does), and
 * a grid key unless said otherwise.
 */
function hyper<K extends Key>(
  key: K,
  help: string | undefined,
  more: Partial<Omit<OptionDeclaration<NeuralHyperParameters[K]>, 'key' | 'target'>> = {},
): Omit<OptionDeclaration<NeuralHyperParameters[K], K>, 'target'> & {
  readonly target: readonly ['hyperParameters', K];
} {
  return {
    key,
    value: V[key] as OptionDeclaration<NeuralHyperParameters[K]>['value'],
    help,
    target: ['hyperParameters', key] as readonly ['hyperParameters', K],
    default: (model) => hyperParametersFor(model)[key],
    models: SPECIFIC.has(key)
      ? () => modelNames().filter((name) => architecture(name).reads.includes(key))
      : undefined,
    search: true,
    ...more,
  };
}

const SIDES = ['pre', 'post'] as const;

/** How training runs. */
const TRAINING = [
  hyper('epochs', 'passes over the training data'),
  hyper('batchSize', 'reviews per gradient step'),
  hyper('optimizer', 'gradient-descent method', {
    flag: { default: D.optimizer },
    search: false,
  }),
  hyper(
    'learningRate',
    `optimizer step size (default: ${NEURAL_OPTIMIZERS.map((o) => `${o} ${DEFAULT_LEARNING_RATES[o]}`).join(', ')}, as Keras, unless the model sets its own: see the README)`,
    // Its default follows the optimizer, which the help above says.
    { defaultInHelp: false },
  ),
  hyper(
    'learningRateSchedule',
    'the step size stays at --learning-rate (constant) or falls in a straight line to 0 over all epochs (linear), so that the last batches barely move the model',
  ),
];

/** How an epoch's reviews are cut into batches (a trainer option, not a hyper-parameter of the network). */
const BATCHES = [
  {
    key: 'bucketByLength',
    value: booleanValue,
    help: 'draw each batch from reviews of similar length (batches shuffled, the same with the same --seed), so that a recurrent batch runs about as many steps as its own longest review',
    flag: { negation: "draw batches at random, whatever their reviews' lengths" },
    default: (model: string) => architecture(model).bucketByLength === true,
  },
] as const satisfies readonly OptionDeclaration[];

/** The network's shape. */
const NETWORK = [
  hyper('numWords', 'size of the word-id space, 3 reserved ids included (Keras num_words)'),
  hyper('maxLen', 'reviews are cut or padded to this many ids (start char included)'),
  hyper('embeddingDim', 'dimensions of the learnt word embedding'),
  hyper('hiddenUnits', 'units of the hidden Dense(relu) layer'),
  hyper('filters', 'convolution filters (per width for cnn-global)'),
  hyper('kernelSize', undefined, { flag: false }),
  hyper('poolSize', undefined, { flag: false }),
  hyper('filterSizes', 'comma-separated widths of the parallel convolutions'),
  hyper('units', 'units of the recurrent layer (per direction)'),
  hyper(
    'pooling',
    "what of the recurrent layer's states feeds the output: the last state, or each feature's maximum over the review's states",
  ),
  hyper('dropout', 'fraction of the features dropped before the output layer while training'),
  hyper(
    'embeddingDropout',
    "fraction of the embedding's dimensions dropped while training, each for a whole review, before the recurrent layer",
  ),
];

/** How reviews become word ids, and pre-trained vectors to start the embedding from. */
const INPUT = [
  {
    key: 'skipTop',
    value: integer({ min: 0, expected: 'a non-negative integer' }),
    help: 'treat the N most frequent words as unknown (Keras skip_top)',
    flag: { default: 0 },
    target: ['vocabulary', 'skipTop'],
  },
  {
    key: 'padding',
    value: oneOf(SIDES, 'side'),
    help: 'pad short reviews at the start (pre) or end (post)',
    flag: { default: 'pre' },
  },
  {
    key: 'truncating',
    value: oneOf(SIDES, 'side'),
    help: 'cut long reviews at the start (pre) or end (post)',
    flag: { default: 'pre' },
  },
  {
    key: 'dropLonger',
    value: booleanValue,
    help: 'drop training reviews of --max-len ids or more instead of cutting them, as Keras load_data(maxlen) does (evaluation still scores every test review)',
    flag: { default: false },
  },
  {
    key: 'embeddings',
    value: text('file'),
    help: "start the embedding from pre-trained word vectors (GloVe text, word2vec text or binary, gzip allowed); the embedding dimension becomes the file's",
    target: ['embeddings', 'file'],
  },
  {
    key: 'embeddingsFormat',
    value: oneOf(WORD_VECTOR_FORMATS, 'format'),
    help: 'format of --embeddings (default: a .bin name is word2vec-binary, a first line "WORDS DIMENSIONS" is word2vec-text, anything else glove)',
    target: ['embeddings', 'format'],
    needs: 'embeddings',
  },
  {
    key: 'freezeEmbeddings',
    value: booleanValue,
    help: 'keep the pre-trained vectors of --embeddings fixed instead of fine-tuning them',
    flag: { default: false },
    target: ['embeddings', 'freeze'],
    needs: 'embeddings',
  },
  {
    // The data option --max-record-bytes bounds the lines of --embeddings too.
    key: 'maxRecordBytes',
    value: integer(),
    fromCommand: true,
    target: ['embeddings', 'maxRecordBytes'],
    needs: 'embeddings',
  },
] as const satisfies readonly OptionDeclaration[];

/** Set by the command (train's --validation-split), not by a model flag. */
const VALIDATION_SPLIT = hyper('validationSplit', undefined, { flag: false, search: false });

// Every hyper-parameter is declared, and every hyper-parameter declaration is a field of the type its
// parser gives: otherwise this does not compile.
export type _HyperParametersDeclared = Assert<
  Declares<
    OptionsOf<readonly ((typeof TRAINING)[number] | (typeof NETWORK)[number] | typeof VALIDATION_SPLIT)[]>,
    NeuralHyperParameters
  >
>;

export const NEURAL_OPTION_DECLARATIONS = [
  CLASS_WEIGHT_OPTION,
  ...TRAINING,
  ...BATCHES,
  ...NETWORK,
  ...INPUT,
  VALIDATION_SPLIT,
] as const;

/** The networks' options as the declarations make them, flat: one optional field per declared option. */
export type DeclaredNeuralOptions = OptionsOf<typeof NEURAL_OPTION_DECLARATIONS>;

export const NEURAL_OPTIONS: FamilyOptions = {
  family: 'neural',
  models: modelNames,
  label: 'neural',
  path: ['neural'],
  declarations: NEURAL_OPTION_DECLARATIONS,
  // The grid lists the network's shape first, then how it trains.
  grid: [...NETWORK, ...TRAINING] as OptionDeclaration[],
  trainerIgnoresUnread: true,
  // The size ceilings (network-size.ts), checked before any data is read or anything allocated.
  check: (model, options, nameOf) => {
    const given = (options as { hyperParameters?: Partial<NeuralHyperParameters> } | undefined)
      ?.hyperParameters;
    hyperParametersFor(model, given, nameOf);
  },
  help: [
    {
      models: 'mlp, cnn',
      lines: ["the Keras tutorial's networks over a learnt word embedding (neural options)"],
    },
    {
      models: 'cnn-global',
      lines: [
        'Conv1D of several widths, each max-pooled over the whole review, then Dense(relu) and dropout (Kim 2014)',
      ],
    },
    {
      models: 'lstm, gru',
      lines: [
        'a recurrent layer over the embedding (padding masked); its last state (--pooling last) or',
        'its states max-pooled over the review (--pooling max) feed the output',
      ],
    },
    {
      models: 'bilstm',
      lines: ["the same with a bidirectional LSTM (both directions' states; default --pooling max)"],
    },
  ],
};
