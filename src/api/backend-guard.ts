/**
 * Starts the TensorFlow.js backend for a model that needs it, so that a library user never calls
 * `initBackend` first. A stopgap: once the families start the backend themselves on first use
 * (`ensureBackend` in engine/backend.ts, called by the neural family's load and createTrainer), this
 * file and its two calls in api/ can go.
 */
import type { ModelFamilyEntry } from '../models/family.js';
import { familyOfKind, familyOfModel } from '../models/families.js';
import { readManifest } from '../persist/model-dir.js';

/** Starts the default backend ('auto') unless one runs already; imported here so that TF.js loads only when needed. */
async function startBackendFor(family: ModelFamilyEntry<unknown> | undefined): Promise<void> {
  if (!family?.needsBackend) return;
  const { activeBackend, initBackend } = await import('../engine/backend.js');
  if (activeBackend() === undefined) await initBackend();
}

/** Before training `model`: the backend, if its family runs on TF.js. */
export async function ensureBackendForModel(model: string): Promise<void> {
  await startBackendFor(familyOfModel(model));
}

/** Before loading the model saved in `dir`: the backend, if its manifest's family runs on TF.js. */
export async function ensureBackendForDir(dir: string): Promise<void> {
  // A directory that is not a model is left for the loader to refuse with its own message.
  const manifest = await readManifest(dir).catch(() => undefined);
  if (manifest !== undefined) await startBackendFor(familyOfKind(manifest.kind));
}
