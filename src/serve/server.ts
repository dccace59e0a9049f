/**
 * The HTTP service: a Fastify app around one loaded classifier.
 *
 *   POST /v1/predict  {"texts": [...]}  → {"predictions": [{label, score, scores}, ...]}, in order
 *   POST /v1/explain  {"text": "..."}   → the prediction, the method, each word's weight, the model's terms
 *   GET  /v1/model                      → the model's manifest
 *   GET  /healthz, GET /metrics (Prometheus), GET / (the web page)
 *
 * The app is built but not started, so that the CLI listens on a port and the tests on port 0, in
 * process. Every request to the model goes through one {@link PredictionBatcher}. Client errors are
 * answered by Fastify before any model work: a body over the limit (413), a content type other than
 * JSON (415), malformed JSON, a body that is not valid UTF-8 or that breaks the schema (400), a known
 * route with the wrong method (405, with Allow); a full queue gets 503. A request whose headers or
 * body do not arrive in time gets 408 and its connection is closed.
 *
 * Closing the app (on SIGTERM in the CLI) stops accepting connections, answers the requests in flight
 * with `connection: close`, and after `shutdownTimeoutMs` closes whatever connections are still open
 * (a client stalled mid-body, a slow reader) and drops the texts still queued, so that shutdown ends
 * on a deadline whatever the clients do.
 */
