import type * as tf from '@tensorflow/tfjs';

/**
 * The Keras `model.summary()` table: layer (type), output shape as `(None, 500, 32)`, parameter
 * count with thousands separators, then the totals. (TF.js's own summary adds an input-shape
 * column and prints bare numbers; readers of the tutorial compare against Keras's.)
 */
export function modelSummary(model: tf.LayersModel): string {
  const rows = model.layers.map((layer) => [
    `${layer.name} (${layer.getClassName()})`,
    formatShape(layer.outputShape),
    thousands(layer.countParams()),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = [0, 1, 2].map((c) => Math.max(header[c].length, ...rows.map((r) => r[c].length)) + 4);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('')
      .trimEnd();
  const total = widths.reduce((a, b) => a + b, 0);
  const trainable = model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
  const all = model.countParams();
  return [
    `Model: "${model.name}"`,
    '_'.repeat(total),
    line(header),
    '='.repeat(total),
    ...rows.flatMap((row, i) => [line(row), i < rows.length - 1 ? '_'.repeat(total) : '='.repeat(total)]),
    `Total params: ${thousands(all)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(all - trainable)}`,
    '_'.repeat(total),
  ].join('\n');
}

function formatShape(shape: tf.Shape | tf.Shape[]): string {
  const one = (s: tf.Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]).map(one).join(', ') : one(shape as tf.Shape);
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}
