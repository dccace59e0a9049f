/** TensorFlow.js backend choice and the kernels the wasm backend lacks or runs slowly. */
export { activeBackend, initBackend } from './backend.js';
export type { BackendName, InitBackendOptions } from './backend.js';
export { registerWasmKernels } from './kernels/index.js';
