import type { Classifier, Prediction, TokenAttribution } from '../models/classifier.js';
import { NGRAM_SEPARATOR } from '../text/features/ngrams.js';
import { occlusionAttributions, type PredictFunction, type WordAttribution } from './occlusion.js';
import { spreadOverWords } from './spread.js';
import { textWords } from './words.js';

/** 'model': the classifier's own explanation (the linear models' n-gram weights); 'occlusion': see occlusion.ts. */
export type ExplanationMethod = 'model' | 'occlusion';

/** One prediction explained: the prediction, the method, and the weight of each word and token. */
export interface TextExplanation {
  readonly prediction: Prediction;
  readonly method: ExplanationMethod;
  /** Every word of the text that holds a token, in order, with its weight towards the predicted label. */
  readonly words: readonly WordAttribution[];
  /**
   * The explanation in the model's own terms, largest magnitude first: n-grams for 'model', the words
   * (their tokens joined by a space) for 'occlusion'.
   */
  readonly attributions: readonly TokenAttribution[];
}

export interface ExplainTextOptions {
  /** How to score texts for occlusion; default: the classifier's `predict`. */
  readonly predict?: PredictFunction;
}

/**
 * Explains one prediction word by word: with the classifier's own explanation when it has one, by
 * occlusion otherwise. Weights are relative to the predicted label; their scale depends on the method
 * (n-gram weights, or probabilities), so compare words within one explanation only.
 */
export async function explainText(
  classifier: Classifier,
  text: string,
  options: ExplainTextOptions = {},
): Promise<TextExplanation> {
  // A wrapper explains every model (by occlusion where need be): what counts is the model's own.
  while (classifier.wrapped !== undefined) classifier = classifier.wrapped;
  const words = textWords(text);
  if (classifier.explain) {
    const [[prediction], attributions] = await Promise.all([
      classifier.predict([text]),
      classifier.explain(text),
    ]);
    return { prediction, method: 'model', words: spreadOverWords(words, attributions), attributions };
  }
  const predict = options.predict ?? ((texts: readonly string[]) => classifier.predict(texts));
  const occlusion = await occlusionAttributions(predict, text, words);
  const attributions = occlusion.words
    .map((word) => ({ token: word.tokens.join(NGRAM_SEPARATOR), weight: word.weight }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return { prediction: occlusion.prediction, method: 'occlusion', words: occlusion.words, attributions };
}
