/**
 * The ensemble's defaults that its table entry states without loading the trainer (which loads the
 * members' classifiers): the fraction of the training split its weights are learnt on.
 */
export const DEFAULT_ENSEMBLE_VALIDATION_SPLIT = 0.1;
