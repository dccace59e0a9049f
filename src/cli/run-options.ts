/**
 * `polarity train`'s run controls (--validation-split, --early-stopping, --checkpoint, --stream,
 * --report), made from what the family table says each family reads (`ModelFamilyEntry.run`): the
 * `[families]` tag of each flag's help, the flags refused for a model whose family does not read
 * them, and the `RunOptions` they give `trainModel`.
 */
import type { RunOptions } from '../experiments/train-model.js';
import { familyOptions } from '../models/family-options.js';
import { families } from '../models/families.js';
import type { ModelFamilyEntry } from '../models/family.js';

/** Train's flags (as commander names them) that only some families read, in the order they are refused. */
export const RUN_FLAGS = ['validationSplit', 'report', 'stream', 'earlyStopping', 'checkpoint'] as const;
export type RunFlag = (typeof RUN_FLAGS)[number];

/** Whether a family reads each run flag, from its table entry. */
const READS: Readonly<Record<RunFlag, (family: ModelFamilyEntry) => boolean>> = {
  validationSplit: (family) => family.run?.validationSplit !== undefined,
  // A training report draws the curves of the epochs.
  report: (family) => family.run?.epochs === true,
  stream: (family) => family.run?.streams === true,
  earlyStopping: (family) => family.run?.earlyStopping !== undefined,
  checkpoint: (family) => family.run?.checkpointDir !== undefined,
};

/** What the flags of `train` hold that this file reads. */
export interface RunFlags {
  readonly validationSplit: number;
  readonly earlyStopping?: number;
  readonly checkpoint?: string;
}

/** How --help names a family: its label (`neural`), or else its model names (`nb, linear, nbsvm`). */
function tagOf(family: ModelFamilyEntry): string {
  const label = familyOptions().find((options) => options.family === family.family)?.label;
  return label || family.models().join(', ');
}

/** `[neural, fasttext] `: the families that read `flag`, in table order, before its help ('' for none). */
export function runFlagTag(flag: RunFlag): string {
  const readers = families().filter(READS[flag]);
  return readers.length === 0 ? '' : `[${readers.map(tagOf).join(', ')}] `;
}

/**
 * The help of --validation-split after its tag: what the slice is for where a family learns
 * something other than the validation loss on it, and that family's default fraction.
 */
export function validationSplitUses(): string {
  const others = families().flatMap((family) => {
    const slice = family.run?.validationSplit;
    return slice?.purpose === undefined
      ? []
      : [`${tagOf(family)}: ${slice.purpose}, default ${slice.default}`];
  });
  return others.length === 0 ? '' : ` (${others.join('; ')})`;
}

/** --validation-split's default: that of the families that hold out a slice for validation loss. */
export function defaultValidationSplit(): number {
  const slice = families().find(
    (family) => family.run?.validationSplit && !family.run.validationSplit.purpose,
  )?.run?.validationSplit;
  return slice?.default ?? 0;
}

/** Per family, the run flags its models refuse (for `checkModelFlags`). */
export function runFlagsNotRead(): Record<string, readonly RunFlag[]> {
  return Object.fromEntries(
    families().map((family) => [family.family, RUN_FLAGS.filter((flag) => !READS[flag](family))]),
  );
}

/**
 * The run options the flags give for a model of `family` (whose flags `checkModelFlags` has checked).
 * A validation split of 0 (the default) is left unset, so each family keeps its own default (an
 * ensemble learns its weights on its default slice).
 */
export function runOptionsFromFlags(flags: RunFlags, family: ModelFamilyEntry): RunOptions {
  const holdsOut = flags.validationSplit > 0 && READS.validationSplit(family);
  return {
    validationSplit: holdsOut ? flags.validationSplit : undefined,
    earlyStopping: flags.earlyStopping === undefined ? undefined : { patience: flags.earlyStopping },
    checkpointDir: flags.checkpoint,
  };
}
