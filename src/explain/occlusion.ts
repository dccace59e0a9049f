/**
 * Explanation by occlusion, for any classifier: a word's contribution is how much the probability of
 * the predicted label drops when that word alone is cut out of the text. It needs nothing from the
 * model but `predict`, so it explains the neural models (which have no explanation of their own) and
 * ensembles. All the cut texts go to `predict` in one call, which scores them in batches: a 300-word
 * review costs one batched prediction of 301 texts.
 */
import type { Prediction } from '../models/classifier.js';
import { textWords, type TextWord } from './words.js';

/** Scores texts in order; a Classifier's `predict`, or a batching queue in front of one. */
export type PredictFunction = (texts: readonly string[]) => Promise<Prediction[]>;

/** A word of the text and how much it pushed the prediction towards (positive) or away from the predicted label. */
export interface WordAttribution extends TextWord {
  readonly weight: number;
}

export interface OcclusionResult {
  readonly prediction: Prediction;
  readonly words: WordAttribution[];
}

/** `text` with the word at [start, end) replaced by a space, so that its neighbours stay apart. */
export function withoutWord(text: string, word: TextWord): string {
  return `${text.slice(0, word.start)} ${text.slice(word.end)}`;
}

/**
 * The prediction for `text` and, for each of its words, the probability of the predicted label with
 * the word minus the probability without it.
 */
export async function occlusionAttributions(
  predict: PredictFunction,
  text: string,
  words: readonly TextWord[] = textWords(text),
): Promise<OcclusionResult> {
  const [prediction, ...occluded] = await predict([text, ...words.map((word) => withoutWord(text, word))]);
  return {
    prediction,
    words: words.map((word, i) => ({
      ...word,
      weight: prediction.score - occluded[i].scores[prediction.label],
    })),
  };
}
