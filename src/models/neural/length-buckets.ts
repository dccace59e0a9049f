import type { Random } from '../../util/random.js';

/** Batches per window within which reviews are sorted by length (see {@link bucketByLength}). */
export const BUCKET_WINDOW_BATCHES = 50;

/**
 * Reorders a shuffled epoch so that each batch holds reviews of similar length, for models whose
 * cost follows the longest review of a batch rather than the padded length (the recurrent models
 * skip the steps where every review of the batch is padding).
 *
 * The shuffled order is cut into windows of `windowBatches` batches; each window is sorted by
 * length and cut into batches; then the batches of the whole epoch are shuffled, so that
 * consecutive steps do not go from short to long reviews. Each review is still seen once an
 * epoch, and batch composition stays random beyond length. With IMDB's lengths (median 174 ids,
 * a tenth longer than 500) a random batch of 128 almost always holds one review as long as the
 * padded length; a bucketed one is about as long as its own reviews.
 */
export function bucketByLength(
  order: readonly number[],
  lengths: ArrayLike<number>,
  batchSize: number,
  random: Random,
  windowBatches = BUCKET_WINDOW_BATCHES,
): number[] {
  const window = batchSize * windowBatches;
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += window) {
    const sorted = order.slice(start, start + window).sort((a, b) => lengths[a] - lengths[b] || a - b);
    for (let b = 0; b < sorted.length; b += batchSize) batches.push(sorted.slice(b, b + batchSize));
  }
  return random.shuffle(batches).flat();
}
