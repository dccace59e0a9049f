/**
 * The options each built-in model name takes, as types made from its family's option declarations:
 * flat (`{ model: 'nbsvm', minDf: 2 }`), one optional field per declared option, so that a new
 * declaration is a new field here with nothing else to write. The trainers still take their own
 * nested options (`TrainerChoice`); this map is for a flat `train()` call (issue 16).
 */
import type { DeclaredDocVecOptions, DOCVEC_KIND } from './docvec/option-declarations.js';
import type { DeclaredEnsembleOptions } from './ensemble/option-declarations.js';
import type { FASTTEXT_KIND } from './fasttext/fasttext-classifier.js';
import type { DeclaredFastTextOptions } from './fasttext/option-declarations.js';
import type { LinearModelName } from './linear/linear-options.js';
import type { DeclaredLinearOptions } from './linear/option-declarations.js';
import type { NEURAL_MODELS } from './neural/architecture-names.js';
import type { DeclaredNeuralOptions } from './neural/option-declarations.js';

/** Each built-in model name → the options its family declares. */
export interface ModelOptionsByName
  extends
    Record<LinearModelName, DeclaredLinearOptions>,
    Record<(typeof NEURAL_MODELS)[number], DeclaredNeuralOptions>,
    Record<typeof FASTTEXT_KIND, DeclaredFastTextOptions>,
    Record<typeof DOCVEC_KIND, DeclaredDocVecOptions>,
    Record<'ensemble', DeclaredEnsembleOptions> {}

/** A built-in model name. */
export type BuiltInModel = keyof ModelOptionsByName;

/** Model `M` and the options its family declares, flat: `ModelOptions<'nbsvm'>` takes `minDf`, not `dim`. */
export type ModelOptions<M extends BuiltInModel = BuiltInModel> = {
  [N in M]: { readonly model: N } & ModelOptionsByName[N];
}[M];
