/**
 * A saved model written in another format (`polarity export`, ONNX for now), through the family
 * table: the family of the manifest's kind writes it, or the refusal names the families that can.
 */
import { OptionError } from '../errors.js';
import { families } from './families.js';
import { EXPORT_FORMATS, type ExportFormat } from './family.js';
import { loadClassifier, savedModel } from './load.js';

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
    .filter((f) => f.export !== undefined)
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
  if (family.export === undefined) {
    throw new OptionError(
      `a ${manifest.kind} model (family ${family.family}) cannot be exported yet; ` +
        `the families with an export are: ${exportingFamilies().join(', ') || 'none'}`,
    );
  }
  const classifier = await family.load(dir, manifest, { loadClassifier });
  try {
    const bytes = await family.export(classifier, format as ExportFormat);
    return { bytes, kind: manifest.kind, family: family.family };
  } finally {
    classifier.dispose();
  }
}
