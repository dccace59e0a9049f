/**
 * The ensemble's defaults that its table entry states without loading the trainer (which loads the
 * members' classifiers): the folds its weights are cross-fitted on, and the fraction of the
 * training split they are learnt on instead with `--weight-folds 0`.
 */
export const DEFAULT_WEIGHT_FOLDS = 5;

export const DEFAULT_ENSEMBLE_VALIDATION_SPLIT = 0.1;
