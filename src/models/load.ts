import { ModelFormatError } from '../errors.js';
import { readManifest, MANIFEST_FILE, type ModelManifest } from '../persist/index.js';
import type { Classifier } from './classifier.js';
import { EnsembleClassifier } from './ensemble.js';
import { FASTTEXT_KIND, FastTextClassifier } from './fasttext/fasttext-classifier.js';
import { LINEAR_MODELS } from './linear/linear-options.js';
import { SparseLinearClassifier } from './linear/linear-classifier.js';
import { NeuralClassifier } from './neural-classifier.js';
import { modelNames } from './registry.js';

type Loader = (dir: string, manifest: ModelManifest) => Promise<Classifier>;

/** The loader for a model kind; looked up when called, so that module load order never matters. */
function loaderFor(kind: string): Loader | undefined {
  if (modelNames().includes(kind)) return NeuralClassifier.load;
  if ((LINEAR_MODELS as readonly string[]).includes(kind)) return SparseLinearClassifier.load;
  if (kind === FASTTEXT_KIND) return FastTextClassifier.load;
  if (kind === 'ensemble') return (dir, manifest) => EnsembleClassifier.load(dir, manifest, loadClassifier);
  return undefined;
}

/** Loads a saved model directory, validating the manifest and every file it lists. */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const manifest = await readManifest(dir);
  const loader = loaderFor(manifest.kind);
  if (!loader) {
    throw new ModelFormatError(
      `model kind "${manifest.kind}" is not known to this Polarity`,
      `${dir}/${MANIFEST_FILE}`,
    );
  }
  return loader(dir, manifest);
}
