import { OptionError } from '../errors.js';

/** What one request may ask of the service; anything beyond gets a 4xx answer naming the limit. */
export interface ServiceLimits {
  /** Largest request body, in bytes (413 beyond). */
  readonly maxBodyBytes: number;
  /** Most texts in one `POST /v1/predict` (400 beyond). */
  readonly maxTexts: number;
  /** Most characters (code points) in one text (400 beyond). The longest IMDB review has about 13,700. */
  readonly maxTextChars: number;
  /** Most texts the model scores in one call; requests arriving together share a call up to this size. */
  readonly maxBatch: number;
  /**
   * Most texts waiting for the model; a request that would queue more is answered 503 with
   * Retry-After, so that a burst cannot grow the queue (and everyone's latency) without bound.
   * It must hold `maxTexts`, or a request of that size could never be queued.
   */
  readonly maxQueuedTexts: number;
  /** Most time to receive the request line and headers, in milliseconds (408 and the connection closed beyond). */
  readonly headersTimeoutMs: number;
  /**
   * Most time to receive a whole request, headers and body, in milliseconds (408 and the connection
   * closed beyond), so that a slow or stalled client cannot hold a connection.
   */
  readonly requestTimeoutMs: number;
}

/** The service's limits unless `ServiceOptions.limits` overrides them (those of `polarity serve`'s flags). */
export const DEFAULT_LIMITS: ServiceLimits = {
  maxBodyBytes: 1 << 20,
  maxTexts: 64,
  maxTextChars: 20_000,
  maxBatch: 256,
  maxQueuedTexts: 8192,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

/**
 * How often the HTTP server looks for requests past their timeout. Node checks every 30 s by
 * default, so that a 30 s timeout fired after 30 to 60 s; a quarter of a second keeps the documented
 * timeouts within 0.25 s, for the cost of walking the open connections four times a second.
 */
export const TIMEOUT_CHECK_INTERVAL_MS = 250;

/**
 * Refuses limits that contradict each other, naming them with `name` (the CLI passes its flags, the
 * library the field names): a request that fits `maxTexts` must fit the queue, or it would be
 * answered 503 forever; the headers arrive within the whole request, so their timeout is the shorter.
 */
export function checkLimits(
  limits: ServiceLimits,
  name: (field: keyof ServiceLimits) => string = (field) => field,
): void {
  if (limits.maxTexts > limits.maxQueuedTexts) {
    throw new OptionError(
      `${name('maxTexts')} ${limits.maxTexts} is more than the queue holds (${name('maxQueuedTexts')} ${limits.maxQueuedTexts}): such a request could never be queued; lower ${name('maxTexts')} or raise ${name('maxQueuedTexts')}`,
    );
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new OptionError(
      `${name('headersTimeoutMs')} is longer than ${name('requestTimeoutMs')}: the headers are part of the request, so their timeout must be at most the request's`,
    );
  }
}

/** How long `polarity serve` lets requests finish after SIGTERM before it closes their connections. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
