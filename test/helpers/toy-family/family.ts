/** The toy family's entry for the model table: all a family adds outside its own folder is one registration. */
import type { Classifier } from '../../../src/models/classifier.js';
import type { ModelFamilyEntry } from '../../../src/models/family.js';
import { WORD_VOTE_OPTIONS } from './options.js';
import { WORD_VOTE_KIND, type WordVoteClassifier, type WordVoteOptions } from './word-vote.js';

/** The part of the trainer options the toy family reads. */
export interface WordVoteChoice {
  readonly wordVote?: WordVoteOptions;
}

export const wordVoteFamily: ModelFamilyEntry<WordVoteChoice> = {
  family: 'toy',
  models: () => [WORD_VOTE_KIND],
  needsBackend: false,
  // The run controls it reads: only --stream (it counts words in one pass, batch by batch).
  run: { streams: true },
  options: WORD_VOTE_OPTIONS,
  async createTrainer(_name, choice) {
    const { WordVoteTrainer } = await import('./word-vote.js');
    return new WordVoteTrainer(choice.wordVote);
  },
  async load(dir, manifest) {
    const { WordVoteClassifier } = await import('./word-vote.js');
    return WordVoteClassifier.load(dir, manifest);
  },
  async summarise(classifier: Classifier) {
    const model = classifier as WordVoteClassifier;
    return { text: `word-vote: ${model.counts.size} words, ${model.labels.length} labels` };
  },
};
