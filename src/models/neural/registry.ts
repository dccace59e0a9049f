/**
 * The neural architectures with their builders: each spec of architecture-defaults.ts (defaults,
 * reads, sizes) and the function that builds its TensorFlow.js model. Importing this loads TF.js;
 * what needs only the specs imports architecture-defaults.ts.
 */
import type * as tf from '../../engine/tf.js';
import { buildCnn } from './cnn.js';
import { buildCnnGlobal } from './cnn-global.js';
import { buildMlp } from './mlp.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { buildRecurrent } from './recurrent.js';
import { architectureSpec, modelNames, type ArchitectureSpec } from './architecture-defaults.js';

export {
  hyperParametersFor,
  modelNames,
  type ArchitectureSpec,
  type HyperParameterNamer,
} from './architecture-defaults.js';

/** A neural architecture that the CLI can name with `--model`: its spec and its builder. */
export interface NeuralArchitecture extends ArchitectureSpec {
  build(params: NeuralHyperParameters, numLabels: number, seed: number): tf.LayersModel;
}

type Builder = NeuralArchitecture['build'];

/** Each architecture's builder, by name; the compiler checks that every name has one. */
const BUILDERS: Readonly<Record<ArchitectureSpec['name'], Builder>> = {
  mlp: buildMlp,
  cnn: buildCnn,
  'cnn-global': buildCnnGlobal,
  lstm: buildRecurrent('lstm'),
  bilstm: buildRecurrent('bilstm'),
  gru: buildRecurrent('gru'),
};

const ARCHITECTURES: readonly NeuralArchitecture[] = modelNames().map((name) => {
  const spec = architectureSpec(name);
  return { ...spec, build: BUILDERS[spec.name] };
});

export function architecture(name: string): NeuralArchitecture {
  const spec = architectureSpec(name);
  return ARCHITECTURES.find((a) => a.name === spec.name) as NeuralArchitecture;
}
