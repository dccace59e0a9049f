/**
 * TensorFlow.js as Polarity uses it: the core (tensors, ops, optimizers, model files) and the
 * layers API, plus the pure-JavaScript CPU backend that `--backend auto` falls back to. Everything
 * imports TF.js through this module rather than the umbrella `@tensorflow/tfjs`, whose converter,
 * WebGL backend and data pipeline Polarity never uses in Node but which made up most of an install.
 *
 * Two things the umbrella's Node bundle adds are registered otherwise: the chained tensor methods
 * (`tensor.reshape(…)`) by chained-ops.ts, and the ops' gradients by the layers package's own Node
 * bundle (the training tests cover them).
 */
import '@tensorflow/tfjs-backend-cpu';
import { registerChainedOps } from './chained-ops.js';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

registerChainedOps();
