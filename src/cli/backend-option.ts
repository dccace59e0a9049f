import { Option } from 'commander';
import type { BackendName } from '../engine/index.js';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

export function backendOption(): Option {
  return new Option(
    '--backend <name>',
    'TensorFlow.js backend: tensorflow (native tfjs-node, when installed), wasm (WebAssembly, the default here), cpu (pure JS, slow); auto picks the first that loads',
  )
    .choices(BACKEND_CHOICES)
    .default('auto');
}

/**
 * Sets up the backend and says which one runs, on stderr so that --json output stays clean.
 * `threads` caps the wasm backend's threads (default: one per core).
 */
export async function startBackend(requested: string, threads?: number): Promise<BackendName> {
  // Imported here, not above: TF.js takes about a second to import, and --help or a linear model never needs it.
  const { initBackend } = await import('../engine/backend.js');
  const name = await initBackend({ backend: requested as BackendName | 'auto', threads });
  process.stderr.write(`backend: ${name}\n`);
  return name;
}
