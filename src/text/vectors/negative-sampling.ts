/**
 * The training step of word2vec and fastText with negative sampling, on plain Float32Arrays that
 * several threads may update at once without locks (Hogwild: collisions are rare and harmless, as
 * both tools rely on). One call trains a range of texts for every epoch; the same seed and range
 * give the same vectors on one thread.
 */
import type { Corpus } from './corpus.js';
import type { ResolvedWordVectorOptions } from './word-vector-options.js';

/** What one thread reads and writes: the corpus and the two matrices, shared between threads. */
export interface TrainingTables {
  readonly corpus: Pick<Corpus, 'tokens' | 'starts' | 'ngrams' | 'ngramOrders'>;
  /** Input vectors (`units × dim`): the ones written out. */
  readonly input: Float32Array;
  /** Output vectors of the words (`words × dim`), seen only through their dot products. */
  readonly output: Float32Array;
  /** Word ids in proportion to count^0.75: a uniform draw from it is a negative sample. */
  readonly negatives: Int32Array;
  /** Per word, the probability of keeping an occurrence (subsampling of frequent words). */
  readonly keep: Float32Array;
}

type StepOptions = Pick<
  ResolvedWordVectorOptions,
  'architecture' | 'dim' | 'epochs' | 'window' | 'negative' | 'learningRate'
>;

const MAX_EXP = 6;
/** σ(x) on [-6, 6] in 1,000 steps, as word2vec's expTable: no Math.exp in the inner loop. */
const SIGMOID_STEPS = 1000;
const SIGMOID = Float32Array.from({ length: SIGMOID_STEPS + 1 }, (_, i) => {
  const x = (i / SIGMOID_STEPS) * 2 * MAX_EXP - MAX_EXP;
  return 1 / (1 + Math.exp(-x));
});
/** fastText and word2vec stop the step size from reaching zero at the end. */
const MIN_RATE_SHARE = 1e-4;

/**
 * Trains texts `from` (inclusive) to `to` (exclusive) for every epoch, the step size falling
 * linearly over this range's share of the work. `onProgress` is told the tokens done so far.
 */
export function trainTexts(
  tables: TrainingTables,
  options: StepOptions,
  from: number,
  to: number,
  seed: number,
  onProgress?: (tokens: number) => void,
): void {
  const { corpus, input, output, negatives, keep } = tables;
  const { tokens, starts, ngrams, ngramOrders } = corpus;
  const { dim, window, negative, epochs } = options;
  const cbow = options.architecture === 'cbow';
  const random = new XorShift(seed);
  const next = (): number => random.next();
  const total = epochs * (starts[to] - starts[from]);
  const hidden = new Float32Array(dim);
  const gradient = new Float32Array(dim);
  const sentence = new Int32Array(maxLength(starts, from, to));
  const positions = new Int32Array(sentence.length);
  let done = 0;

  const update = (vector: Float32Array, l1: number, word: number, rate: number): void =>
    negativeSamplingStep(vector, l1, word, rate, output, gradient, negatives, negative, dim, random);
  const addTo = (row: number): void => {
    const base = row * dim;
    for (let k = 0; k < dim; k++) input[base + k] += gradient[k];
  };

  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let text = from; text < to; text++) {
      // Subsampling: frequent words are dropped from this pass, which also widens the window.
      let length = 0;
      for (let i = starts[text]; i < starts[text + 1]; i++) {
        if (keep[tokens[i]] >= 1 || keep[tokens[i]] > next() / 4294967296) {
          sentence[length] = tokens[i];
          positions[length++] = i;
        }
      }
      const rate = options.learningRate * Math.max(MIN_RATE_SHARE, 1 - done / total);
      for (let i = 0; i < length; i++) {
        const reach = 1 + (next() % window);
        const first = Math.max(0, i - reach);
        const last = Math.min(length - 1, i + reach);
        if (cbow) {
          // The mean of the context's words (and their n-grams) predicts the centre word.
          hidden.fill(0);
          let units = 0;
          for (let j = first; j <= last; j++) {
            if (j === i) continue;
            units += accumulate(hidden, input, sentence[j], dim);
            for (let o = 0; o < ngramOrders; o++) {
              const unit = ngrams[positions[j] * ngramOrders + o];
              if (unit >= 0) units += accumulate(hidden, input, unit, dim);
            }
          }
          if (units === 0) continue;
          for (let k = 0; k < dim; k++) hidden[k] /= units;
          gradient.fill(0);
          update(hidden, 0, sentence[i], rate);
          for (let j = first; j <= last; j++) {
            if (j === i) continue;
            addTo(sentence[j]);
            for (let o = 0; o < ngramOrders; o++) {
              const unit = ngrams[positions[j] * ngramOrders + o];
              if (unit >= 0) addTo(unit);
            }
          }
        } else {
          // The centre word (and each n-gram starting there) predicts every context word.
          for (let o = -1; o < ngramOrders; o++) {
            const unit = o < 0 ? sentence[i] : ngrams[positions[i] * ngramOrders + o];
            if (unit < 0) continue;
            for (let j = first; j <= last; j++) {
              if (j === i) continue;
              gradient.fill(0);
              update(input, unit * dim, sentence[j], rate);
              addTo(unit);
            }
          }
        }
      }
      done += starts[text + 1] - starts[text];
      onProgress?.(done);
    }
  }
}

/** xorshift32: small, fast and seeded; its state a field rather than a captured variable (faster in V8). */
class XorShift {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
}

/**
 * One positive pair (row `l1` of `vector` as the input, word `word` as the target) and `negative`
 * sampled targets: each target's output vector moves, and `gradient` gathers the input's move.
 */
function negativeSamplingStep(
  vector: Float32Array,
  l1: number,
  word: number,
  rate: number,
  output: Float32Array,
  gradient: Float32Array,
  negatives: Int32Array,
  negative: number,
  dim: number,
  random: XorShift,
): void {
  for (let d = 0; d <= negative; d++) {
    let target = word;
    let label = 1;
    if (d > 0) {
      target = negatives[random.next() % negatives.length];
      if (target === word) continue;
      label = 0;
    }
    const l2 = target * dim;
    let f = 0;
    for (let k = 0; k < dim; k++) f += vector[l1 + k] * output[l2 + k];
    const sigmoid =
      f >= MAX_EXP ? 1 : f <= -MAX_EXP ? 0 : SIGMOID[((f + MAX_EXP) * (SIGMOID_STEPS / 2 / MAX_EXP)) | 0];
    const g = (label - sigmoid) * rate;
    for (let k = 0; k < dim; k++) {
      const o = output[l2 + k];
      gradient[k] += g * o;
      output[l2 + k] = o + g * vector[l1 + k];
    }
  }
}

function accumulate(hidden: Float32Array, input: Float32Array, row: number, dim: number): number {
  const base = row * dim;
  for (let k = 0; k < dim; k++) hidden[k] += input[base + k];
  return 1;
}

function maxLength(starts: Int32Array, from: number, to: number): number {
  let longest = 0;
  for (let t = from; t < to; t++) longest = Math.max(longest, starts[t + 1] - starts[t]);
  return longest;
}
