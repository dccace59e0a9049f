import type * as tf from '@tensorflow/tfjs';

/** The Keras-style layer table (layer, output shape, parameter count, totals) as text. */
export function modelSummary(model: tf.LayersModel): string {
  const lines: string[] = [];
  model.summary(90, [0.4, 0.75, 1], (line?: unknown) => lines.push(String(line ?? '')));
  return lines.join('\n');
}
