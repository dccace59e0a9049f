/**
 * How large each architecture's layers are, worked out from the hyper-parameters alone (see
 * network-size.ts), and the checks of combinations an architecture cannot build. Plain TypeScript,
 * kept apart from the builders (mlp.ts, cnn.ts, …), which import TensorFlow.js: the option
 * declarations check a network's size before any data is read, and must load without TF.js.
 */
import { OptionError } from '../../errors.js';
import type { NeuralHyperParameters } from './neural-config.js';
import { embeddingPart, headPart, hiddenPart, type SizePart } from './network-size.js';

/** The recurrent layers: an LSTM, a bidirectional LSTM or a GRU. */
export type RecurrentKind = 'lstm' | 'bilstm' | 'gru';

/** The MLP's layers' sizes: the hidden layer sees the whole flattened review, max-len × embedding-dim values. */
export function mlpSize(params: NeuralHyperParameters, numLabels: number): SizePart[] {
  const flat = params.maxLen * params.embeddingDim;
  return [
    embeddingPart(params),
    hiddenPart(params, flat, ['maxLen', 'embeddingDim', 'hiddenUnits']),
    headPart(params.hiddenUnits, numLabels, ['hiddenUnits']),
  ];
}

/** The CNN's layers' sizes: the hidden layer sees max-len / pool-size positions of every filter. */
export function cnnSize(params: NeuralHyperParameters, numLabels: number): SizePart[] {
  const pooled = Math.floor(params.maxLen / params.poolSize) * params.filters;
  return [
    embeddingPart(params),
    {
      layer: 'conv1d',
      parameters: (params.kernelSize * params.embeddingDim + 1) * params.filters,
      keys: ['filters', 'embeddingDim'],
      activations: params.maxLen * params.filters + pooled,
      activationKeys: ['maxLen', 'filters'],
    },
    hiddenPart(params, pooled, ['maxLen', 'filters', 'hiddenUnits']),
    headPart(params.hiddenUnits, numLabels, ['hiddenUnits']),
  ];
}

/** Rejects convolution widths that cannot work with these hyper-parameters. */
export function checkCnnGlobal(params: NeuralHyperParameters): void {
  const tooWide = params.filterSizes.find((width) => width > params.maxLen);
  if (tooWide !== undefined) {
    throw new OptionError(`filterSizes: a width of ${tooWide} is longer than maxLen ${params.maxLen}`);
  }
  const repeated = params.filterSizes.find((width, i) => params.filterSizes.indexOf(width) !== i);
  if (repeated !== undefined) {
    throw new OptionError(
      `filterSizes: width ${repeated} is listed twice (for more filters per width, raise filters)`,
    );
  }
}

/** cnn-global's layers' sizes: one convolution per width, pooled to `filters` values each. */
export function cnnGlobalSize(params: NeuralHyperParameters, numLabels: number): SizePart[] {
  const features = params.filters * params.filterSizes.length;
  const convolutions = params.filterSizes.map((width): SizePart => ({
    layer: `conv1d_w${width}`,
    parameters: (width * params.embeddingDim + 1) * params.filters,
    keys: ['filters', 'embeddingDim', 'filterSizes'],
    activations: Math.max(params.maxLen - width + 1, 0) * params.filters + params.filters,
    activationKeys: ['maxLen', 'filters'],
  }));
  return [
    embeddingPart(params),
    ...convolutions,
    hiddenPart(params, features, ['filters', 'filterSizes', 'hiddenUnits']),
    headPart(params.hiddenUnits, numLabels, ['hiddenUnits']),
  ];
}

/**
 * The recurrent models' layers' sizes: 4 (LSTM) or 3 (GRU) gates per direction, each
 * (embedding + units + 1) × units; the recurrence keeps every step's gates for the backward pass.
 */
export function recurrentSize(kind: RecurrentKind) {
  const gates = kind === 'gru' ? 3 : 4;
  const directions = kind === 'bilstm' ? 2 : 1;
  return (params: NeuralHyperParameters, numLabels: number): SizePart[] => {
    const { embeddingDim, units, maxLen } = params;
    return [
      embeddingPart(params),
      {
        layer: kind,
        parameters: directions * gates * (embeddingDim + units + 1) * units,
        keys: ['units', 'embeddingDim'],
        activations: directions * maxLen * (gates + 1) * units,
        activationKeys: ['maxLen', 'units'],
      },
      headPart(directions * units, numLabels, ['units']),
    ];
  };
}
