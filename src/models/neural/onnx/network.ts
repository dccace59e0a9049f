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
 * the padding cut off added as one constant (cropped.ts, `croppedDense`); the tutorial cnn and
 * cnn-global get them cropped with a margin for their convolutions' windows (`croppedConvolution`,
 * `withPaddingWindows`).
 */
import type * as tf from '../../../engine/tf.js';
import { OptionError } from '../../../errors.js';
import type { OnnxGraphBuilder, OnnxGraphPart } from '../../onnx-graph.js';
import type { NeuralClassifier } from '../neural-classifier.js';
import type { SequenceOptions } from '../../../text/sequences/encoder.js';
import { textToIds, type Crop, type FrontEnd, type IdsLayout } from './front-end.js';
import {
  conv1d,
  dense,
  embedding,
  flatten,
  globalMaxPooling1d,
  layerConfig,
  maxPooling1d,
  single,
} from './layers.js';
import {
  convolutionCrop,
  croppedConvolution,
  croppedDense,
  paddingEmbedding,
  withPaddingWindows,
} from './cropped.js';
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
  return Math.max(
    ...convolutionsOf(model).map((layer) => single(layerConfig(layer).kernelSize, 'kernel size')),
  );
}

/**
 * cnn-global: one Conv1D per width on the embedding of rows cropped to `width` (see `croppedHead`),
 * each max-pooled with the windows cut off (all padding), concatenated, then dense layers.
 */
function cnnGlobalLayers(
  graph: OnnxGraphBuilder,
  model: tf.LayersModel,
  padEmbedding: Float32Array,
  embedded: string,
  width: string,
  maxLen: number,
): string {
  const pooled = convolutionsOf(model).map((layer) => {
    const max = globalMaxPooling1d(graph, conv1d(graph, layer, embedded), `${layer.name}_max_kept`);
    return withPaddingWindows(graph, padEmbedding, layer, max, width, maxLen);
  });
  let out =
    pooled.length === 1 ? pooled[0] : graph.node('Concat', pooled, 'concatenate', { axis: { int: 1 } });
  for (const layer of model.layers.filter((l) => l.getClassName() === 'Dense'))
    out = dense(graph, layer, out);
  return out;
}

/** Layers right after the embedding that read rows cropped to a batch's longest, and how to crop them. */
interface CroppedHead {
  readonly crop: Crop;
  /** The network's output from the embedded cropped rows `[N, W, E]` and W. */
  readonly layers: (embedded: string, width: string) => string;
}

/**
 * The network's layers as they read rows cropped to the batch's longest (front-end.ts), the work on
 * padding cut off accounted for as constants (cropped.ts): cnn-global, the mlp (Flatten, Dense) and
 * the tutorial cnn (Conv1D, MaxPooling1D, Flatten, Dense, where `convolutionCrop` allows); null for
 * the others, which read rows maxLen wide.
 */
function croppedHead(
  graph: OnnxGraphBuilder,
  model: tf.LayersModel,
  embeddingLayer: tf.layers.Layer,
  rest: readonly tf.layers.Layer[],
  sequence: SequenceOptions,
): CroppedHead | null {
  const { maxLen } = sequence;
  const front = (ids: string): FrontEnd => ({ ids });
  if (model.getClassName() !== 'Sequential') {
    return {
      crop: { margin: widestWindow(model) - 1, step: 1 },
      layers: (embedded, width) =>
        cnnGlobalLayers(graph, model, paddingEmbedding(embeddingLayer), embedded, width, maxLen),
    };
  }
  const names = rest.map((layer) => layer.getClassName());
  if (names[0] === 'Flatten' && names[1] === 'Dense') {
    return {
      crop: { margin: 0, step: 1 },
      layers: (embedded, width) => {
        const hidden = croppedDense(
          graph,
          paddingEmbedding(embeddingLayer),
          rest[1],
          embedded,
          width,
          sequence,
        );
        return sequentialLayers(graph, rest.slice(2), hidden, front(embedded));
      },
    };
  }
  if (names.slice(0, 4).join() === 'Conv1D,MaxPooling1D,Flatten,Dense') {
    const head = { convolution: rest[0], pooling: rest[1], dense: rest[3] };
    const crop = convolutionCrop(head, sequence.padding);
    if (crop === null) return null;
    return {
      crop,
      layers: (embedded, width) => {
        const hidden = croppedConvolution(
          graph,
          paddingEmbedding(embeddingLayer),
          head,
          embedded,
          width,
          maxLen,
        );
        return sequentialLayers(graph, rest.slice(4), hidden, front(embedded));
      },
    };
  }
  return null;
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
  const { sequence } = encoder.config;
  const cropped = masks ? null : croppedHead(graph, model, first, rest, sequence);
  const layout: IdsLayout = masks ? 'left-aligned' : cropped ? 'cropped' : 'padded';
  const front = textToIds(graph.scope('input'), text, encoder.vocabulary, sequence, layout, cropped?.crop);
  const embedded = embedding(graph, first, front.ids);
  const scores =
    cropped && front.width !== undefined
      ? cropped.layers(embedded, front.width)
      : sequentialLayers(graph, rest, embedded, front);
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
