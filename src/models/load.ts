import { ModelFormatError } from '../errors.js';
import { MANIFEST_FILE, type ModelManifest } from '../persist/manifest.js';
import { readManifest } from '../persist/model-dir.js';
import type { Classifier } from './classifier.js';
import { exists } from '../util/paths.js';
import { familyOfKind, familyOfModel, type TrainerChoice } from './families.js';
import type { ModelFamilyEntry } from './family.js';

/**
 * Loads a saved model directory, validating the manifest and every file it lists. The family is
 * looked up by the manifest's kind when called, and its entry imports its module on demand: a linear
 * model then loads without TensorFlow.js, whose import alone takes about a second (paid by every
 * batch-scoring worker otherwise).
 */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const { manifest, family } = await savedModel(dir);
  return family.load(dir, manifest, { loadClassifier });
}

/**
 * The checked manifest of the model saved in `dir`, and the family of its kind. `read`: the manifest
 * as `readManifest` gave it already, so that a caller who needed it first does not read it twice.
 */
export async function savedModel(
  dir: string,
  read?: ModelManifest,
): Promise<{ readonly manifest: ModelManifest; readonly family: ModelFamilyEntry<TrainerChoice> }> {
  let manifest = read;
  if (manifest === undefined) {
    await refuseModelName(dir);
    manifest = await readManifest(dir);
  }
  const family = familyOfKind(manifest.kind);
  if (!family) {
    throw new ModelFormatError(
      `model kind "${manifest.kind}" is not known to this Polarity`,
      `${dir}/${MANIFEST_FILE}`,
    );
  }
  return { manifest, family };
}

/**
 * `--model nbsvm` where a saved model is expected: a model name is what `train` takes, and a user who
 * passes one here wants to hear how to get a model, not that a directory is missing.
 */
async function refuseModelName(dir: string): Promise<void> {
  if (familyOfModel(dir) === undefined || (await exists(dir))) return;
  throw new ModelFormatError(
    `"${dir}" is a model name, not a saved model: train one first with \`polarity train --model ${dir} --out DIR\` (or the library's trainer), then load DIR`,
  );
}
