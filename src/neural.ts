/**
 * The networks' trainer and classifier, for code that builds on them directly (`train({ model: 'cnn' })`
 * in the main entry point needs neither):
 *
 *     import { NeuralTrainer, NeuralClassifier } from 'polarity/neural';
 *
 * A separate entry point because these classes hold TensorFlow.js objects: importing it loads TF.js
 * (about a second), and compiling against it reads TF.js's own type declarations, which do not
 * compile with `skipLibCheck: false` (set `skipLibCheck: true` to use it). The main entry point
 * `polarity` loads TF.js only when a network is trained or loaded, and its types compile strictly.
 * @packageDocumentation
 */
export { NeuralTrainer, type NeuralTrainerOptions } from './models/neural/neural-trainer.js';
export { NeuralClassifier } from './models/neural/neural-classifier.js';
