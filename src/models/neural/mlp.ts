import * as tf from '../../engine/tf.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { seededEmbedding, seededDense, classifierHead } from './layers.js';

/**
 * The tutorial's multi-layer perceptron: Embedding → Flatten → Dense(250, relu) → Dense(1, sigmoid).
 * Parameter counts with the defaults: 160,000 (embedding) + 4,000,250 (hidden) + 251 (output).
 */
export function buildMlp(params: NeuralHyperParameters, numLabels: number, seed: number): tf.Sequential {
  const model = tf.sequential({ name: 'mlp' });
  model.add(seededEmbedding(params, seed));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(seededDense(params.hiddenUnits, 'relu', seed + 1, 'hidden'));
  model.add(classifierHead(numLabels, seed + 2));
  return model;
}
