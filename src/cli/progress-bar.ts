/**
 * Turns the library's progress events into something a person at a terminal can follow: a
 * cli-progress bar (amount, total, speed, ETA) on stderr when stderr is a terminal, and an
 * occasional plain line otherwise, so that logs and CI output stay readable. Works for any task
 * (downloads in bytes, reviews read, samples trained); each new task name gets its own bar.
 */
import cliProgress from 'cli-progress';
import type { ProgressCallback, ProgressEvent } from '../util/progress.js';

export interface ProgressReporter {
  readonly onProgress: ProgressCallback;
  /** Finishes the current bar or line; safe to call when no event came, and more than once. */
  stop(): void;
}

export interface ProgressReporterOptions {
  /** Where to write. Default: process.stderr. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Draw a bar (true) or print plain lines (false). Default: whether `stream` is a terminal. */
  readonly tty?: boolean;
  /** Least time between two plain lines. Default 10 s. */
  readonly lineIntervalMs?: number;
}

/**
 * Returns a progress callback and its `stop`. `label` names the work on screen (e.g.
 * 'downloading IMDB'); without it, each event's task name is shown.
 */
export function progressReporter(label?: string, options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  const display = tty ? new BarDisplay(stream) : new LineDisplay(stream, options.lineIntervalMs ?? 10_000);
  let task: string | undefined;
  let speed = new SpeedMeter();
  return {
    onProgress(event: ProgressEvent): void {
      if (event.task !== task) {
        display.finish();
        task = event.task;
        speed = new SpeedMeter();
      }
      speed.add(event.done);
      display.show(label ?? event.task, event, speed.rate());
    },
    stop(): void {
      display.finish();
      task = undefined;
    },
  };
}

interface Display {
  show(name: string, event: ProgressEvent, rate: number | undefined): void;
  finish(): void;
}

/** A cli-progress bar, created on a task's first event and stopped when the task ends. */
class BarDisplay implements Display {
  private bar: cliProgress.SingleBar | undefined;
  private total: number | undefined;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  show(name: string, event: ProgressEvent, rate: number | undefined): void {
    const total = knownTotal(event);
    const payload = {
      name,
      amount: amountText(event),
      speed: rate === undefined ? '' : ` | ${rateText(rate, event.unit)}`,
    };
    if (!this.bar) {
      const format =
        total === undefined
          ? '{name} {amount}{speed} | {duration_formatted}'
          : '{name} [{bar}] {percentage}% | {amount}{speed} | ETA {eta_formatted}';
      this.bar = new cliProgress.SingleBar({
        format,
        stream: this.stream,
        hideCursor: true,
        barsize: 30,
        etaBuffer: 50,
      });
      this.bar.start(total ?? 0, event.done, payload);
      this.total = total;
      return;
    }
    if (total !== undefined && total !== this.total) {
      this.bar.setTotal(total);
      this.total = total;
    }
    this.bar.update(event.done, payload);
  }

  finish(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.total = undefined;
  }
}

/** Plain lines for logs: the first event of a task, then at most one per interval, then the last. */
class LineDisplay implements Display {
  private lastLine = 0;
  private pending: string | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs: number,
  ) {}

  show(name: string, event: ProgressEvent, rate: number | undefined): void {
    const total = knownTotal(event);
    const percent = total === undefined || total === 0 ? '' : ` (${Math.floor((100 * event.done) / total)}%)`;
    const speed = rate === undefined ? '' : `, ${rateText(rate, event.unit)}`;
    const line = `${name}: ${amountText(event)}${percent}${speed}`;
    const now = Date.now();
    const first = this.lastLine === 0;
    const complete = total !== undefined && event.done >= total;
    if (first || complete || now - this.lastLine >= this.intervalMs) {
      this.stream.write(`${line}\n`);
      this.lastLine = now;
      this.pending = undefined;
    } else {
      this.pending = line;
    }
  }

  finish(): void {
    if (this.pending !== undefined) this.stream.write(`${this.pending}\n`);
    this.pending = undefined;
    this.lastLine = 0;
  }
}

/** Average rate since the task's first event, once enough time has passed to mean something. */
class SpeedMeter {
  private first: { time: number; done: number } | undefined;
  private last: { time: number; done: number } | undefined;

  add(done: number): void {
    const point = { time: Date.now(), done };
    this.first ??= point;
    this.last = point;
  }

  rate(): number | undefined {
    if (!this.first || !this.last) return undefined;
    const seconds = (this.last.time - this.first.time) / 1000;
    return seconds < 0.5 ? undefined : (this.last.done - this.first.done) / seconds;
  }
}

function knownTotal(event: ProgressEvent): number | undefined {
  return event.total !== undefined && Number.isFinite(event.total) && event.total > 0
    ? event.total
    : undefined;
}

/** "12.3 MB/84.1 MB" for bytes, "12,000/50,000 reviews" for anything else. */
function amountText(event: ProgressEvent): string {
  const total = knownTotal(event);
  if (event.unit === 'bytes') {
    return total === undefined ? formatBytes(event.done) : `${formatBytes(event.done)}/${formatBytes(total)}`;
  }
  const unit = event.unit ? ` ${event.unit}` : '';
  const done = formatCount(event.done);
  return total === undefined ? `${done}${unit}` : `${done}/${formatCount(total)}${unit}`;
}

/** A speed as the progress lines print it. */
export function rateText(rate: number, unit: string | undefined): string {
  if (unit === 'bytes') return `${formatBytes(rate)}/s`;
  // Slow units (a document-vector epoch takes most of a minute) read better as seconds each than as "0 epochs/s".
  if (rate > 0 && rate < 1) return `${(1 / rate).toFixed(1)} s per ${singular(unit ?? 'units')}`;
  return `${formatCount(Math.round(rate))} ${unit ?? 'units'}/s`;
}

function singular(unit: string): string {
  return unit.endsWith('s') ? unit.slice(0, -1) : unit;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let index = 0;
  while (value >= 1000 && index < units.length - 1) {
    value /= 1000;
    index++;
  }
  return index === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[index]}`;
}
