/**
 * A saved model written in another format (`polarity export`, ONNX for now), through the family
 * table: the family of the manifest's kind writes it, or the refusal names the families that can.
 */
import { OptionError } from '../errors.js';
import type { ModelManifest } from '../persist/manifest.js';
import type { Classifier } from './classifier.js';
import { families, familyOfKind } from './families.js';
import { EXPORT_FORMATS } from './family.js';
import { loadClassifier, savedModel } from './load.js';
import {
  classifierOnnxModel,
  OnnxGraphBuilder,
  ONNX_TEXT_INPUT,
  type OnnxGraphContext,
} from './onnx-graph.js';

export { EXPORT_FORMATS, type ExportFormat } from './family.js';

/** An exported model: the file's bytes, and the model's kind and family. */
export interface ExportedModel {
  readonly bytes: Uint8Array;
  readonly kind: string;
  readonly family: string;
}

/** The families whose entry has an export, in table order. */
export function exportingFamilies(): string[] {
  return families()
    .filter((f) => f.onnxGraph !== undefined)
    .map((f) => f.family);
}

/**
 * Reads the model saved in `dir` and writes it as `format`.
 * @throws OptionError for an unknown format or a family without an export (naming those with one);
 *   ModelFormatError for a directory that is no model.
 */
export async function exportModel(dir: string, format: string): Promise<ExportedModel> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new OptionError(`unknown export format "${format}" (known: ${EXPORT_FORMATS.join(', ')})`);
  }
  const { manifest, family } = await savedModel(dir);
  if (family.onnxGraph === undefined) throw cannotExport(manifest.kind, family.family);
  const classifier = await family.load(dir, manifest, { loadClassifier });
  try {
    return { bytes: await onnxModelOf(classifier, manifest), kind: manifest.kind, family: family.family };
  } finally {
    classifier.dispose();
  }
}

function cannotExport(kind: string, family: string): OptionError {
  return new OptionError(
    `a ${kind} model (family ${family}) cannot be exported yet; ` +
      `the families with an export are: ${exportingFamilies().join(', ') || 'none'}`,
  );
}

/** The graph of a loaded model from raw texts `text`, into `graph`, by its family's `onnxGraph`. */
async function graphOf(classifier: Classifier, graph: OnnxGraphBuilder, text: string) {
  const family = familyOfKind(classifier.kind);
  if (family?.onnxGraph === undefined) throw cannotExport(classifier.kind, family?.family ?? 'unknown');
  return family.onnxGraph(classifier, graph, text, context);
}

const context: OnnxGraphContext = {
  memberGraph: async (member, graph, text) => (await graphOf(member, graph, text)).probabilities,
};

/** The `.onnx` bytes of a loaded model whose manifest is `manifest` (what `--runtime onnx` scores). */
export async function onnxModelOf(classifier: Classifier, manifest: ModelManifest): Promise<Uint8Array> {
  const graph = OnnxGraphBuilder.create();
  const part = await graphOf(classifier, graph, ONNX_TEXT_INPUT);
  return classifierOnnxModel(graph, part, manifest);
}
