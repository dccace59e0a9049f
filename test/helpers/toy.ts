import type { Dataset } from '../../src/data/types.js';
import { Random } from '../../src/util/random.js';

/** A tiny two-label problem: "good"/"bad" words decide the label; numbers make each text unique. */
export function toyDataset(size: number): Dataset {
  return {
    name: 'toy',
    labels: ['neg', 'pos'],
    train: Array.from({ length: size }, (_, i) => ({
      text: i % 2 ? `a good fine film number ${i}` : `a bad awful film number ${i}`,
      label: i % 2 ? 'pos' : 'neg',
    })),
    test: [],
  };
}

/**
 * The toy problem with a seeded fraction of labels flipped: a network that memorises the unique
 * numbers fits the flipped labels too, so its validation loss falls and then rises (to test early
 * stopping on).
 */
export function noisyToyDataset(size: number, noise: number, seed = 7): Dataset {
  const random = new Random(seed);
  const clean = toyDataset(size);
  return {
    ...clean,
    name: 'noisy toy',
    train: clean.train.map((e) =>
      random.next() < noise ? { ...e, label: e.label === 'pos' ? 'neg' : 'pos' } : e,
    ),
  };
}

/** The toy problem with only every `ratio`-th review positive: an imbalanced training split. */
export function imbalancedToyDataset(size: number, ratio: number): Dataset {
  return {
    name: 'imbalanced toy',
    labels: ['neg', 'pos'],
    train: Array.from({ length: size }, (_, i) => ({
      text: i % ratio === 0 ? `a good fine film number ${i}` : `a bad awful film number ${i}`,
      label: i % ratio === 0 ? 'pos' : 'neg',
    })),
    test: [],
  };
}
