/**
 * Turning a model's own explanation, given per n-gram, into one weight per written word. Each
 * occurrence of an n-gram gets an equal part of the n-gram's weight, shared equally by the tokens it
 * covers; a word gets the parts of its tokens. The words' weights therefore add up to the n-grams'
 * (those found in the text), and "not good" counts half for "not" and half for "good".
 */
import type { TokenAttribution } from '../models/classifier.js';
import { NGRAM_SEPARATOR } from '../text/features/ngrams.js';
import type { WordAttribution } from './occlusion.js';
import type { TextWord } from './words.js';

export function spreadOverWords(
  words: readonly TextWord[],
  attributions: readonly TokenAttribution[],
): WordAttribution[] {
  const tokens: string[] = [];
  const wordOfToken: number[] = [];
  words.forEach((word, w) => {
    for (const token of word.tokens) {
      tokens.push(token);
      wordOfToken.push(w);
    }
  });
  const weightOf = new Map<string, number>();
  let longest = 1;
  for (const { token, weight } of attributions) {
    weightOf.set(token, (weightOf.get(token) ?? 0) + weight);
    longest = Math.max(longest, token.split(NGRAM_SEPARATOR).length);
  }
  const starts = new Map<string, number[]>();
  for (let i = 0; i < tokens.length; i++) {
    for (let n = 1; n <= longest && i + n <= tokens.length; n++) {
      const ngram = tokens.slice(i, i + n).join(NGRAM_SEPARATOR);
      if (!weightOf.has(ngram)) continue;
      const list = starts.get(ngram);
      if (list) list.push(i);
      else starts.set(ngram, [i]);
    }
  }
  const weights = new Float64Array(words.length);
  for (const [ngram, positions] of starts) {
    const n = ngram.split(NGRAM_SEPARATOR).length;
    const share = (weightOf.get(ngram) ?? 0) / positions.length / n;
    for (const position of positions) {
      for (let k = 0; k < n; k++) weights[wordOfToken[position + k]] += share;
    }
  }
  return words.map((word, w) => ({ ...word, weight: weights[w] }));
}
