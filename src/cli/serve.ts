import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PolarityError } from '../errors.js';
import type { Classifier } from '../models/classifier.js';
import type { ModelManifest } from '../persist/manifest.js';
import { readManifest } from '../persist/model-dir.js';
import {
  checkLimits,
  DEFAULT_LIMITS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  type ServiceLimits,
} from '../serve/limits.js';
import { backendOption, useBackend } from './backend-option.js';
import { nonNegativeInteger, positiveInteger, positiveNumber } from './options.js';
import { loadModelForRuntime, runtimeOption } from './runtime-option.js';

interface ServeFlags {
  model: string;
  port: number;
  host: string;
  maxTexts: number;
  maxChars: number;
  maxBody: number;
  maxBatch: number;
  maxQueue: number;
  headersTimeout: number;
  requestTimeout: number;
  shutdownTimeout: number;
  backend: string;
  runtime: string;
}

/** The flag that sets each limit, for messages about them. */
const LIMIT_FLAGS: Record<keyof ServiceLimits, string> = {
  maxBodyBytes: '--max-body',
  maxTexts: '--max-texts',
  maxTextChars: '--max-chars',
  maxBatch: '--max-batch',
  maxQueuedTexts: '--max-queue',
  headersTimeoutMs: '--headers-timeout',
  requestTimeoutMs: '--request-timeout',
};

/** Seconds as a flag takes them, to milliseconds. */
const seconds = (ms: number) => ms / 1000;

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
    .option(
      '--max-queue <n>',
      'most texts waiting for the model (503 beyond); at least --max-texts',
      positiveInteger,
      DEFAULT_LIMITS.maxQueuedTexts,
    )
    .option(
      '--headers-timeout <seconds>',
      "most time to receive a request's headers (408 and the connection closed beyond)",
      positiveNumber,
      seconds(DEFAULT_LIMITS.headersTimeoutMs),
    )
    .option(
      '--request-timeout <seconds>',
      'most time to receive a whole request, body included (408 and the connection closed beyond)',
      positiveNumber,
      seconds(DEFAULT_LIMITS.requestTimeoutMs),
    )
    .option(
      '--shutdown-timeout <seconds>',
      'on SIGTERM or SIGINT, most time to finish the requests in flight before closing their connections',
      positiveNumber,
      seconds(DEFAULT_SHUTDOWN_TIMEOUT_MS),
    )
    .addOption(backendOption())
    .addOption(runtimeOption("; /v1/explain stays with Polarity's own model"))
    .action(async (flags: ServeFlags) => {
      const limits: ServiceLimits = {
        maxTexts: flags.maxTexts,
        maxTextChars: flags.maxChars,
        maxBodyBytes: flags.maxBody,
        maxBatch: flags.maxBatch,
        maxQueuedTexts: flags.maxQueue,
        headersTimeoutMs: Math.round(flags.headersTimeout * 1000),
        requestTimeoutMs: Math.round(flags.requestTimeout * 1000),
      };
      // Before loading anything: contradictory limits would make some requests fail forever.
      checkLimits(limits, (field) => LIMIT_FLAGS[field]);
      const shutdownTimeoutMs = Math.round(flags.shutdownTimeout * 1000);
      useBackend(flags.backend);
      const { classifier, manifest } = await loadModel(flags.model, flags.runtime);
      // Imported here: the web framework is only needed once there is something to serve.
      const { createService } = await import('../serve/server.js');
      const app = await createService(classifier, manifest, {
        limits,
        logger: { level: 'warn' },
        shutdownTimeoutMs,
        onShutdownDeadline: (open) =>
          process.stderr.write(
            `closing ${open} connection${open === 1 ? '' : 's'} still open after ${flags.shutdownTimeout} s\n`,
          ),
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
      // Listening for the signals before the address is printed: a caller that stops the service as
      // soon as it reads the address must not find Node's default action (an abrupt exit) still in place.
      const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      const on = flags.runtime === 'onnx' ? ' with onnxruntime' : '';
      process.stderr.write(
        `serving a ${classifier.kind} model${on} on ${address} (web page at ${address}/)\n`,
      );
      const signal = await stopSignal;
      process.stderr.write(
        `${signal}: finishing the requests in flight, refusing new ones (at most ${flags.shutdownTimeout} s)\n`,
      );
      // A second signal finds no listener and ends the process at once (Node's default), for a user
      // who will not wait for the deadline.
      await app.close();
      classifier.dispose();
      process.stderr.write('stopped\n');
    });
}

/** Loads the model, or stops start-up with a message naming the directory and what is wrong with it. */
async function loadModel(
  dir: string,
  runtime: string,
): Promise<{ classifier: Classifier; manifest: ModelManifest }> {
  try {
    // Read first, as before the load, so that a bad directory is named as such; the load reuses it.
    return await loadModelForRuntime(dir, runtime, await readManifest(dir));
  } catch (error) {
    if (!(error instanceof PolarityError)) throw error;
    throw new PolarityError(`the service did not start: the model could not be loaded: ${error.message}`, {
      cause: error,
    });
  }
}
