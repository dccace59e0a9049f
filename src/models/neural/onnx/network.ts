/**
 * A network (mlp, cnn, cnn-global, lstm, bilstm, gru) as one ONNX graph, raw text in:
 *
 *   text [N] ─ front end (tokenizer, vocabulary, cut and pad; front-end.ts) ─ ids
 *     ─ the model's layers in order (layers.ts, recurrent.ts) ─ output unit(s)
 *     ─ probabilities [N, labels] (one sigmoid unit: [1 − p, p], as Polarity's predict)
 *
 * A Sequential model is translated layer by layer; cnn-global (parallel convolutions) by its
 * known shape. A network whose embedding masks padding (the recurrent ones) gets the kept ids
 * left-aligned with their lengths, and its recurrent layer runs on the real steps alone; one whose
 * embedding feeds a Dense over every position (the mlp) gets the rows cropped to the batch's longest,
 * the padding cut off added as one constant (layers.ts, `croppedDense`), and cnn-global gets them
 * cropped with a margin of its widest window, each max also taking the padding's window
 * (`withPaddingWindows`).
 */
import type * as tf from '../../../engine/tf.js';
import { OptionError } from '../../../errors.js';
import type { OnnxGraphBuilder, OnnxGraphPart } from '../../onnx-graph.js';
import type { NeuralClassifier } from '../neural-classifier.js';
import { textToIds, type FrontEnd, type IdsLayout } from './front-end.js';
import {
  conv1d,
  croppedDense,
  dense,
  embedding,
  flatten,
  globalMaxPooling1d,
  layerConfig,
  layerWeights,
  maxPooling1d,
  withPaddingWindows,
} from './layers.js';
import { recurrentLayer, returnsSequences } from './recurrent.js';

/** Layers that are the identity at inference. */
const IDENTITY = new Set(['Dropout', 'SeededDropout']);

/** The layers of a Sequential model after its Embedding, translated in order. */
function sequentialLayers(
  graph: OnnxGraphBuilder,
  layers: readonly tf.layers.Layer[],
  x: string,
  front: FrontEnd,
): string {
  let out = x;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const className = layer.getClassName();
    if (IDENTITY.has(className)) continue;
    switch (className) {
      case 'Flatten':
        out = flatten(graph, out, layer.name);
        break;
      case 'Dense':
        out = dense(graph, layer, out);
        break;
      case 'Conv1D':
        out = conv1d(graph, layer, out);
        break;
      case 'MaxPooling1D':
        out = maxPooling1d(graph, layer, out);
        break;
      case 'GlobalMaxPooling1D':
        out = globalMaxPooling1d(graph, out, layer.name);
        break;
      case 'LSTM':
      case 'GRU':
      case 'Bidirectional': {
        if (front.lengths === undefined) {
          throw new OptionError('ONNX export: a recurrent layer needs a masking embedding before it');
        }
        const sequences = returnsSequences(layer);
        const next = layers[i + 1]?.getClassName();
        if (sequences && next !== 'MaskedGlobalMaxPooling1D') {
          throw new OptionError('ONNX export: a recurrent layer that returns sequences must be max-pooled');
        }
        out = recurrentLayer(graph, layer, out, front.lengths, sequences);
        if (sequences) i++; // the pooling is part of recurrentLayer
        break;
      }
      default:
        throw new OptionError(`ONNX export: layer ${className} (${layer.name}) is not supported`);
    }
  }
  return out;
}

/** cnn-global's convolutions (one per width), read from the model. */
function convolutionsOf(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'Conv1D');
}

/** The widest window of cnn-global's convolutions. */
function widestWindow(model: tf.LayersModel): number {
  return Math.max(...convolutionsOf(model).map((layer) => layerWeights(layer)[0].shape[0]));
}

/**
 * cnn-global: one Conv1D per width on the embedding, each max-pooled, concatenated, then dense
 * layers. On cropped rows (`front.width`), each max also takes the windows cut off (all padding).
 */
function cnnGlobalLayers(
  graph: OnnxGraphBuilder,
  model: tf.LayersModel,
  embeddingLayer: tf.layers.Layer,
  embedded: string,
  front: FrontEnd,
  maxLen: number,
): string {
  const pooled = convolutionsOf(model).map((layer) => {
    const max = globalMaxPooling1d(graph, conv1d(graph, layer, embedded), `${layer.name}_max_kept`);
    return front.width === undefined
      ? max
      : withPaddingWindows(graph, embeddingLayer, layer, max, front.width, maxLen);
  });
  let out =
    pooled.length === 1 ? pooled[0] : graph.node('Concat', pooled, 'concatenate', { axis: { int: 1 } });
  for (const layer of model.layers.filter((l) => l.getClassName() === 'Dense'))
    out = dense(graph, layer, out);
  return out;
}

/** What the export records beyond what every export does: how texts become ids. */
function neuralMetadata(classifier: NeuralClassifier): Record<string, string> {
  const { vocabulary, config } = classifier.encoder;
  return {
    'polarity.sequence': JSON.stringify(config.sequence),
    'polarity.vocabulary': JSON.stringify(vocabulary.options),
  };
}

/** The network's part of an ONNX graph, from raw texts `text` to its probabilities, names in `graph`'s scope. */
export function neuralOnnxGraph(
  classifier: NeuralClassifier,
  graph: OnnxGraphBuilder,
  text: string,
): OnnxGraphPart {
  const { model, encoder, labels } = classifier;
  const [first, ...rest] = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (first?.getClassName() !== 'Embedding') {
    throw new OptionError(`ONNX export: the network ${model.name} does not start with an Embedding`);
  }
  const masks = layerConfig(first).maskZero === true;
  const isSequential = model.getClassName() === 'Sequential';
  // Dense over every position right after the embedding (the mlp) multiplies only the positions kept.
  const denseOverAll =
    isSequential && rest[0]?.getClassName() === 'Flatten' && rest[1]?.getClassName() === 'Dense';
  // So do cnn-global's convolutions, over the positions kept and a margin of padding.
  const layout: IdsLayout = masks ? 'left-aligned' : denseOverAll || !isSequential ? 'cropped' : 'padded';
  const margin = isSequential ? 0 : widestWindow(model) - 1;
  const { sequence } = encoder.config;
  const front = textToIds(graph.scope('input'), text, encoder.vocabulary, sequence, layout, margin);
  const embedded = embedding(graph, first, front.ids);
  let scores: string;
  if (!isSequential) {
    scores = cnnGlobalLayers(graph, model, first, embedded, front, sequence.maxLen);
  } else if (denseOverAll && front.width !== undefined) {
    const [, denseLayer, ...after] = rest;
    const hidden = croppedDense(graph, first, denseLayer, embedded, front.width, sequence);
    scores = sequentialLayers(graph, after, hidden, front);
  } else {
    scores = sequentialLayers(graph, rest, embedded, front);
  }
  const metadata = neuralMetadata(classifier);
  if (labels.length > 2) {
    return { probabilities: graph.node('Identity', [scores], 'network_probabilities'), metadata };
  }
  // One sigmoid unit: the second label's probability; the first's is its complement.
  const complement = graph.node('Sub', [graph.scalar('one_p', 1), scores], 'first');
  return {
    probabilities: graph.node('Concat', [complement, scores], 'network_probabilities', { axis: { int: 1 } }),
    metadata,
  };
}
