import * as tf from '../../engine/tf.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { seededEmbedding, seededDense, classifierHead } from './layers.js';
import { embeddingPart, headPart, hiddenPart, type SizePart } from './network-size.js';

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

/** The MLP's layers' sizes: the hidden layer sees the whole flattened review, max-len × embedding-dim values. */
export function mlpSize(params: NeuralHyperParameters, numLabels: number): SizePart[] {
  const flat = params.maxLen * params.embeddingDim;
  return [
    embeddingPart(params),
    hiddenPart(params, flat, ['maxLen', 'embeddingDim', 'hiddenUnits']),
    headPart(params.hiddenUnits, numLabels, ['hiddenUnits']),
  ];
}
