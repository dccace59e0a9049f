import { summaryTable, thousands } from '../summary.js';
import type { FastTextClassifier } from './fasttext-classifier.js';

/**
 * A table of a fastText model's parameters in the layout of `modelSummary` (Keras's): the word
 * vectors, the n-gram buckets, and the output layer (no bias), then the totals. All of them are
 * trained; a bucket that no training n-gram hashed into keeps its random start.
 */
export function fastTextSummary(classifier: FastTextClassifier): string {
  const { dim, labels } = classifier.weights;
  const { words, bucketRows, ngrams } = classifier.inputRows;
  const rows = [
    ['word vectors (averaged)', `(${thousands(words)}, ${dim})`, thousands(words * dim)],
    ...(bucketRows > 0
      ? [
          [
            `${ngrams === 2 ? 'bigram' : `2- to ${ngrams}-gram`} buckets (averaged)`,
            `(${thousands(bucketRows)}, ${dim})`,
            thousands(bucketRows * dim),
          ],
        ]
      : []),
    ['output (softmax, no bias)', `(${dim}, ${labels})`, thousands(dim * labels)],
  ];
  const params = (words + bucketRows) * dim + dim * labels;
  return summaryTable(classifier.kind, ['Layer', 'Shape', 'Param #'], rows, [
    `Total params: ${thousands(params)} (${((params * 4) / 2 ** 20).toFixed(1)} MiB as Float32)`,
    `Trainable params: ${thousands(params)}`,
    'Non-trainable params: 0',
  ]);
}
