import type * as tf from '@tensorflow/tfjs';
import { OptionError } from '../errors.js';
import { buildCnn } from './cnn.js';
import { buildMlp } from './mlp.js';
import type { NeuralHyperParameters } from './neural-config.js';

/** A neural architecture that the CLI can name with `--model`. */
export interface NeuralArchitecture {
  readonly name: string;
  readonly description: string;
  build(params: NeuralHyperParameters, numLabels: number, seed: number): tf.Sequential;
}

const ARCHITECTURES: readonly NeuralArchitecture[] = [
  {
    name: 'mlp',
    description: 'Embedding → Flatten → Dense(250, relu) → sigmoid (the tutorial MLP)',
    build: buildMlp,
  },
  {
    name: 'cnn',
    description: 'Embedding → Conv1D(32×3) → MaxPooling1D(2) → Flatten → Dense(250, relu) → sigmoid',
    build: buildCnn,
  },
];

export function modelNames(): string[] {
  return ARCHITECTURES.map((a) => a.name);
}

export function architecture(name: string): NeuralArchitecture {
  const found = ARCHITECTURES.find((a) => a.name === name);
  if (!found) throw new OptionError(`unknown model "${name}"; expected one of: ${modelNames().join(', ')}`);
  return found;
}
