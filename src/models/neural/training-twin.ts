/**
 * The training twin of the tutorial MLP and CNN: a functional model built from the very layers
 * (and so the very variables) of the saved network, in which Flatten → Dense(relu) is replaced by
 * a {@link PaddingAwareDense} that skips the padding (issue 18). Training steps run on the twin;
 * everything else (prediction, saving, checkpoints, early stopping's weights) uses the network
 * itself, whose format and layers are unchanged.
 */
import * as tf from '../../engine/tf.js';
import { chunkPositions } from './padded-matmul.js';
import { PaddingAwareDense, type PaddingFeatures } from './padding-aware-dense.js';

/** Below this many positions per chunk the chunked product would cost more than it saves. */
const MIN_CHUNK = 5;

function layerNamed(model: tf.LayersModel, name: string): tf.layers.Layer | undefined {
  return model.layers.find((l) => l.name === name);
}

/** The embedding row of the padding id (0), as a vector: differentiable in the embedding. */
function paddingEmbedding(embedding: tf.layers.Layer): tf.Tensor1D {
  const matrix = embedding.weights[0].read();
  return tf.reshape(tf.slice(matrix, [0, 0], [1, matrix.shape[1]!]), [-1]) as tf.Tensor1D;
}

function mlpPadding(model: tf.LayersModel, maxLen: number): PaddingFeatures | undefined {
  const embedding = layerNamed(model, 'embedding')!;
  const features = embedding.weights[0].shape[1]!;
  return {
    positions: maxLen,
    features,
    chunk: chunkPositions(maxLen),
    mask: (ids) => Uint8Array.from(ids, (id) => (id === 0 ? 1 : 0)),
    padValue: () => paddingEmbedding(embedding),
  };
}

interface ConvConfig {
  filters: number;
  kernelSize: number | number[];
  padding: string;
  activation: string;
  strides: number | number[];
  dilationRate: number | number[];
}

/**
 * After Conv1D(same, relu) and MaxPooling1D(s), a pooled position holds the padding features
 * (relu of the convolution of padding embeddings) when every window under it lies inside the
 * review and reads only padding ids; windows over the edge read the convolution's zero padding.
 */
function cnnPadding(model: tf.LayersModel, maxLen: number): PaddingFeatures | undefined {
  const embedding = layerNamed(model, 'embedding');
  const conv = layerNamed(model, 'conv1d');
  const pool = layerNamed(model, 'max_pooling1d');
  if (!embedding || !conv || !pool) return undefined;
  const config = conv.getConfig() as unknown as ConvConfig;
  const one = (v: number | number[]): number => (Array.isArray(v) ? v[0] : v);
  const poolConfig = pool.getConfig() as { poolSize: number | number[]; strides: number | number[] };
  const poolSize = one(poolConfig.poolSize);
  if (
    config.padding !== 'same' ||
    config.activation !== 'relu' ||
    one(config.strides) !== 1 ||
    one(config.dilationRate) !== 1 ||
    one(poolConfig.strides) !== poolSize
  ) {
    return undefined;
  }
  const width = one(config.kernelSize);
  const before = Math.floor((width - 1) / 2);
  const after = width - 1 - before;
  const positions = Math.floor(maxLen / poolSize);
  return {
    positions,
    features: config.filters,
    chunk: chunkPositions(positions),
    mask: (ids, batch, length) => {
      const mask = new Uint8Array(batch * positions);
      for (let b = 0; b < batch; b++) {
        const row = b * length;
        // Ids read by the windows under pooled position q: [q·s − before, q·s + s − 1 + after].
        for (let q = 0; q < positions; q++) {
          const from = q * poolSize - before;
          const to = q * poolSize + poolSize - 1 + after;
          let padded = from >= 0 && to < length;
          for (let p = Math.max(from, 0); padded && p <= to; p++) if (ids[row + p] !== 0) padded = false;
          mask[b * positions + q] = padded ? 1 : 0;
        }
      }
      return mask;
    },
    padValue: () => {
      const [kernel, bias] = conv.weights.map((w) => w.read());
      // Every tap of the window reads the same row: one product with the taps' summed kernel.
      const summed = tf.sum(kernel, 0) as tf.Tensor2D;
      const e = tf.reshape(paddingEmbedding(embedding), [1, -1]) as tf.Tensor2D;
      return tf.reshape(tf.relu(tf.add(tf.matMul(e, summed), bias)), [-1]) as tf.Tensor1D;
    },
  };
}

/**
 * The twin of `model` (an mlp or cnn as built by mlp.ts and cnn.ts) that trains the same
 * variables without the work on padding, or undefined where it would not help (no such layers,
 * or a length with no divisor to chunk it by).
 */
export function trainingTwin(
  kind: string,
  model: tf.LayersModel,
  maxLen: number,
): tf.LayersModel | undefined {
  const padding =
    kind === 'mlp' ? mlpPadding(model, maxLen) : kind === 'cnn' ? cnnPadding(model, maxLen) : undefined;
  const hidden = layerNamed(model, 'hidden');
  const output = layerNamed(model, 'output');
  if (!padding || !hidden || !output || padding.chunk < MIN_CHUNK) return undefined;
  const ids = tf.input({ name: 'ids', shape: [maxLen], dtype: 'int32' });
  let features = layerNamed(model, 'embedding')!.apply(ids) as tf.SymbolicTensor;
  if (kind === 'cnn') {
    features = layerNamed(model, 'conv1d')!.apply(features) as tf.SymbolicTensor;
    features = layerNamed(model, 'max_pooling1d')!.apply(features) as tf.SymbolicTensor;
  }
  const dense = new PaddingAwareDense(hidden, padding).apply([ids, features]) as tf.SymbolicTensor;
  const outputs = output.apply(dense) as tf.SymbolicTensor;
  return tf.model({ name: `${model.name}_training`, inputs: ids, outputs });
}
