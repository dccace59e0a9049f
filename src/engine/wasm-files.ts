/**
 * Where the wasm backend's `.wasm` binaries live, resolved from node_modules through the module
 * resolver (never a machine path), so that loading works however the package is installed or
 * hoisted and whatever the working directory.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** The directory (with a trailing separator) that holds `tfjs-backend-wasm*.wasm`. */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  // The package's `main` is dist/tf-backend-wasm.node.js, next to the .wasm files.
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(entry) + path.sep;
}
