/**
 * Load and faults against `polarity serve`: good and bad requests together, stalled clients, and a
 * SIGTERM in the middle of the run.
 *
 *   npm run bench:faults -- [--seconds 30] [--connections 16] [--stalled 6] [--data TARBALL]
 *                           [--shutdown-timeout 10] [--request-timeout 5] [--out FILE]
 *
 * 1. Trains an nb model on --data (default: the 1,000-review sample in test/fixtures), a few seconds.
 * 2. Starts `polarity serve` on 127.0.0.1 (any free port) with --max-body 65536 (so that the
 *    oversized bodies test the limit, not the loopback's bandwidth), --request-timeout and
 *    --shutdown-timeout as given.
 * 3. For --seconds, --connections client loops send requests one after the other over keep-alive
 *    connections, each looping over the mix below; meanwhile --stalled raw clients stall (mid-body, mid-headers, or silent) and open
 *    again when the service closes them. At two thirds of --seconds the service gets SIGTERM; the
 *    run stops when it exits (a service still alive --shutdown-timeout + 15 s after SIGTERM is
 *    killed, and the run reported as failed). Answers and errors count in the phase they arrive in.
 *
 * The loops use Node's own HTTP client, not autocannon: the service closes the connection after a
 * body it could not read (malformed JSON, bad UTF-8, too large), and autocannon then pairs each later
 * answer with the wrong request, which skews both its latencies and any count by kind of request.
 *
 * Prints, before and after SIGTERM: requests/s, p50 and p99 latency, answers by status for each kind
 * of request, errors by code; and the time from SIGTERM to exit. Writes them to --out as JSON.
 * Requests go to 127.0.0.1 only, and every loop is bounded by the run's time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { predictHead, rawClient, stalledPredict } from '../test/helpers/raw-http.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'src/cli/bin.ts');

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '16' },
    stalled: { type: 'string', default: '6' },
    data: { type: 'string', default: join(ROOT, 'test/fixtures/imdb-sample.tar.gz') },
    'shutdown-timeout': { type: 'string', default: '10' },
    'request-timeout': { type: 'string', default: '5' },
    out: { type: 'string', default: join(ROOT, 'bench/results/faults.json') },
  },
});

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag}: expected a positive number, got "${value}"`);
  return n;
}
const SECONDS = positive('seconds', values.seconds);
const CONNECTIONS = Math.round(positive('connections', values.connections));
const STALLED = Math.round(Number(values.stalled));
const SHUTDOWN_TIMEOUT = positive('shutdown-timeout', values['shutdown-timeout']);
const REQUEST_TIMEOUT = positive('request-timeout', values['request-timeout']);
const MAX_BODY = 65_536;

const REVIEW =
  'A quietly moving film: the two leads are wonderful, the script never talks down to its audience, and the last twenty minutes are as good as anything this year. Slow in places, but worth it.';
const json = { 'content-type': 'application/json' };

/** The mix each connection loops over: what it sends and the status the service should answer. */
interface MixRequest {
  readonly kind: string;
  readonly expected: number;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}
const MIX: readonly MixRequest[] = [
  {
    kind: 'good predict',
    expected: 200,
    method: 'POST',
    path: '/v1/predict',
    headers: json,
    body: JSON.stringify({ texts: [REVIEW] }),
  },
  {
    kind: 'malformed JSON',
    expected: 400,
    method: 'POST',
    path: '/v1/predict',
    headers: json,
    body: '{"texts": [',
  },
  {
    kind: 'wrong content type',
    expected: 415,
    method: 'POST',
    path: '/v1/predict',
    headers: { 'content-type': 'text/plain' },
    body: REVIEW,
  },
  {
    kind: 'good predict',
    expected: 200,
    method: 'POST',
    path: '/v1/predict',
    headers: json,
    body: JSON.stringify({ texts: [REVIEW, REVIEW] }),
  },
  {
    kind: 'oversized body',
    expected: 413,
    method: 'POST',
    path: '/v1/predict',
    headers: json,
    body: JSON.stringify({ texts: ['x'.repeat(MAX_BODY)] }),
  },
  { kind: 'wrong method', expected: 405, method: 'GET', path: '/v1/predict' },
  {
    kind: 'invalid UTF-8',
    expected: 400,
    method: 'POST',
    path: '/v1/predict',
    headers: json,
    body: Buffer.concat([Buffer.from('{"texts": ["caf'), Buffer.from([0xe9, 0xff]), Buffer.from('"]}')]),
  },
  {
    kind: 'good explain',
    expected: 200,
    method: 'POST',
    path: '/v1/explain',
    headers: json,
    body: JSON.stringify({ text: REVIEW }),
  },
];

