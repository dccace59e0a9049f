/**
 * A `.onnx` file that `polarity export` wrote, read back for scoring as it is (`predict --runtime
 * onnx --model FILE`): its bytes, and the kind and labels its `metadata_props` record.
 */
import { readFile } from 'node:fs/promises';
import { ModelFormatError } from '../errors.js';
import { isLabelList } from '../persist/manifest.js';
import { ONNX_PRODUCER } from '../persist/onnx/onnx-proto.js';
import { ProtobufReadError, readOnnxModelInfo } from '../persist/onnx/onnx-read.js';

/** An exported graph's bytes, and the model kind and labels its metadata records. */
export interface ExportedGraph {
  readonly kind: string;
  readonly labels: readonly string[];
  readonly bytes: Uint8Array;
}

/** The labels of `polarity.labels` (JSON, as a manifest holds them), or undefined. */
function labelsOf(json: string | undefined): string[] | undefined {
  if (json === undefined) return undefined;
  try {
    const labels: unknown = JSON.parse(json);
    return isLabelList(labels) ? labels : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The graph in `file`, a `.onnx` file that `polarity export` wrote, with the kind and labels its
 * metadata records.
 * @throws ModelFormatError for any other file.
 */
export async function readExportedGraph(file: string): Promise<ExportedGraph> {
  const bytes: Uint8Array = await readFile(file);
  let info;
  try {
    info = readOnnxModelInfo(bytes);
  } catch (error) {
    if (!(error instanceof ProtobufReadError)) throw error;
    throw new ModelFormatError(
      `not an ONNX model (${error.message}); expected a model directory or a .onnx file of polarity export`,
      file,
    );
  }
  if (info.producer !== ONNX_PRODUCER) {
    throw new ModelFormatError(
      `not an ONNX model written by polarity export (its producer is ${JSON.stringify(info.producer ?? '')})`,
      file,
    );
  }
  const kind = info.metadata['polarity.kind'];
  const labels = labelsOf(info.metadata['polarity.labels']);
  if (kind === undefined || labels === undefined) {
    throw new ModelFormatError('its metadata lacks polarity.kind or a list of polarity.labels', file);
  }
  return { kind, labels, bytes };
}
