import type { Example } from '../data/types.js';

/** A wrongly labelled example, with how sure the model was of its wrong answer. */
export interface Mistake {
  /** Position in the scored examples. */
  readonly index: number;
  /** The example's id, where its source has one (IMDB: the review's file name stem). */
  readonly id?: string;
  /** The start of the text, on one line. */
  readonly excerpt: string;
  readonly trueLabel: string;
  readonly predictedLabel: string;
  /** Probability the model gave its (wrong) predicted label. */
  readonly score: number;
  /** Probability the model gave the true label. */
  readonly trueScore: number;
}

/** Characters of text kept in a mistake's excerpt. */
export const EXCERPT_LENGTH = 160;

/**
 * The `count` mistakes the model was most confident about (highest probability of the wrong label;
 * ties by position), which are where label noise and the model's blind spots show first.
 */
export function mostConfidentMistakes(
  examples: readonly Example[],
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  labels: readonly string[],
  count: number,
): Mistake[] {
  if (count <= 0) return [];
  const n = labels.length;
  const wrong: number[] = [];
  for (let i = 0; i < examples.length; i++) if (truth[i] !== predicted[i]) wrong.push(i);
  const score = (i: number) => probabilities[i * n + predicted[i]];
  wrong.sort((a, b) => score(b) - score(a) || a - b);
  return wrong.slice(0, count).map((i) => ({
    index: i,
    ...(examples[i].id === undefined ? {} : { id: examples[i].id }),
    excerpt: excerpt(examples[i].text),
    trueLabel: labels[truth[i]],
    predictedLabel: labels[predicted[i]],
    score: score(i),
    trueScore: probabilities[i * n + truth[i]],
  }));
}

/** The text on one line (HTML line breaks and runs of white space as one space), cut at a word. */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const flat = text
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${(space > length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
