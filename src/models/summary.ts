import type * as tf from '../engine/tf.js';

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
  const trainable = model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
  const all = model.countParams();
  return summaryTable(model.name, ['Layer (type)', 'Output Shape', 'Param #'], rows, [
    `Total params: ${thousands(all)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(all - trainable)}`,
  ]);
}

/**
 * The Keras summary layout for any model: its name, a header, one row per layer between rules,
 * then the totals lines. Columns are as wide as their widest cell plus four.
 */
export function summaryTable(
  name: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  totals: readonly string[],
): string {
  const widths = header.map((_, c) => Math.max(header[c].length, ...rows.map((r) => r[c].length)) + 4);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('')
      .trimEnd();
  const total = widths.reduce((a, b) => a + b, 0);
  return [
    `Model: "${name}"`,
    '_'.repeat(total),
    line(header),
    '='.repeat(total),
    ...rows.flatMap((row, i) => [line(row), i < rows.length - 1 ? '_'.repeat(total) : '='.repeat(total)]),
    ...totals,
    '_'.repeat(total),
  ].join('\n');
}

function formatShape(shape: tf.Shape | tf.Shape[]): string {
  const one = (s: tf.Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]).map(one).join(', ') : one(shape as tf.Shape);
}

/** A count with thousands separators, as Keras prints it. */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}