import { STATUS_CODES } from 'node:http';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { explainText } from '../explain/explain-text.js';
import type { Classifier } from '../models/classifier.js';
import type { ModelManifest } from '../persist/manifest.js';
import { PredictionBatcher } from './batcher.js';
import {
  checkLimits,
  DEFAULT_LIMITS,
  TIMEOUT_CHECK_INTERVAL_MS,
  type ServiceLimits,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from './limits.js';
import { allowMethods } from './methods.js';
import { ServiceMetrics } from './metrics.js';
import { explainSchema, predictSchema, type ExplainBody, type PredictBody } from './schemas.js';
import { loadPageFiles } from './static-files.js';

export { DEFAULT_SHUTDOWN_TIMEOUT_MS };

/** How `createService` builds the service: its limits, logger and shutdown. */
export interface ServiceOptions {
  /** Overrides of {@link DEFAULT_LIMITS}. */
  readonly limits?: Partial<ServiceLimits>;
  /** Fastify's logger option (default: off). */
  readonly logger?: FastifyServerOptions['logger'];
  /** Most time closing waits for requests in flight before closing their connections (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  /** Called when closing reached `shutdownTimeoutMs` with connections still open, with their number. */
  readonly onShutdownDeadline?: (openConnections: number) => void;
}

/** Thrown to answer 503 when the model's queue is full. */
class BusyError extends Error {
  readonly statusCode = 503;
  readonly code = 'POLARITY_BUSY';
}

/** Thrown to answer 400 when one request needs more texts scored than the queue can ever hold. */
class TooLargeError extends Error {
  readonly statusCode = 400;
  readonly code = 'POLARITY_TOO_LARGE';
}

/** Thrown to answer 400 when a body is not valid UTF-8 (Node would silently turn the bad bytes into U+FFFD). */
class InvalidUtf8Error extends Error {
  readonly statusCode = 400;
  readonly code = 'POLARITY_INVALID_UTF8';
}

/** Thrown to the requests still queued when closing reaches its deadline. */
class ShutdownError extends Error {
  readonly statusCode = 503;
  readonly code = 'POLARITY_SHUTTING_DOWN';
}

/**
 * Builds the service for `classifier` (described by `manifest`). The caller listens, closes (which
 * waits for requests in flight) and disposes of the classifier afterwards.
 */
export async function createService(
  classifier: Classifier,
  manifest: ModelManifest,
  options: ServiceOptions = {},
): Promise<FastifyInstance> {
  const limits: ServiceLimits = { ...DEFAULT_LIMITS, ...options.limits };
  checkLimits(limits);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const pageFiles = await loadPageFiles();
  // The gauge of queued texts reads the batcher at each scrape, after both exist.
  const metrics = new ServiceMetrics(() => batcher.pendingTexts);
  const batcher = new PredictionBatcher((texts) => classifier.predict(texts), {
    maxBatch: limits.maxBatch,
    onBatch: (texts) => metrics.observeBatch(texts),
  });

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.maxBodyBytes,
    requestTimeout: limits.requestTimeoutMs,
    // Node's defaults check the timeouts only every 30 s, and cap the headers at 60 s.
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    // Strict validation: no turning a string into a one-element list, a number into a string, or
    // silently dropping unknown fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  // JSON only: Fastify would also accept text/plain bodies.
  app.removeContentTypeParser('text/plain');
  // Fastify's own JSON parser, fed only bodies that are valid UTF-8.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new InvalidUtf8Error('the body is not valid UTF-8: send JSON encoded as UTF-8'), undefined);
      return;
    }
    parseJson(request, text, done);
  });

  /** Queues texts for the model, or answers 503 when the queue is already full. */
  const predict = (texts: readonly string[]) => {
    if (texts.length > limits.maxQueuedTexts) {
      // Only an explanation by occlusion gets here (one text per word): 503 would say "retry", in vain.
      throw new TooLargeError(
        `this request needs ${texts.length} texts scored (one per word and the whole text), more than the service queues at once (${limits.maxQueuedTexts}): send a shorter text`,
      );
    }
    if (batcher.pendingTexts + texts.length > limits.maxQueuedTexts) {
      throw new BusyError(`the model has ${batcher.pendingTexts} texts queued; try again shortly`);
    }
    return batcher.predict(texts);
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500 && status !== 503) request.log.error(error);
    reply.code(status).send({
      statusCode: status,
      code: error.code ?? 'POLARITY_INTERNAL',
      error: STATUS_CODES[status],
      message: errorMessage(error, status, request, limits),
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 503) reply.header('retry-after', '1');
    return payload;
  });

  const routes = new Map<string, Set<string>>();
  app.addHook('onRoute', ({ url, method }) => {
    const methods = routes.get(url) ?? new Set<string>();
    for (const m of [method].flat()) methods.add(m);
    routes.set(url, methods);
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowMethods(routes, request.url);
    const status = allowed === undefined ? 404 : 405;
    if (allowed !== undefined) reply.header('allow', allowed.join(', '));
    reply.code(status).send({
      statusCode: status,
      code: status === 404 ? 'POLARITY_NOT_FOUND' : 'POLARITY_METHOD_NOT_ALLOWED',
      error: STATUS_CODES[status],
      message:
        allowed === undefined
          ? `no route ${request.method} ${request.url}`
          : `${request.method} is not allowed on ${request.url.split('?')[0]}: use ${allowed.join(' or ')}`,
    });
  });

  let closing = false;
  let deadline: NodeJS.Timeout | undefined;
  app.addHook('preClose', (done) => {
    closing = true;
    deadline = setTimeout(() => {
      app.server.getConnections((_error, open) => {
        if (open > 0) options.onShutdownDeadline?.(open);
        app.server.closeAllConnections();
        batcher.cancelQueued(new ShutdownError('the service stopped before this request was scored'));
      });
    }, shutdownTimeoutMs);
    done();
  });
  // Answers sent while closing end their connection, so that it does not idle on until the deadline.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onClose', async () => {
    await batcher.drained();
    clearTimeout(deadline);
  });

  app.post<{ Body: PredictBody }>('/v1/predict', { schema: predictSchema(limits) }, async (request) => {
    metrics.observeTexts('/v1/predict', request.body.texts.length);
    return { predictions: await predict(request.body.texts) };
  });

  app.post<{ Body: ExplainBody }>('/v1/explain', { schema: explainSchema(limits) }, async (request) => {
    const { text } = request.body;
    metrics.observeTexts('/v1/explain', 1);
    const explanation = await explainText(classifier, text, { predict });
    return {
      ...explanation.prediction,
      method: explanation.method,
      words: explanation.words.map(({ start, end, weight }) => ({
        word: text.slice(start, end),
        start,
        end,
        weight,
      })),
      attributions: explanation.attributions,
    };
  });

  app.get('/v1/model', async () => manifest);
  app.get('/healthz', async () => ({ status: 'ok', model: classifier.kind }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.contentType);
    return metrics.render();
  });

  for (const [path, file] of pageFiles) {
    app.get(path, async (_request, reply) => {
      reply
        .header('content-type', file.contentType)
        // The page needs nothing but this service: no CDN, no inline script.
        .header('content-security-policy', "default-src 'self'")
        .header('cache-control', 'no-cache');
      return file.body;
    });
  }
  return app;
}

/** What went wrong, in words that say what the service expected instead. */
function errorMessage(
  error: FastifyError,
  status: number,
  request: FastifyRequest,
  limits: ServiceLimits,
): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '(none)')}: send a JSON body with "content-type: application/json"`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `the request body is larger than the limit of ${limits.maxBodyBytes} bytes`;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `the body is not valid JSON: ${error.message}`;
    case 'FST_ERR_VALIDATION':
      return `invalid request: ${error.message}`;
  }
  // Internal errors are logged, not shown: their messages are about the server, not the request.
  return status >= 500 && status !== 503 ? 'internal error' : error.message;
}
