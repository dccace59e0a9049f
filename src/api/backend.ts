/**
 * Choosing the TensorFlow.js backend from the library. Nothing needs it: a network starts the
 * fastest backend there is on first use. Neither function loads TF.js before a network needs it, so
 * that importing Polarity does not (a linear model never needs it).
 */
import type { BackendName, InitBackendOptions } from '../engine/backend-choice.js';

export { preferBackend } from '../engine/backend-choice.js';
export type { BackendName, InitBackendOptions };

/**
 * Starts a TensorFlow.js backend of your choice now (`'tensorflow'` where `@tensorflow/tfjs-node` is
 * installed, `'wasm'`, `'cpu'`, or `'auto'`: the first that starts) and returns its name; to choose
 * without starting one, use `preferBackend`.
 * @throws BackendError when the backend asked for cannot start.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const engine = await import('../engine/backend.js');
  return engine.initBackend(options);
}
