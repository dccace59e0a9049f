/**
 * Platt scaling: turns SVM decision values f into probabilities P(y = +1 | f) = 1 / (1 + exp(A·f + B)),
 * with A and B fitted by maximum likelihood on decision values of rows the SVM was not trained on
 * (on its own training rows the margins are over-confident). The fit is the numerically careful
 * Newton method with backtracking of Lin, Lin & Weng (2007, "A note on Platt's probabilistic outputs
 * for support vector machines"), with Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2) that keep
 * a separable slice from driving A to infinity.
 */
export interface PlattParameters {
  readonly a: number;
  readonly b: number;
}

const MAX_ITERATIONS = 100;
const MIN_STEP = 1e-10;
/** Added to the Hessian's diagonal so that it stays positive definite. */
const SIGMA = 1e-12;

export interface PlattOptions {
  /**
   * Fit B as well as A (Platt's original two parameters). With false, B stays 0, so P = 0.5 exactly
   * where the SVM's decision value is 0 and the calibrated label is always the SVM's own: the
   * intercept learnt on the whole training split is kept, rather than shifted by a threshold
   * estimated on the small held-out slice (on IMDB that shift cost 0.1% accuracy). Default true.
   */
  readonly intercept?: boolean;
  /**
   * A weight per row: its term of the likelihood counts that much, and the label totals of the
   * smoothed targets are weighted sums (class weights, so that the fit follows the weighted SVM
   * rather than calibrating the weights away). Default: all 1.
   */
  readonly weights?: ArrayLike<number>;
}

/** Fits A (and B, unless `intercept` is false) to decision values `f` and labels `y` (+1 or −1). */
export function fitPlatt(
  f: ArrayLike<number>,
  y: ArrayLike<number>,
  { intercept = true, weights }: PlattOptions = {},
): PlattParameters {
  const n = f.length;
  const weight = (i: number) => (weights ? weights[i] : 1);
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] > 0) positives += weight(i);
    else negatives += weight(i);
  }
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = y[i] > 0 ? hi : lo;

  const objective = (a: number, b: number): number => {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const z = f[i] * a + b;
      value +=
        weight(i) * (z >= 0 ? t[i] * z + Math.log1p(Math.exp(-z)) : (t[i] - 1) * z + Math.log1p(Math.exp(z)));
    }
    return value;
  };

  let a = 0;
  let b = intercept ? Math.log((negatives + 1) / (positives + 1)) : 0;
  let value = objective(a, b);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let h11 = SIGMA;
    let h22 = SIGMA;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = f[i] * a + b;
      let p: number;
      let q: number;
      if (z >= 0) {
        const e = Math.exp(-z);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(z);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = weight(i) * p * q;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      const d1 = weight(i) * (t[i] - p);
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (!intercept) g2 = 0; // B is held at 0: only A moves, by a one-dimensional Newton step
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const da = intercept ? -(h22 * g1 - h21 * g2) / det : -g1 / h11;
    const db = intercept ? -(-h21 * g1 + h11 * g2) / det : 0;
    const gd = g1 * da + g2 * db;
    let step = 1;
    while (step >= MIN_STEP) {
      const na = a + step * da;
      const nb = b + step * db;
      const nv = objective(na, nb);
      if (nv < value + 0.0001 * step * gd) {
        a = na;
        b = nb;
        value = nv;
        break;
      }
      step /= 2;
    }
    if (step < MIN_STEP) break; // the line search failed: keep the best so far
  }
  return { a, b };
}

/** P(y = +1 | f) under fitted parameters, computed without overflow. */
export function plattProbability(f: number, { a, b }: PlattParameters): number {
  const z = f * a + b;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}
