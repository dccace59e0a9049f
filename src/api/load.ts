/** `load()`: a saved model directory back as a classifier, whatever its family. */
import { loadClassifier } from '../models/load.js';
import { TextClassifier } from './text-classifier.js';

/**
 * Loads the model that `train()`, `classifier.save()` or `polarity train` saved in `dir`, after
 * checking its manifest and the checksum of every file; TensorFlow.js starts only for a network.
 * @throws ModelFormatError for a missing, truncated or foreign file, or a model name given for a directory.
 */
export async function load(dir: string): Promise<TextClassifier> {
  return new TextClassifier(await loadClassifier(dir));
}
