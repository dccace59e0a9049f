/** The toy family's one option, declared once: its flag, --help line and search grid key come from here. */
import { positiveNumber, type FamilyOptions } from '../../../src/models/options.js';
import { WORD_VOTE_KIND } from './word-vote.js';

export const WORD_VOTE_OPTIONS: FamilyOptions = {
  family: 'toy',
  models: () => [WORD_VOTE_KIND],
  path: ['wordVote'],
  declarations: [
    {
      key: 'smoothing',
      value: positiveNumber(),
      help: 'counts added to every word and label (Laplace smoothing)',
      default: () => 1,
      search: true,
    },
  ],
  help: [{ models: WORD_VOTE_KIND, lines: ['each word votes for the labels it came with in training'] }],
};
