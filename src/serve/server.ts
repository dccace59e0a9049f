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
 * JSON (415), malformed JSON or a body that breaks the schema (400); a full queue gets 503.
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
import { DEFAULT_LIMITS, type ServiceLimits } from './limits.js';
import { ServiceMetrics } from './metrics.js';
import { explainSchema, predictSchema, type ExplainBody, type PredictBody } from './schemas.js';
import { loadPageFiles } from './static-files.js';

export interface ServiceOptions {
  /** Overrides of {@link DEFAULT_LIMITS}. */
  readonly limits?: Partial<ServiceLimits>;
  /** Fastify's logger option (default: off). */
  readonly logger?: FastifyServerOptions['logger'];
}

/** Thrown to answer 503 when the model's queue is full. */
class BusyError extends Error {
  readonly statusCode = 503;
  readonly code = 'POLARITY_BUSY';
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
    // Strict validation: no turning a string into a one-element list, a number into a string, or
    // silently dropping unknown fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  // JSON only: Fastify would also accept text/plain bodies.
  app.removeContentTypeParser('text/plain');

  /** Queues texts for the model, or answers 503 when the queue is already full. */
  const predict = (texts: readonly string[]) => {
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
  app.addHook('onClose', () => batcher.drained());

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
