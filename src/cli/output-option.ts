/**
 * `--overwrite` and the claim of a command's output directories at its start: every output checked
 * against the output policy (src/persist/output-dir.ts) and locked before any data is read or model
 * trained, so that a refused path or a second writer is reported within a second, not after training.
 */
import { existsSync } from 'node:fs';
import { Option } from 'commander';
import { defaultCacheDir } from '../data/imdb-location.js';
import { OptionError } from '../errors.js';
import { claimOutputDir, outputsOverlap, samePlace, type OutputKind } from '../persist/output-dir.js';

export const OVERWRITE_HELP =
  'replace an existing output directory (--out, --report, --checkpoint) even when it is not an earlier Polarity output of the same kind; never a file, the input data or the current directory';

export function overwriteOption(): Option {
  return new Option('--overwrite', OVERWRITE_HELP).default(false);
}

/** One output directory of a command: the flag that named it (for messages), where, and what it holds. */
export interface OutputDir {
  readonly flag: string;
  readonly dir: string | undefined;
  readonly kind: OutputKind;
}

/** The flags a command's inputs come from: each is protected from being replaced by an output. */
export interface InputFlags {
  readonly data?: string;
  readonly embeddings?: string;
  readonly members?: readonly string[];
  readonly overwrite?: boolean;
}

/**
 * Claims every given output directory (those not undefined), refusing two that overlap. `inputs`: the
 * command's inputs beyond those of `flags` (e.g. evaluate's --model).
 */
export async function claimOutputsForCli(
  outputs: readonly OutputDir[],
  flags: InputFlags,
  inputs: readonly string[] = [],
): Promise<void> {
  const given = outputs.filter((o): o is OutputDir & { dir: string } => o.dir !== undefined);
  for (const [i, a] of given.entries()) {
    for (const b of given.slice(i + 1)) {
      // The same model directory for --checkpoint and --out is fine: both hold the model.
      const shared = a.kind === b.kind && samePlace(a.dir, b.dir);
      if (outputsOverlap(a.dir, b.dir) && !shared) {
        throw new OptionError(
          `${a.flag} ${a.dir} and ${b.flag} ${b.dir} overlap: give them different directories, neither inside the other`,
        );
      }
    }
  }
  const protect = [...commandInputs(flags), ...inputs];
  for (const output of given) {
    const note = await claimOutputDir(output.dir, output.kind, {
      overwrite: flags.overwrite === true,
      inputs: protect,
      flag: output.flag,
    });
    if (note) process.stderr.write(`note: ${note}\n`);
  }
}

/**
 * The paths a command reads that exist: --data (else $POLARITY_DATA, else the IMDB cache), --embeddings,
 * saved --members (a member given by model name, such as nbsvm, names no path).
 */
export function commandInputs(flags: InputFlags): string[] {
  const data = flags.data || process.env.POLARITY_DATA || defaultCacheDir();
  return [data, flags.embeddings ?? '', ...(flags.members ?? [])].filter((p) => p !== '' && existsSync(p));
}
