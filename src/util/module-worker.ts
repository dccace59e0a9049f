/**
 * Starting a worker thread on one of our own modules, whether it runs compiled (`dist/….js`) or from
 * source under tsx (`src/….ts`, as the tests, `npm run polarity` and the benchmarks do).
 *
 * Node 20 does not hand the main thread's module hooks to workers, so a worker given a `.ts` file fails
 * with ERR_UNKNOWN_FILE_EXTENSION even under `node --import tsx`. From source, the worker is therefore
 * started on a two-line module that registers tsx in the worker and then imports the real one. tsx is
 * looked up only in that case; the published package never needs it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running `module`, a sibling module's URL as written in the caller, e.g.
 * `new URL('./tokenize-worker.js', import.meta.url)`; from source the `.js` is taken as `.ts`.
 */
export function startModuleWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(module, options);
  const source = new URL(module.href.replace(/\.js$/, '.ts'));
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}
