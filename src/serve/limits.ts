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
   */
  readonly maxQueuedTexts: number;
  /** Most time to receive a whole request, in milliseconds, so that a slow client cannot hold a connection. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServiceLimits = {
  maxBodyBytes: 1 << 20,
  maxTexts: 64,
  maxTextChars: 20_000,
  maxBatch: 256,
  maxQueuedTexts: 8192,
  requestTimeoutMs: 30_000,
};
