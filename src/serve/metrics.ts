/**
 * The service's Prometheus metrics: requests and errors by route and status, request latency as a
 * histogram, how full the prediction batches are and how many texts wait, plus the process metrics
 * prom-client collects (CPU, memory, event-loop delay). Each service has its own registry, so that
 * several services in one process (as in the tests) never mix their counts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds: a linear model answers in about a millisecond, an explanation in up to a second. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly errors: Counter<'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly texts: Counter<'route'>;
  private readonly batches: Histogram;

  /** `pendingTexts` is read at each scrape. */
  constructor(pendingTexts: () => number) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'polarity_http_requests_total',
      help: 'HTTP requests answered, by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.errors = new Counter({
      name: 'polarity_http_errors_total',
      help: 'HTTP requests answered with a 4xx or 5xx status, by route and status code',
      labelNames: ['route', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'polarity_http_request_duration_seconds',
      help: 'Time from receiving a request to sending its response',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.texts = new Counter({
      name: 'polarity_texts_total',
      help: 'Texts received for prediction or explanation, by route',
      labelNames: ['route'],
      registers,
    });
    this.batches = new Histogram({
      name: 'polarity_batch_texts',
      help: 'Texts per call to the model: requests arriving together are scored in one batch',
      buckets: BATCH_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'polarity_queued_texts',
      help: 'Texts waiting for the model',
      registers,
      collect() {
        this.set(pendingTexts());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'polarity_' });
  }

  /** Records one answered request; `route` is the route's pattern, never the raw URL, to bound the label values. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const statusText = String(status);
    this.requests.inc({ method, route, status: statusText });
    this.latency.observe({ method, route }, seconds);
    if (status >= 400) this.errors.inc({ route, status: statusText });
  }

  observeTexts(route: string, count: number): void {
    this.texts.inc({ route }, count);
  }

  observeBatch(texts: number): void {
    this.batches.observe(texts);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The metrics in Prometheus's text exposition format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
