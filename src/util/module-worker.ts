/**
 * Starting a worker thread on one of our own modules, whether it runs compiled (`dist/….js`) or from
 * source under tsx (`src/….ts`, as the tests, `npm run polarity` and the benchmarks do).
 *
 * Node 20 does not hand the main thread's module hooks to workers, so a worker given a `.ts` file fails
 * with ERR_UNKNOWN_FILE_EXTENSION even under `node --import tsx`. From source, the worker is therefore
 * started on a two-line module that registers tsx in the worker and then imports the real one. tsx is
 * looked up only in that case; the published package never needs it.
 *
 * The other way round, a compiled module's worker does not inherit a TypeScript loader given to the
 * parent (`node --import tsx`, as the benchmarks run): it needs none, and registering one costs each
 * worker tens of milliseconds of start-up that `polarity` itself never pays.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running `module`, a sibling module's URL as written in the caller, e.g.
 * `new URL('./tokenize-worker.js', import.meta.url)`; from source the `.js` is taken as `.ts`.
 */
export function startModuleWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    const execArgv = withoutTypeScriptLoader(process.execArgv);
    // Only when there was a loader to drop: otherwise the worker inherits as Node decides.
    const inherit = execArgv.length === process.execArgv.length ? {} : { execArgv };
    return new Worker(module, { ...inherit, ...options });
  }
  const source = new URL(module.href.replace(/\.js$/, '.ts'));
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}

/** Node options less any `--import tsx` (or `--loader`/`--require` of tsx), in either spelling. */
export function withoutTypeScriptLoader(execArgv: readonly string[]): string[] {
  const loaderFlag = /^--(import|require|loader|experimental-loader)$/;
  const isTsx = (value: string) => /(^|[\\/])tsx([\\/]|$)/.test(value);
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (loaderFlag.test(arg) && i + 1 < execArgv.length && isTsx(execArgv[i + 1])) {
      i++;
      continue;
    }
    const joined = /^--(import|require|loader|experimental-loader)=(.*)$/.exec(arg);
    if (joined && isTsx(joined[2])) continue;
    kept.push(arg);
  }
  return kept;
}
