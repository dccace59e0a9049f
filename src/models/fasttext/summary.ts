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
  const header = ['Layer', 'Shape', 'Param #'];
  const widths = [0, 1, 2].map((c) => Math.max(header[c].length, ...rows.map((r) => r[c].length)) + 4);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('')
      .trimEnd();
  const total = widths.reduce((a, b) => a + b, 0);
  const params = (words + bucketRows) * dim + dim * labels;
  return [
    `Model: "${classifier.kind}"`,
    '_'.repeat(total),
    line(header),
    '='.repeat(total),
    ...rows.flatMap((row, i) => [line(row), i < rows.length - 1 ? '_'.repeat(total) : '='.repeat(total)]),
    `Total params: ${thousands(params)} (${((params * 4) / 2 ** 20).toFixed(1)} MiB as Float32)`,
    `Trainable params: ${thousands(params)}`,
    'Non-trainable params: 0',
    '_'.repeat(total),
  ].join('\n');
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}