type Phase = 'beforeSigterm' | 'afterSigterm';

/** What happened in one phase of the run. */
class PhaseStats {
  readonly latenciesMs: number[] = [];
  readonly byKind = new Map<string, Map<number, number>>();
  readonly errors = new Map<string, number>();
  started = 0;
  ended = 0;

  answer(kind: string, status: number): void {
    const counts = this.byKind.get(kind) ?? new Map<number, number>();
    counts.set(status, (counts.get(status) ?? 0) + 1);
    this.byKind.set(kind, counts);
  }

  summary() {
    const seconds = (this.ended - this.started) / 1000;
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    const percentile = (p: number) =>
      sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const byStatus: Record<string, number> = {};
    const byKind: Record<string, Record<string, number>> = {};
    let unexpected = 0;
    for (const [kind, counts] of this.byKind) {
      byKind[kind] = Object.fromEntries([...counts].sort(([a], [b]) => a - b));
      const expected = MIX.find((request) => request.kind === kind)?.expected;
      for (const [status, n] of counts) {
        byStatus[status] = (byStatus[status] ?? 0) + n;
        // Before SIGTERM every request should get its own answer; after it, 503 (closing) is expected too.
        if (status !== expected && status !== 503) unexpected += n;
      }
    }
    return {
      seconds: round(seconds, 2),
      requests: sorted.length,
      requestsPerSecond: seconds > 0 ? Math.round(sorted.length / seconds) : 0,
      p50Ms: round(percentile(0.5), 2),
      p99Ms: round(percentile(0.99), 2),
      maxMs: round(sorted.at(-1) ?? 0, 2),
      non2xxByStatus: Object.fromEntries(
        Object.entries(byStatus).filter(([status]) => !status.startsWith('2')),
      ),
      byKind,
      unexpectedStatuses: unexpected,
      errors: Object.fromEntries(this.errors),
    };
  }
}

/** Sends one request of the mix and resolves with the status of the answer (its body read and dropped). */
function send(port: number, agent: Agent, request: MixRequest, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers = { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.path,
        headers,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0)).once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.once('error', reject);
    req.end(body);
  });
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function trainModel(dir: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', BIN, 'train', '--data', values.data, '--model', 'nb', '--out', dir],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`training failed (exit ${code}):\n${stderr}`);
}

interface Service {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  readonly stderr: () => string;
}

async function startService(model: string): Promise<Service> {
  const args = [
    'serve',
    '--model',
    model,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--max-body',
    String(MAX_BODY),
  ];
  args.push(
    '--request-timeout',
    String(REQUEST_TIMEOUT),
    '--headers-timeout',
    String(Math.min(REQUEST_TIMEOUT, 10)),
  );
  args.push('--shutdown-timeout', String(SHUTDOWN_TIMEOUT));
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /serving a nb model on http:\/\/127\.0\.0\.1:(\d+) /.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`serve exited early:\n${stderr}`)));
  });
  return { child, port, exited, stderr: () => stderr };
}

