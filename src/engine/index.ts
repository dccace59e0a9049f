/** TensorFlow.js backend choice and the kernels the wasm backend lacks or runs slowly. */
export { activeBackend, ensureBackend, initBackend, wasmThreads } from './backend.js';
export { backendPreference, onBackendStart, preferBackend } from './backend-choice.js';
export type { BackendName, InitBackendOptions } from './backend.js';
export { registerWasmKernels, WASM_KERNEL_NAMES } from './kernels/index.js';
export { MAX_WASM_THREADS } from './threads.js';
export { adam, FastAdamOptimizer } from './adam.js';
