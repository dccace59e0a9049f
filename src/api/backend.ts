/**
 * Choosing the TensorFlow.js backend from the library. Nothing needs it: the networks start the
 * fastest backend there is on first use. It loads TF.js only when called, so that importing Polarity
 * does not (a linear model never needs it).
 */
import type { BackendName, InitBackendOptions } from '../engine/backend.js';

export type { BackendName, InitBackendOptions };

/**
 * Starts a TensorFlow.js backend of your choice (`'tensorflow'` where `@tensorflow/tfjs-node` is
 * installed, `'wasm'`, `'cpu'`, or `'auto'`: the first that starts) before a network trains or loads,
 * and returns its name.
 * @throws BackendError when the backend asked for cannot start.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const engine = await import('../engine/backend.js');
  return engine.initBackend(options);
}
