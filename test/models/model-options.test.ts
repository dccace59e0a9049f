/**
 * The library's option types made from the declarations. Most of this file is checked by the
 * compiler (`npx tsc`): a flat options object per model name takes its family's declared options
 * and refuses another family's, and each family's declarations match its trainer's options type
 * (the `Assert<Declares<…>>` lines in each option-declarations.ts). At run time: the type map names
 * every built-in model, and each declared option of a family is a field of the flat type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocVecChoice } from '../../src/models/docvec/family.js';
import type { DOCVEC_OPTION_DECLARATIONS } from '../../src/models/docvec/option-declarations.js';
import type { EnsembleChoice } from '../../src/models/ensemble/family.js';
import type { ENSEMBLE_OPTION_DECLARATIONS } from '../../src/models/ensemble/option-declarations.js';
import { families } from '../../src/models/families.js';
import type { FastTextChoice } from '../../src/models/fasttext/family.js';
import type { FASTTEXT_OPTION_DECLARATIONS } from '../../src/models/fasttext/option-declarations.js';
import type { LinearChoice } from '../../src/models/linear/family.js';
import type { LINEAR_OPTION_DECLARATIONS } from '../../src/models/linear/option-declarations.js';
import type { BuiltInModel, ModelOptions } from '../../src/models/model-options.js';
import type { NeuralChoice } from '../../src/models/neural/family.js';
import type { NEURAL_OPTION_DECLARATIONS } from '../../src/models/neural/option-declarations.js';
import type { Assert, Fits, Misplaced } from '../../src/models/options.js';

// Compile-time: each declaration's parsed value fits where it goes in its family's trainer options
// (its `target`, else its key, under the family's `path`), so the CLI's and the grid's values type-check
// against what the trainers read.
export type _Placed = [
  Assert<Fits<typeof NEURAL_OPTION_DECLARATIONS, NeuralChoice['neural']>>,
  Assert<Fits<typeof LINEAR_OPTION_DECLARATIONS, LinearChoice['linear']>>,
  Assert<Fits<typeof FASTTEXT_OPTION_DECLARATIONS, FastTextChoice['fasttext']>>,
  Assert<Fits<typeof ENSEMBLE_OPTION_DECLARATIONS, EnsembleChoice>>,
  Assert<Fits<typeof DOCVEC_OPTION_DECLARATIONS, DocVecChoice['docvec']>>,
];
// And the check sees a misplaced one: the networks' options do not fit fastText's.
const misplaced: Misplaced<typeof NEURAL_OPTION_DECLARATIONS, FastTextChoice['fasttext']> = 'skipTop';

// Compile-time: what a flat options object per model may hold.
const accepted: readonly ModelOptions[] = [
  { model: 'nbsvm', minDf: 2, ngrams: 3 },
  { model: 'fasttext', dim: 20, minCount: 2 },
  { model: 'cnn-global', filterSizes: [3, 4], embeddings: 'vectors.txt', dropout: 0.3 },
  { model: 'ensemble', members: ['nbsvm', 'cnn'] },
];
// @ts-expect-error dim is fastText's option, not nbsvm's
const otherFamilys: ModelOptions = { model: 'nbsvm', dim: 2 };
// @ts-expect-error minDf is a number
const wrongType: ModelOptions<'nb'> = { model: 'nb', minDf: '2' };
// @ts-expect-error no family trains "svm"
const unknownModel: ModelOptions = { model: 'svm' };

/** Every built-in model name, as the type map has them: a missing or extra name does not compile. */
const BUILT_IN: Record<BuiltInModel, true> = {
  mlp: true,
  cnn: true,
  'cnn-global': true,
  lstm: true,
  bilstm: true,
  gru: true,
  nb: true,
  linear: true,
  nbsvm: true,
  fasttext: true,
  docvec: true,
  ensemble: true,
};

describe('option types from the declarations', () => {
  it('name every model of the built-in families', () => {
    const tableModels = families()
      .slice(0, 5)
      .flatMap((family) => [...family.models()]);
    assert.deepEqual(Object.keys(BUILT_IN).sort(), tableModels.sort());
  });

  it('hold the examples above as plain objects', () => {
    assert.equal(accepted.length, 4);
    assert.deepEqual(
      [otherFamilys, wrongType, unknownModel].map((o) => o.model),
      ['nbsvm', 'nb', 'svm'],
    );
    assert.equal(misplaced, 'skipTop');
  });
});
