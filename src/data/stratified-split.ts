/**
 * `--test-split F` for data without a test split of its own: a seeded, stratified carve, so that each
 * label has (as nearly as whole rows allow) the same share in the test split as in the data.
 */
import { OptionError } from '../errors.js';
import { Random } from '../util/random.js';

/**
 * Which rows go to the test split: `labels[i]` is row i's label index; returns 1 for a test row, 0 for a
 * training row. The test split has round(F × rows) rows, shared out over the labels by largest remainder
 * (ties to the lower label index), except that a label never gives up its last training row. Within each
 * label the rows are chosen by a seeded shuffle, so the same rows, fraction and seed give the same split.
 */
export function stratifiedTestRows(
  labels: Int32Array,
  numLabels: number,
  fraction: number,
  seed: number,
): Uint8Array {
  if (!(fraction > 0 && fraction < 1)) {
    throw new OptionError(`--test-split must be a fraction between 0 and 1 (exclusive), got ${fraction}`);
  }
  const byLabel: number[][] = Array.from({ length: numLabels }, () => []);
  for (let i = 0; i < labels.length; i++) byLabel[labels[i]].push(i);
  const quotas = byLabel.map((rows) => rows.length * fraction);
  const counts = quotas.map(Math.floor);
  let left = Math.round(labels.length * fraction) - counts.reduce((a, b) => a + b, 0);
  const byRemainder = quotas
    .map((quota, k) => ({ k, remainder: quota - counts[k] }))
    .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (const { k } of byRemainder) {
    if (left <= 0) break;
    counts[k]++;
    left--;
  }
  const random = new Random(seed);
  const test = new Uint8Array(labels.length);
  byLabel.forEach((rows, k) => {
    const take = Math.min(counts[k], rows.length - 1);
    for (const row of random.shuffle(rows).slice(0, Math.max(0, take))) test[row] = 1;
  });
  return test;
}
