/**
 * The neural architectures' names, in the order `--model` lists them: the registry (registry.ts)
 * describes each, but importing it loads TensorFlow.js, and the family table must name the models
 * without that. A test checks that the two agree.
 */
export const NEURAL_MODELS = ['mlp', 'cnn', 'cnn-global', 'lstm', 'bilstm', 'gru'] as const;
