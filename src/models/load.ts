import { ModelFormatError } from '../errors.js';
import { readManifest, MANIFEST_FILE, type ModelManifest } from '../persist/index.js';
import type { Classifier } from './classifier.js';
import { NeuralClassifier } from './neural-classifier.js';
import { modelNames } from './registry.js';

type Loader = (dir: string, manifest: ModelManifest) => Promise<Classifier>;

/** Loaders by model kind; each model family adds its own. */
const LOADERS = new Map<string, Loader>(modelNames().map((name) => [name, NeuralClassifier.load]));

/** Loads a saved model directory, validating the manifest and every file it lists. */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const manifest = await readManifest(dir);
  const loader = LOADERS.get(manifest.kind);
  if (!loader) {
    throw new ModelFormatError(
      `model kind "${manifest.kind}" is not known to this Polarity (known: ${[...LOADERS.keys()].join(', ')})`,
      `${dir}/${MANIFEST_FILE}`,
    );
  }
  return loader(dir, manifest);
}
