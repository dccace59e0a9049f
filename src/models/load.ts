import { ModelFormatError } from '../errors.js';
import { MANIFEST_FILE } from '../persist/manifest.js';
import { readManifest } from '../persist/model-dir.js';
import type { Classifier } from './classifier.js';
import { familyOfKind } from './families.js';

/**
 * Loads a saved model directory, validating the manifest and every file it lists. The family is
 * looked up by the manifest's kind when called, and its entry imports its module on demand: a linear
 * model then loads without TensorFlow.js, whose import alone takes about a second (paid by every
 * batch-scoring worker otherwise).
 */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const manifest = await readManifest(dir);
  const family = familyOfKind(manifest.kind);
  if (!family) {
    throw new ModelFormatError(
      `model kind "${manifest.kind}" is not known to this Polarity`,
      `${dir}/${MANIFEST_FILE}`,
    );
  }
  return family.load(dir, manifest, { loadClassifier });
}
