export * from './manifest.js';
export * from './model-dir.js';
export * from './layers-model.js';
export { writeDirectoryAtomically } from './atomic-dir.js';
export { claimOutputDir, releaseOutputClaims, type OutputKind, type OutputOptions } from './output-dir.js';
