import { Option } from 'commander';
import { onBackendStart, preferBackend, type BackendName } from '../engine/backend-choice.js';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

export function backendOption(): Option {
  return new Option(
    '--backend <name>',
    'TensorFlow.js backend: tensorflow (native tfjs-node, when installed), wasm (WebAssembly, the default here), cpu (pure JS, slow); auto picks the first that loads',
  )
    .choices(BACKEND_CHOICES)
    .default('auto');
}

let announcing = false;

/**
 * Records the `--backend` choice, to start when a network first needs TF.js (never for a linear or
 * fastText model), and says then which backend runs, on stderr so that --json output stays clean.
 * `threads` caps the wasm backend's threads (default: one per core).
 */
export function useBackend(requested: string, threads?: number): void {
  preferBackend({ backend: requested as BackendName | 'auto', threads });
  if (announcing) return;
  announcing = true;
  onBackendStart((name) => process.stderr.write(`backend: ${name}\n`));
}
