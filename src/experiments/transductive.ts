/**
 * Whether a saved model learnt from test-split texts (`polarity train --unlabelled … --transductive`):
 * then every figure measured on that test split is transductive, and says so.
 */
import type { ModelManifest } from '../persist/manifest.js';
import { readManifest } from '../persist/model-dir.js';

/**
 * True when the model's manifest records unlabelled texts that included test-split ones. `read`:
 * the manifest of `dir` when the caller has it already (not read again).
 */
export async function isTransductive(dir: string, read?: ModelManifest): Promise<boolean> {
  const manifest = read ?? (await readManifest(dir));
  const unlabelled = (manifest.hyperParameters as { unlabelled?: { transductive?: unknown } }).unlabelled;
  return unlabelled?.transductive === true;
}

/** The line printed above a transductive model's figures. */
export const TRANSDUCTIVE_NOTE =
  'transductive: this model learnt from test-split texts (without their labels), so these figures are transductive';
