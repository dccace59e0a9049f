/**
 * The chained tensor methods (`tensor.reshape(…)`, `tensor.flatten()`), which TF.js's core package
 * declares but registers only in its browser build; in Node the umbrella `@tensorflow/tfjs` bundle
 * registers them. Polarity depends on the core and layers packages alone (a far smaller install),
 * and the layers package calls some of these methods (its orthogonal initializer flattens a
 * tensor), so they are registered here, each as the op it names applied to the tensor.
 *
 * The list is the core package's own (test/engine/chained-ops.test.ts compares it with the
 * declarations the installed version ships, so an upgrade that adds one fails there).
 */
import * as tf from '@tensorflow/tfjs-core';
// The methods' types: a type-only import, so the declarations apply and nothing loads at run time.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

/** Methods that are the op of the same name with the tensor as first argument. */
export const SAME_NAME_METHODS = [
  'abs',
  'acos',
  'acosh',
  'add',
  'all',
  'any',
  'argMax',
  'argMin',
  'asin',
  'asinh',
  'atan',
  'atan2',
  'atanh',
  'avgPool',
  'batchNorm',
  'batchToSpaceND',
  'broadcastTo',
  'cast',
  'ceil',
  'clipByValue',
  'conv1d',
  'conv2d',
  'conv2dTranspose',
  'cos',
  'cosh',
  'cumprod',
  'cumsum',
  'depthToSpace',
  'depthwiseConv2d',
  'dilation2d',
  'div',
  'divNoNan',
  'dot',
  'elu',
  'equal',
  'erf',
  'euclideanNorm',
  'exp',
  'expandDims',
  'expm1',
  'fft',
  'floor',
  'floorDiv',
  'gather',
  'greater',
  'greaterEqual',
  'ifft',
  'irfft',
  'isFinite',
  'isInf',
  'isNaN',
  'leakyRelu',
  'less',
  'lessEqual',
  'localResponseNormalization',
  'log',
  'log1p',
  'logSigmoid',
  'logSoftmax',
  'logSumExp',
  'logicalAnd',
  'logicalNot',
  'logicalOr',
  'logicalXor',
  'matMul',
  'max',
  'maxPool',
  'maximum',
  'mean',
  'min',
  'minimum',
  'mirrorPad',
  'mod',
  'mul',
  'neg',
  'norm',
  'notEqual',
  'oneHot',
  'onesLike',
  'pad',
  'pool',
  'pow',
  'prelu',
  'prod',
  'reciprocal',
  'relu',
  'relu6',
  'reshape',
  'reverse',
  'rfft',
  'round',
  'rsqrt',
  'selu',
  'separableConv2d',
  'sigmoid',
  'sign',
  'sin',
  'sinh',
  'slice',
  'softmax',
  'softplus',
  'spaceToBatchND',
  'split',
  'sqrt',
  'square',
  'squaredDifference',
  'squeeze',
  'step',
  'stridedSlice',
  'sub',
  'sum',
  'tan',
  'tanh',
  'tile',
  'topk',
  'transpose',
  'unique',
  'unsortedSegmentSum',
  'unstack',
  'zerosLike',
] as const;

type Method = (this: tf.Tensor, ...args: never[]) => unknown;
const asTensors = (x: tf.Tensor | tf.Tensor[]) => (x instanceof tf.Tensor ? [x] : x);

/** Methods whose op has another name or takes the tensor elsewhere. */
export const OTHER_METHODS: Readonly<Record<string, Method>> = {
  as1D(this: tf.Tensor) {
    return tf.reshape(this, [this.size]);
  },
  as2D(this: tf.Tensor, ...shape: number[]) {
    return tf.reshape(this, shape);
  },
  as3D(this: tf.Tensor, ...shape: number[]) {
    return tf.reshape(this, shape);
  },
  as4D(this: tf.Tensor, ...shape: number[]) {
    return tf.reshape(this, shape);
  },
  as5D(this: tf.Tensor, ...shape: number[]) {
    return tf.reshape(this, shape);
  },
  asScalar(this: tf.Tensor) {
    tf.util.assert(this.size === 1, () => 'The array must have only 1 element.');
    return tf.reshape(this, []);
  },
  asType(this: tf.Tensor, dtype: tf.DataType) {
    return tf.cast(this, dtype);
  },
  concat(this: tf.Tensor, x: tf.Tensor | tf.Tensor[], axis?: number) {
    return tf.concat([this, ...asTensors(x)], axis);
  },
  flatten(this: tf.Tensor) {
    return tf.reshape(this, [this.size]);
  },
  reshapeAs(this: tf.Tensor, x: tf.Tensor) {
    return tf.reshape(this, x.shape);
  },
  resizeBilinear(this: tf.Tensor, ...args: never[]) {
    return (tf.image.resizeBilinear as (...a: unknown[]) => tf.Tensor)(this, ...args);
  },
  resizeNearestNeighbor(this: tf.Tensor, ...args: never[]) {
    return (tf.image.resizeNearestNeighbor as (...a: unknown[]) => tf.Tensor)(this, ...args);
  },
  stack(this: tf.Tensor, x: tf.Tensor | tf.Tensor[], axis?: number) {
    return tf.stack([this, ...asTensors(x)], axis);
  },
  toBool(this: tf.Tensor) {
    return tf.cast(this, 'bool');
  },
  toFloat(this: tf.Tensor) {
    return tf.cast(this, 'float32');
  },
  toInt(this: tf.Tensor) {
    return tf.cast(this, 'int32');
  },
  where(this: tf.Tensor, condition: tf.Tensor, x: tf.Tensor) {
    return tf.where(condition, this, x);
  },
};

/** Adds each method the Tensor class lacks (a no-op where the umbrella bundle already added them). */
export function registerChainedOps(): void {
  const prototype = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const ops = tf as unknown as Record<string, (...args: unknown[]) => unknown>;
  const add = (name: string, method: Method) => {
    if (typeof prototype[name] === 'function') return;
    prototype[name] = function (this: tf.Tensor, ...args: never[]) {
      this.throwIfDisposed();
      return method.apply(this, args);
    };
  };
  for (const name of SAME_NAME_METHODS) {
    add(name, function (this: tf.Tensor, ...args: never[]) {
      return ops[name](this, ...args);
    });
  }
  for (const [name, method] of Object.entries(OTHER_METHODS)) add(name, method);
}
