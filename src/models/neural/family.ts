/**
 * The neural family's entry in the model table: the tutorial architectures (mlp, cnn, cnn-global)
 * and the recurrent ones (lstm, bilstm, gru), trained by NeuralTrainer on TensorFlow.js. TF.js is
 * imported only when one of them is trained, loaded or summarised.
 */
import { OptionError } from '../../errors.js';
import type { SequenceOptions } from '../../text/sequences/encoder.js';
import type { Classifier, Trainer } from '../classifier.js';
import type { ModelFamilyEntry } from '../family.js';
import { NEURAL_MODELS } from './architecture-names.js';
import { MAX_NEURAL_SIZES } from './network-size.js';
import { DEFAULT_NEURAL_HYPER_PARAMETERS as D, type NeuralHyperParameters } from './neural-config.js';
import { NEURAL_OPTIONS } from './option-declarations.js';
import type { NeuralClassifier } from './neural-classifier.js';
import type { NeuralTrainer } from './neural-trainer.js';
import type { NeuralTrainerOptions } from './neural-trainer-options.js';

/** The part of the trainer options the networks read. */
export interface NeuralChoice {
  readonly neural?: Omit<NeuralTrainerOptions, 'model'>;
}

/**
 * Starts the TF.js backend the caller preferred (auto by default) unless one runs: a library user
 * never has to, and a CLI command starts it, and says which, only once a network is involved.
 */
async function startBackend(): Promise<void> {
  const { ensureBackend } = await import('../../engine/backend.js');
  await ensureBackend();
}

export const neuralFamily: ModelFamilyEntry<NeuralChoice> = {
  family: 'neural',
  models: () => NEURAL_MODELS,
  needsBackend: true,
  run: {
    epochs: true,
    validationSplit: { path: ['neural', 'hyperParameters', 'validationSplit'], default: D.validationSplit },
    earlyStopping: ['neural', 'earlyStopping'],
    checkpointDir: ['neural', 'checkpointDir'],
  },
  options: NEURAL_OPTIONS,
  async createTrainer(name, choice) {
    await startBackend();
    const { NeuralTrainer } = await import('./neural-trainer.js');
    return new NeuralTrainer({ ...choice.neural, model: name });
  },
  async trainerOfSaved(manifest) {
    if (manifest.training.embeddings) {
      throw new OptionError(
        `a saved ${manifest.kind} network started from word vectors (${manifest.training.embeddings.file}) cannot be trained again: its manifest does not record where they are`,
      );
    }
    await startBackend();
    const { NeuralTrainer } = await import('./neural-trainer.js');
    const sequence = (manifest.encoder as { sequence?: Partial<SequenceOptions> }).sequence ?? {};
    // The vocabulary's other options (skip-top…) live in its file, not the manifest: defaults here.
    return new NeuralTrainer({
      model: manifest.kind,
      hyperParameters: manifest.hyperParameters as Partial<NeuralHyperParameters>,
      padding: sequence.padding,
      truncating: sequence.truncating,
    });
  },
  async load(dir, manifest) {
    await startBackend();
    const { NeuralClassifier } = await import('./neural-classifier.js');
    return NeuralClassifier.load(dir, manifest);
  },
  async summarise(classifier: Classifier) {
    const { modelSummary } = await import('../summary.js');
    const network = classifier as NeuralClassifier;
    const stopping = network.provenance.training.earlyStopping;
    return {
      text: modelSummary(network.model),
      history: network.history,
      keptEpoch: stopping?.restored ? stopping.bestEpoch : undefined,
    };
  },
  async summariseUntrained(name, sizes, nameOf) {
    await startBackend();
    const { architecture, hyperParametersFor } = await import('./registry.js');
    const { modelSummary } = await import('../summary.js');
    const params = hyperParametersFor(name, { numWords: sizes.numWords, maxLen: sizes.maxLen }, nameOf);
    const model = architecture(name).build(params, 2, 0);
    try {
      return modelSummary(model);
    } finally {
      model.dispose();
    }
  },
  async onnxGraph(classifier, graph, text) {
    const { NeuralClassifier } = await import('./neural-classifier.js');
    if (!(classifier instanceof NeuralClassifier)) {
      throw new OptionError('the neural family exports only the networks it loaded');
    }
    const { neuralOnnxGraph } = await import('./onnx/network.js');
    return neuralOnnxGraph(classifier, graph, text);
  },
  untrainedSizeCeilings: { numWords: MAX_NEURAL_SIZES.numWords, maxLen: MAX_NEURAL_SIZES.maxLen },
  defaultMaxLen: D.maxLen,
  trainingSettings(trainer: Trainer, seed) {
    const { hyperParameters: params, options } = trainer as NeuralTrainer;
    // The same defaults as the CLI's flags and the trainer's own (Keras's).
    return {
      epochs: params.epochs,
      'batch size': params.batchSize,
      optimizer: params.optimizer,
      'learning rate': params.learningRate,
      'num words': params.numWords,
      'max len': params.maxLen,
      'embedding dim': params.embeddingDim,
      'skip top': options.vocabulary?.skipTop ?? 0,
      padding: options.padding ?? 'pre',
      truncating: options.truncating ?? 'pre',
      'drop longer': options.dropLonger ?? false,
      'validation split': params.validationSplit,
      'early stopping':
        options.earlyStopping === undefined ? 'off' : `patience ${options.earlyStopping.patience}`,
      seed,
    };
  },
};
