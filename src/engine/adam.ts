/**
 * An Adam optimizer whose per-variable update is one fused kernel on the wasm backend.
 *
 * Why: see kernels/adam-update.ts; for the MLP this saves ~30 ms of a ~230 ms training step.
 * It is TF.js's `AdamOptimizer` in every other respect (class name 'Adam', config, slot variables
 * `<name>/m` and `<name>/v`, getWeights/setWeights), so models compiled with it save and load as
 * with `tf.train.adam`. On other backends it runs TF.js's own update.
 */
import * as tf from './tf.js';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './kernels/adam-update.js';

/**
 * AdamOptimizer's state, private in its TypeScript declaration but plain fields at run time; we
 * keep using the same fields so that TF.js's getWeights/setWeights/dispose stay correct.
 */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/** What `Optimizer.applyGradients` takes (TF.js does not export the NamedTensor type). */
type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** TF.js's Adam, with the wasm backend's update fused into one kernel per variable. */
export class FastAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (tf.getBackend() !== 'wasm' || tf.getKernel(ADAM_UPDATE, 'wasm') === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    tf.tidy(() => {
      const [accBeta1, accBeta2] = [state.accBeta1, state.accBeta2].map((acc) => acc.dataSync()[0]);
      const attrs: AdamUpdateAttrs = {
        learningRate: this.learningRate,
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
        oneMinusAccBeta1: 1 - accBeta1,
        oneMinusAccBeta2: 1 - accBeta2,
      };
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const slot = (suffix: string): { originalName: string; variable: tf.Variable } => ({
          originalName: `${name}/${suffix}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        });
        state.accumulatedFirstMoment[i] ??= slot('m');
        state.accumulatedSecondMoment[i] ??= slot('v');
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i].tensor
          : variableGradients[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(
            ADAM_UPDATE,
            { value, m, v, gradient },
            attrs as unknown as tf.NamedAttrMap,
          ) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** Like `tf.train.adam`, returning a {@link FastAdamOptimizer}. */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FastAdamOptimizer {
  return new FastAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
