/**
 * onnxruntime-node, loaded on demand for `--runtime onnx`: it is an optional peer dependency (about
 * 290 MB with every platform's binaries), so nothing imports it until a model is to be scored
 * through its ONNX graph, and its absence is one clear line saying how to install it.
 */
import type * as Ort from 'onnxruntime-node';
import { PolarityError } from '../errors.js';

/** The package, as `import('onnxruntime-node')` gives it. */
export type OnnxRuntimeModule = typeof Ort;

/** The package `--runtime onnx` needs. */
export const ONNX_RUNTIME_PACKAGE = 'onnxruntime-node';

/**
 * Set to 1, Polarity behaves as if onnxruntime-node were not installed: how the tests check the
 * message without removing the package.
 */
export const HIDE_ONNX_RUNTIME_ENV = 'POLARITY_HIDE_ONNXRUNTIME';

/** What `--runtime onnx` says when the package is not there. */
export const MISSING_ONNX_RUNTIME_MESSAGE =
  `--runtime onnx needs the optional package ${ONNX_RUNTIME_PACKAGE}, which is not installed: ` +
  `run \`npm install ${ONNX_RUNTIME_PACKAGE}\` where Polarity is installed, or leave out --runtime onnx`;

let loaded: Promise<OnnxRuntimeModule> | undefined;

/**
 * onnxruntime-node, imported once per thread.
 * @throws PolarityError saying how to install it when it is missing, or why it did not load.
 */
export function importOnnxRuntime(): Promise<OnnxRuntimeModule> {
  if (process.env[HIDE_ONNX_RUNTIME_ENV] === '1') {
    return Promise.reject(new PolarityError(MISSING_ONNX_RUNTIME_MESSAGE));
  }
  loaded ??= import(ONNX_RUNTIME_PACKAGE).then(
    (module: OnnxRuntimeModule & { default?: OnnxRuntimeModule }) =>
      // The package is CommonJS: Node's ESM wrapper puts it under `default` as well.
      module.InferenceSession ? module : (module.default as OnnxRuntimeModule),
    (error: unknown) => {
      loaded = undefined;
      throw runtimeLoadError(error);
    },
  );
  return loaded;
}

function runtimeLoadError(error: unknown): PolarityError {
  const { code, message } = error as { code?: string; message?: string };
  // Only the package itself missing; a package that is there but whose binary fails says why.
  if (code === 'ERR_MODULE_NOT_FOUND' && message?.includes(`'${ONNX_RUNTIME_PACKAGE}'`)) {
    return new PolarityError(MISSING_ONNX_RUNTIME_MESSAGE, { cause: error });
  }
  return new PolarityError(
    `--runtime onnx: ${ONNX_RUNTIME_PACKAGE} is installed but did not load (${message ?? String(error)})`,
    { cause: error },
  );
}

/**
 * How a scoring session uses the cores. `threads` undefined: onnxruntime's default (one
 * intra-operator thread per physical core), for one scorer per process (evaluate, serve). A number:
 * that many, and the graph's nodes run one after the other, so that N scoring threads
 * (`--workers N`) each take one core and do not fight over them.
 */
export function sessionOptions(threads: number | undefined): Ort.InferenceSession.SessionOptions {
  const base: Ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  if (threads === undefined) return base;
  return { ...base, intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' };
}
