/**
 * How large a network its hyper-parameters make, worked out before anything is built, and the
 * ceiling above which Polarity refuses to build it. Without the check a mistyped size (`--max-len
 * 100000000`) ends in an uncaught RangeError from a typed array, or grows the process by gigabytes
 * before anything is said.
 *
 * The ceilings, and why:
 * - 250 million parameters (1 GB of float32 weights): 60 times the tutorial MLP and twice a
 *   400,000-word × 300-dimension GloVe embedding, the largest pre-trained vectors a user is likely to
 *   bring; a saved model's weights pass through one buffer, and a larger one is slow to load.
 * - 4 GiB of training memory: the WebAssembly backend (the default here) keeps every tensor in one
 *   32-bit heap, which cannot grow past 4 GiB, so a network that needs more can never train in it.
 *   The estimate counts 16 bytes per parameter (the float32 weights, their gradients and Adam's two
 *   moments; SGD needs less) and 8 bytes per activation of one batch (each layer's output and its
 *   gradient), which is what dominates for long reviews (batch × max-len × embedding-dim).
 * Each size option also has its own bound (`MAX_NEURAL_SIZES`), far above any useful value.
 */
import { OptionError } from '../../errors.js';
import { MAX_NETWORK_PARAMETERS } from '../../fit/size-limits.js';
import { MAX_NEURAL_SIZES, type NeuralHyperParameters } from './neural-config.js';

/** Shared with fastText (fit/size-limits.ts); exported here too, as before. */
export { MAX_NETWORK_PARAMETERS };
export const MAX_TRAINING_BYTES = 4 * 1024 ** 3;

// The ceiling of each size option is kept with the hyper-parameters' parsers (neural-config.ts),
// where it is written once; exported here too, as before.
export { MAX_NEURAL_SIZES };

type SizeKey = keyof NeuralHyperParameters;

/** One layer (or group of layers) of a network: its weights, and the values one review keeps alive in it. */
export interface SizePart {
  readonly layer: string;
  readonly parameters: number;
  /** The hyper-parameters its parameter count grows with, named when they make the network too large. */
  readonly keys: readonly SizeKey[];
  /** Float32 outputs per review (kept for the backward pass while training). */
  readonly activations: number;
  /** The hyper-parameters its activations grow with (the batch size aside). */
  readonly activationKeys: readonly SizeKey[];
}

/** What a network of these hyper-parameters needs. */
export interface NetworkSize {
  readonly parameters: number;
  /** Estimated bytes to train it with one batch (see the file's comment). */
  readonly trainingBytes: number;
  /** The hyper-parameters of the part that needs the most memory. */
  readonly largest: readonly SizeKey[];
}

const BYTES_PER_PARAMETER = 16;
const BYTES_PER_ACTIVATION = 8;

/** The parts' totals for a batch of `batchSize` reviews. */
export function networkSize(parts: readonly SizePart[], batchSize: number): NetworkSize {
  const weightBytes = (part: SizePart) => BYTES_PER_PARAMETER * part.parameters;
  const activationBytes = (part: SizePart) => BYTES_PER_ACTIVATION * batchSize * part.activations;
  const bytes = (part: SizePart) => weightBytes(part) + activationBytes(part);
  const largest = parts.reduce((a, b) => (bytes(b) > bytes(a) ? b : a));
  return {
    parameters: sum(parts.map((part) => part.parameters)),
    trainingBytes: sum(parts.map(bytes)),
    largest:
      activationBytes(largest) > weightBytes(largest)
        ? [...largest.activationKeys, 'batchSize']
        : largest.keys,
  };
}

/**
 * Rejects, with an OptionError naming the hyper-parameters (through `nameOf`, e.g. as flags) and the
 * ceiling, a size option over its own bound or a network over the ceilings above.
 */
export function checkNetworkSize(
  model: string,
  params: NeuralHyperParameters,
  parts: readonly SizePart[],
  nameOf: (key: SizeKey) => string = (key) => key,
): void {
  checkSizeCeilings(params, nameOf);
  const size = networkSize(parts, params.batchSize);
  if (size.parameters <= MAX_NETWORK_PARAMETERS && size.trainingBytes <= MAX_TRAINING_BYTES) return;
  const names = size.largest.map((key) => `${nameOf(key)} (${thousands(params[key] as number)})`);
  throw new OptionError(
    `${model} with these sizes would have ${thousands(size.parameters)} parameters and need about ` +
      `${gibibytes(size.trainingBytes)} to train, over the ceiling of ${thousands(MAX_NETWORK_PARAMETERS)} ` +
      `parameters and ${gibibytes(MAX_TRAINING_BYTES)}: lower ${orList(names)}`,
  );
}

/**
 * Rejects a size option over its own ceiling, naming it through `nameOf` (e.g. as a flag): run on
 * the values given before they are checked one by one, so that the message says it is a ceiling.
 */
export function checkSizeCeilings(
  params: Partial<NeuralHyperParameters>,
  nameOf: (key: SizeKey) => string = (key) => key,
): void {
  for (const [key, max] of Object.entries(MAX_NEURAL_SIZES) as [SizeKey, number][]) {
    const value = params[key] as number;
    if (value > max) {
      throw new OptionError(`${nameOf(key)} ${thousands(value)} is over its ceiling of ${thousands(max)}`);
    }
  }
}

// Parts shared by the architectures.

/** The word embedding: one row of `embeddingDim` per word id. */
export function embeddingPart(p: NeuralHyperParameters): SizePart {
  return {
    layer: 'embedding',
    parameters: p.numWords * p.embeddingDim,
    keys: ['numWords', 'embeddingDim'],
    activations: p.maxLen * p.embeddingDim,
    activationKeys: ['maxLen', 'embeddingDim'],
  };
}

/** The hidden Dense(relu) layer over `inputs` values (weights and biases). */
export function hiddenPart(p: NeuralHyperParameters, inputs: number, keys: readonly SizeKey[]): SizePart {
  return {
    layer: 'hidden',
    parameters: (inputs + 1) * p.hiddenUnits,
    keys,
    activations: p.hiddenUnits,
    activationKeys: ['hiddenUnits'],
  };
}

/** The output layer over `inputs` features: one sigmoid unit for two labels, a softmax otherwise. */
export function headPart(inputs: number, numLabels: number, keys: readonly SizeKey[]): SizePart {
  const units = numLabels <= 2 ? 1 : numLabels;
  return { layer: 'output', parameters: (inputs + 1) * units, keys, activations: units, activationKeys: [] };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

function gibibytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toLocaleString('en-US', { maximumFractionDigits: 1 })} GiB`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
