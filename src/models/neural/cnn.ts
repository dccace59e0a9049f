import * as tf from '../../engine/tf.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { seededEmbedding, seededDense, classifierHead } from './layers.js';

/**
 * The tutorial's 1D CNN: Embedding → Conv1D(32, width 3, same, relu) → MaxPooling1D(2) → Flatten →
 * Dense(250, relu) → Dense(1, sigmoid). The Conv1D has 3 × 32 × 32 weights + 32 biases = 3,104
 * parameters: each of the 32 filters spans 3 positions of the 32-dimensional embedding.
 */
export function buildCnn(params: NeuralHyperParameters, numLabels: number, seed: number): tf.Sequential {
  const model = tf.sequential({ name: 'cnn' });
  model.add(seededEmbedding(params, seed));
  model.add(
    tf.layers.conv1d({
      name: 'conv1d',
      filters: params.filters,
      kernelSize: params.kernelSize,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }),
    }),
  );
  model.add(tf.layers.maxPooling1d({ name: 'max_pooling1d', poolSize: params.poolSize }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(seededDense(params.hiddenUnits, 'relu', seed + 1, 'hidden'));
  model.add(classifierHead(numLabels, seed + 2));
  return model;
}
