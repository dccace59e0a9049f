/**
 * Which TensorFlow.js backend to start when a network first needs one, and who hears that it
 * started. No TF.js here: the CLI states its `--backend` choice up front without importing TF.js
 * (about a second), and a command that never touches a network never starts a backend or says so.
 */

/** The backends Polarity knows how to start. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Which backend to start, and with how many threads. */
export interface InitBackendOptions {
  /** Which backend to start; 'auto' (the default) tries tensorflow, then wasm, then cpu. */
  backend?: BackendName | 'auto';
  /**
   * Threads for the wasm backend (default: one per core, at most 8). Fixed when the wasm backend
   * first starts in a process; later calls cannot change it.
   */
  threads?: number;
}

let preferred: InitBackendOptions = {};
const listeners = new Set<(name: BackendName) => void>();

/** Sets the backend that `ensureBackend` starts when a network first needs one (default: auto). */
export function preferBackend(options: InitBackendOptions): void {
  preferred = { ...options };
}

/** The backend `ensureBackend` would start. */
export function backendPreference(): InitBackendOptions {
  return preferred;
}

/** Calls `listener` each time a backend starts in this process; returns the function that stops it. */
export function onBackendStart(listener: (name: BackendName) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells the listeners that `name` started (engine/backend.ts calls it). */
export function announceBackendStart(name: BackendName): void {
  for (const listener of listeners) listener(name);
}