/** Stalled clients: each slot keeps one connection stalled, opening another when the service closes it. */
function stallClients(port: number, slots: number, running: () => boolean) {
  const kinds = ['mid-body', 'mid-headers', 'silent'] as const;
  const stats = { opened: 0, answered408: 0, closedWithoutAnswer: 0 };
  const loops = Array.from({ length: slots }, async (_, slot) => {
    const kind = kinds[slot % kinds.length];
    while (running()) {
      const send =
        kind === 'mid-body'
          ? stalledPredict(port)
          : kind === 'mid-headers'
            ? predictHead(port, 10).slice(0, 40)
            : '';
      let client;
      try {
        client = await rawClient(port, send);
      } catch {
        return; // the service no longer listens
      }
      stats.opened++;
      const { received } = await client.closed;
      if (/^HTTP\/1\.1 408 /.test(received)) stats.answered408++;
      else stats.closedWithoutAnswer++;
      await sleep(50);
    }
  });
  return { stats, done: Promise.all(loops) };
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'polarity-faults-'));
  try {
    const model = join(work, 'nb');
    let started = performance.now();
    await trainModel(model);
    console.error(`trained nb on ${values.data} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const service = await startService(model);

    let phase: Phase = 'beforeSigterm';
    let running = true;
    const phases: Record<Phase, PhaseStats> = {
      beforeSigterm: new PhaseStats(),
      afterSigterm: new PhaseStats(),
    };
    const stalled = stallClients(service.port, STALLED, () => running);

    started = performance.now();
    phases.beforeSigterm.started = started;
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const stopAt = started + SECONDS * 1000;
    const loops = Array.from({ length: CONNECTIONS }, async (_, connection) => {
      // Each loop starts at a different point of the mix, so that every kind is in flight at once.
      for (let i = connection; performance.now() < stopAt && running; i++) {
        const request = MIX[i % MIX.length];
        const sent = performance.now();
        try {
          const status = await send(service.port, agent, request, (SHUTDOWN_TIMEOUT + 5) * 1000);
          phases[phase].latenciesMs.push(performance.now() - sent);
          phases[phase].answer(request.kind, status);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          const { errors } = phases[phase];
          errors.set(code, (errors.get(code) ?? 0) + 1);
          // Once the service is gone every request is refused at once: do not spin on that.
          if (code === 'ECONNREFUSED') await sleep(100);
        }
      }
    });

    await sleep((SECONDS * 1000 * 2) / 3);
    const sigtermAt = performance.now();
    phases.beforeSigterm.ended = sigtermAt;
    phases.afterSigterm.started = sigtermAt;
    phase = 'afterSigterm';
    service.child.kill('SIGTERM');
    const killer = setTimeout(() => service.child.kill('SIGKILL'), (SHUTDOWN_TIMEOUT + 15) * 1000);
    const exit = await service.exited;
    clearTimeout(killer);
    const sigtermToExit = (exit.at - sigtermAt) / 1000;
    // After the exit the loops only meet refused connections: stop them, and the stalled clients.
    running = false;
    await Promise.all(loops);
    agent.destroy();
    phases.afterSigterm.ended = performance.now();
    await stalled.done;

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      // Other work on the machine during the run (1-minute load average at its end), to read the speed by.
      loadAverage: round(loadavg()[0], 2),
      data: relative(ROOT, values.data).startsWith('..') ? values.data : relative(ROOT, values.data),
      model: 'nb',
      seconds: SECONDS,
      connections: CONNECTIONS,
      stalledClients: STALLED,
      service: {
        maxBody: MAX_BODY,
        requestTimeoutSeconds: REQUEST_TIMEOUT,
        shutdownTimeoutSeconds: SHUTDOWN_TIMEOUT,
      },
      mix: MIX.map(({ kind, method, path, expected }) => ({ kind, method, path, expected })),
      beforeSigterm: phases.beforeSigterm.summary(),
      afterSigterm: phases.afterSigterm.summary(),
      stalled: stalled.stats,
      sigtermToExitSeconds: round(sigtermToExit, 2),
      exit: { code: exit.code, signal: exit.signal },
      serviceStderr: service.stderr().split('\n').slice(-6).join('\n'),
    };
    await mkdir(dirname(values.out), { recursive: true });
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
    report(result);
    const ok =
      exit.code === 0 &&
      result.beforeSigterm.unexpectedStatuses === 0 &&
      sigtermToExit <= SHUTDOWN_TIMEOUT + 2;
    if (!ok) {
      console.error('FAILED: the service did not exit 0 on time, or answered a status it should not have');
      process.exitCode = 1;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function report(result: {
  beforeSigterm: ReturnType<PhaseStats['summary']>;
  afterSigterm: ReturnType<PhaseStats['summary']>;
  stalled: { opened: number; answered408: number; closedWithoutAnswer: number };
  sigtermToExitSeconds: number;
  exit: { code: number | null; signal: string | null };
}): void {
  for (const name of ['beforeSigterm', 'afterSigterm'] as const) {
    const s = result[name];
    console.log(`${name === 'beforeSigterm' ? 'before SIGTERM' : 'after SIGTERM'} (${s.seconds} s):`);
    console.log(
      `  requests/s ${s.requestsPerSecond}, requests ${s.requests}, p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms`,
    );
    console.log(`  non-2xx by status: ${JSON.stringify(s.non2xxByStatus)}`);
    console.log(`  by kind: ${JSON.stringify(s.byKind)}`);
    console.log(`  unexpected statuses: ${s.unexpectedStatuses}, errors: ${JSON.stringify(s.errors)}`);
  }
  const { opened, answered408, closedWithoutAnswer } = result.stalled;
  console.log(
    `stalled clients: ${opened} opened, ${answered408} answered 408, ${closedWithoutAnswer} closed without an answer`,
  );
  console.log(
    `SIGTERM to exit: ${result.sigtermToExitSeconds} s (exit code ${result.exit.code}${result.exit.signal ? `, signal ${result.exit.signal}` : ''})`,
  );
}

await main();
