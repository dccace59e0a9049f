/**
 * A working directory where the docs' examples run as a reader would type them: `polarity` on the
 * PATH, the files the examples name cut from the IMDB sample, and $POLARITY_DATA / $POLARITY_CACHE
 * pointing into the workspace, never at the user's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import ts from 'typescript';
import type { Example } from '../../src/data/types.js';
import { writeTarball, type FakeEntry } from '../data/archive-helpers.js';
import { imdbSample } from '../helpers/fixtures.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const LIBRARY = join(REPO, 'src/index.ts');
/** tsx as a file URL: `--import tsx` would be resolved from the workspace, which has no node_modules. */
export const TSX = import.meta.resolve('tsx');

/** Reviews per label: of `reviews.csv` / `reviews.jsonl`, and of each split of the small IMDB. */
const PER_LABEL = { ownData: 100, imdbTrain: 150, imdbTest: 50 };

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What every workspace shares, made once per run. */
interface SharedFixtures {
  readonly root: string;
  /** The compiled `cli/bin.js`. */
  readonly bin: string;
  /** An IMDB tarball of 300 training and 100 test reviews, in the official layout. */
  readonly imdb: string;
  readonly csv: string;
  readonly jsonl: string;
}

let shared: Promise<SharedFixtures> | undefined;

/** The shared fixtures, made on first use in a temporary directory; `removeSharedFixtures` deletes it. */
export function sharedFixtures(): Promise<SharedFixtures> {
  shared ??= (async () => {
    const root = await mkdtemp(join(tmpdir(), 'polarity-docs-shared-'));
    const [bin, imdb, own] = await Promise.all([compileCli(root), smallImdb(root), ownData(root)]);
    return { root, bin, imdb, ...own };
  })();
  return shared;
}

export async function removeSharedFixtures(): Promise<void> {
  if (shared) await rm((await shared).root, { recursive: true, force: true });
}

/**
 * The CLI compiled to JavaScript file by file (as `npm run build` emits it, without its type check,
 * which `npm run typecheck` does), beside a link to the repository's node_modules. A start through
 * tsx costs more than twice the CPU of a compiled one, and the pages hold dozens of commands.
 */
async function compileCli(root: string): Promise<string> {
  await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  const src = join(REPO, 'src');
  const out = join(root, 'dist');
  for (const entry of await readdir(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(out, relative(src, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  await cp(join(src, 'serve/public'), join(out, 'serve/public'), { recursive: true });
  return join(out, 'cli/bin.js');
}

/** Each label's first `n` examples, the labels interleaved so that any head of the list holds both. */
function balanced(examples: readonly Example[], n: number): Example[] {
  const neg = examples.filter((e) => e.label === 'neg').slice(0, n);
  const pos = examples.filter((e) => e.label === 'pos').slice(0, n);
  return neg.flatMap((e, i) => [e, pos[i]]);
}

/** A cut of the IMDB sample small enough that a network's epoch over it takes a second. */
async function smallImdb(root: string): Promise<string> {
  const { train, test } = await imdbSample();
  const entries = (split: string, examples: Example[]): FakeEntry[] =>
    examples.map((e) => ({ name: `aclImdb/${split}/${e.label}/${e.id}_${e.rating}.txt`, content: e.text }));
  return writeTarball(join(root, 'imdb-small.tar.gz'), [
    ...entries('train', balanced(train, PER_LABEL.imdbTrain)),
    ...entries('test', balanced(test, PER_LABEL.imdbTest)),
  ]);
}

/** `reviews.csv` and `reviews.jsonl`: real reviews with the columns `text` and `label`. */
async function ownData(root: string): Promise<{ csv: string; jsonl: string }> {
  const { train } = await imdbSample();
  const rows = balanced(train, PER_LABEL.ownData).map((e) => ({ text: e.text, label: e.label }));
  const csv = join(root, 'reviews.csv');
  const jsonl = join(root, 'reviews.jsonl');
  await writeFile(csv, stringify(rows, { header: true, columns: ['text', 'label'] }));
  await writeFile(jsonl, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return { csv, jsonl };
}

/** Makes a fresh workspace with the fixtures the pages name; returns its path and environment. */
export async function makeWorkspace(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const fixtures = await sharedFixtures();
  const dir = await mkdtemp(join(tmpdir(), 'polarity-docs-'));
  const bin = join(dir, '.bin');
  await mkdir(bin);
  const shim = join(bin, 'polarity');
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${fixtures.bin}" "$@"\n`);
  await chmod(shim, 0o755);
  // The names the pages use: the official tarball, its labelled-only copy, and files of one's own.
  // Copies, not links: an example may write beside its input, never into the shared fixtures.
  await cp(fixtures.imdb, join(dir, 'aclImdb_v1.tar.gz'));
  await cp(fixtures.imdb, join(dir, 'aclImdb_v1.labeled.tar.gz'));
  await cp(fixtures.csv, join(dir, 'reviews.csv'));
  await cp(fixtures.jsonl, join(dir, 'reviews.jsonl'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    POLARITY_DATA: join(dir, 'aclImdb_v1.tar.gz'),
    POLARITY_CACHE: join(dir, '.cache'),
    POLARITY_DEBUG: '1',
  };
  return { dir, env };
}

/** Runs one command line through bash (pipes fail as a whole) and waits for it. */
export function runShell(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CommandResult> {
  const child = spawn('bash', ['-o', 'pipefail', '-c', command], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return collect(child).finally(() => clearTimeout(timer));
}

/** A `polarity serve` started for the examples after it; stopped as a user would, with SIGTERM. */
export interface RunningServer {
  /** `127.0.0.1:PORT`, what the pages' `localhost:8080` becomes. */
  readonly address: string;
  stop(): Promise<CommandResult>;
}

/** Starts `command` (a `polarity serve`, its port made 0) and waits for the address it prints. */
export async function startServer(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<RunningServer> {
  const anyPort = /--port\s+\d+/.test(command)
    ? command.replace(/--port\s+\d+/, '--port 0')
    : `${command} --port 0`;
  const child = spawn('bash', ['-c', `exec ${anyPort}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = collect(child);
  const address = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`${command}: no address printed in 60 s:\n${seen}`)),
      60_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /serving a \S+ model(?: with \S+)? on http:\/\/(\S+?)[\s/]/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    void done.then((result) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${result.code}) before serving:\n${result.stderr}`));
    });
  });
  return {
    address,
    stop: () => {
      child.kill('SIGTERM');
      return done;
    },
  };
}

function collect(child: ChildProcess): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
