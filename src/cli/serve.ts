import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PolarityError } from '../errors.js';
import type { Classifier } from '../models/classifier.js';
import { loadClassifier } from '../models/load.js';
import type { ModelManifest } from '../persist/manifest.js';
import { readManifest } from '../persist/model-dir.js';
import { DEFAULT_LIMITS } from '../serve/limits.js';
import { createService } from '../serve/server.js';
import { backendOption, startBackend } from './backend-option.js';
import { nonNegativeInteger, positiveInteger } from './options.js';

interface ServeFlags {
  model: string;
  port: number;
  host: string;
  maxTexts: number;
  maxChars: number;
  maxBody: number;
  maxBatch: number;
  backend: string;
}

function port(value: string): number {
  const n = nonNegativeInteger(value);
  if (n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'serve a saved model over HTTP: POST /v1/predict and /v1/explain, GET /v1/model, /healthz, /metrics, and a web page at /',
    )
    .requiredOption('--model <dir>', 'model directory written by `polarity train`')
    .option('--port <n>', 'TCP port to listen on (0: any free port, printed at start-up)', port, 8080)
    .option('--host <address>', 'address to listen on (0.0.0.0 or :: for every interface)', '127.0.0.1')
    .option(
      '--max-texts <n>',
      'most texts in one /v1/predict request',
      positiveInteger,
      DEFAULT_LIMITS.maxTexts,
    )
    .option('--max-chars <n>', 'most characters in one text', positiveInteger, DEFAULT_LIMITS.maxTextChars)
    .option(
      '--max-body <bytes>',
      'largest request body in bytes',
      positiveInteger,
      DEFAULT_LIMITS.maxBodyBytes,
    )
    .option(
      '--max-batch <n>',
      'most texts the model scores in one call; requests arriving together share a call',
      positiveInteger,
      DEFAULT_LIMITS.maxBatch,
    )
    .addOption(backendOption())
    .action(async (flags: ServeFlags) => {
      await startBackend(flags.backend);
      const { classifier, manifest } = await loadModel(flags.model);
      const app = await createService(classifier, manifest, {
        limits: {
          maxTexts: flags.maxTexts,
          maxTextChars: flags.maxChars,
          maxBodyBytes: flags.maxBody,
          maxBatch: flags.maxBatch,
        },
        logger: { level: 'warn' },
      });
      let address: string;
      try {
        address = await app.listen({ port: flags.port, host: flags.host });
      } catch (error) {
        classifier.dispose();
        throw new PolarityError(
          `the service did not start: cannot listen on ${flags.host}:${flags.port} (${(error as Error).message})`,
        );
      }
      process.stderr.write(`serving a ${classifier.kind} model on ${address} (web page at ${address}/)\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      process.stderr.write(`${signal}: finishing the requests in flight, refusing new ones\n`);
      await app.close();
      classifier.dispose();
      process.stderr.write('stopped\n');
    });
}

/** Loads the model, or stops start-up with a message naming the directory and what is wrong with it. */
async function loadModel(dir: string): Promise<{ classifier: Classifier; manifest: ModelManifest }> {
  try {
    const manifest = await readManifest(dir);
    return { classifier: await loadClassifier(dir), manifest };
  } catch (error) {
    if (!(error instanceof PolarityError)) throw error;
    throw new PolarityError(`the service did not start: the model could not be loaded: ${error.message}`, {
      cause: error,
    });
  }
}
