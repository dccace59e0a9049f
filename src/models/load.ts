import { ModelFormatError } from '../errors.js';
import { MANIFEST_FILE, type ModelManifest } from '../persist/manifest.js';
import { readManifest } from '../persist/model-dir.js';
import type { Classifier } from './classifier.js';
import { LINEAR_MODELS } from './linear/linear-options.js';

type Loader = (dir: string, manifest: ModelManifest) => Promise<Classifier>;

/**
 * The loader for a model kind; looked up when called, so that module load order never matters. Each
 * family's module is imported on demand: a linear model then loads without TensorFlow.js, whose import
 * alone takes about a second (paid by every batch-scoring worker otherwise).
 */
async function loaderFor(kind: string): Promise<Loader | undefined> {
  if ((LINEAR_MODELS as readonly string[]).includes(kind)) {
    const { SparseLinearClassifier } = await import('./linear/linear-classifier.js');
    return (dir, manifest) => SparseLinearClassifier.load(dir, manifest);
  }
  if (kind === 'fasttext') {
    const { FastTextClassifier } = await import('./fasttext/fasttext-classifier.js');
    return (dir, manifest) => FastTextClassifier.load(dir, manifest);
  }
  if (kind === 'ensemble') {
    const { EnsembleClassifier } = await import('./ensemble/ensemble.js');
    return (dir, manifest) => EnsembleClassifier.load(dir, manifest, loadClassifier);
  }
  const { modelNames } = await import('./neural/registry.js');
  if (!modelNames().includes(kind)) return undefined;
  const { NeuralClassifier } = await import('./neural/neural-classifier.js');
  return (dir, manifest) => NeuralClassifier.load(dir, manifest);
}

/** Loads a saved model directory, validating the manifest and every file it lists. */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const manifest = await readManifest(dir);
  const loader = await loaderFor(manifest.kind);
  if (!loader) {
    throw new ModelFormatError(
      `model kind "${manifest.kind}" is not known to this Polarity`,
      `${dir}/${MANIFEST_FILE}`,
    );
  }
  return loader(dir, manifest);
}
