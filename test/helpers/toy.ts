import type { Dataset } from '../../src/data/types.js';

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
