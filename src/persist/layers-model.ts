import * as tf from '../engine/tf.js';
import { ModelFormatError } from '../errors.js';

/** The two files TensorFlow.js uses for a Layers model: the topology with its weight manifest, and the raw weights. */
export interface SerializedLayersModel {
  readonly modelJson: string;
  readonly weights: Uint8Array;
}

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Serialises a model to the standard `model.json` + `weights.bin` pair in memory (the pure-JS
 * TensorFlow.js has no file system handler in Node; tfjs-node's would tie the format to it).
 */
export async function serializeLayersModel(model: tf.LayersModel): Promise<SerializedLayersModel> {
  let captured: SerializedLayersModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData;
      const buffer =
        weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(weightData);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      captured = { modelJson: JSON.stringify(modelJson), weights: new Uint8Array(buffer) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('TensorFlow.js did not hand over the model artifacts');
  return captured;
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Rebuilds a model from `model.json` + `weights.bin`, checking that the weights fill the manifest exactly. */
export async function deserializeLayersModel(
  modelJsonText: string,
  weights: Uint8Array,
  dir: string,
): Promise<tf.LayersModel> {
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(modelJsonText) as tf.io.ModelJSON;
  } catch (error) {
    throw new ModelFormatError(`${MODEL_JSON} is not valid JSON: ${(error as Error).message}`, dir);
  }
  const specs = (modelJson.weightsManifest ?? []).flatMap((group) => group.weights);
  const expectedBytes = specs.reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_DTYPE[spec.dtype] ?? 4),
    0,
  );
  if (expectedBytes !== weights.byteLength) {
    throw new ModelFormatError(
      `${WEIGHTS_BIN} has ${weights.byteLength} bytes but ${MODEL_JSON} describes ${expectedBytes}`,
      dir,
    );
  }
  const buffer = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  ) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData: buffer }),
    );
  } catch (error) {
    throw new ModelFormatError(
      `${MODEL_JSON} does not describe a loadable model: ${(error as Error).message}`,
      dir,
    );
  }
}
