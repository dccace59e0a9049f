import { type Command, Option } from 'commander';
import { EXPORT_FORMATS, exportingFamilies, exportModel } from '../models/export.js';
import { isPolarityOnnxStart } from '../persist/onnx/onnx-proto.js';
import { checkOutputFile } from '../persist/output-dir.js';
import { writeFileAtomically } from '../util/atomic-file.js';

interface ExportFlags {
  model: string;
  format: string;
  out: string;
  overwrite: boolean;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      `write a saved model in a portable format: ONNX, raw text in, probabilities and label out (models of the ${exportingFamilies().join(', ')} ${exportingFamilies().length === 1 ? 'family' : 'families'})`,
    )
    .requiredOption('--model <dir>', 'a saved model directory')
    .addOption(new Option('--format <format>', 'the format to write').choices(EXPORT_FORMATS).default('onnx'))
    .requiredOption(
      '--out <file>',
      'the file to write, atomically (an earlier ONNX file of Polarity is replaced; any other file needs --overwrite)',
    )
    .addOption(
      new Option(
        '--overwrite',
        'replace --out even when it is not an ONNX file Polarity wrote; never the model',
      ).default(false),
    )
    .action(async (flags: ExportFlags) => {
      await checkOutputFile(flags.out, isPolarityOnnxStart, {
        overwrite: flags.overwrite,
        inputs: [flags.model],
        flag: '--out',
      });
      const { bytes, kind } = await exportModel(flags.model, flags.format);
      await writeFileAtomically(flags.out, bytes);
      process.stderr.write(
        `exported ${kind} model to ${flags.out} (${flags.format}, ${bytes.length} bytes)\n`,
      );
    });
}
