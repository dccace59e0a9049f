/**
 * A working directory where the docs' examples run as a reader would type them: `polarity` on the
 * PATH, the files the examples name made from the IMDB sample, and $POLARITY_DATA /
 * $POLARITY_CACHE pointing into the fixtures, never at the user's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import ts from 'typescript';
import { IMDB_SAMPLE, imdbSample } from '../helpers/fixtures.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const LIBRARY = join(REPO, 'src/index.ts');
/** tsx as a file URL: `--import tsx` would be resolved from the workspace, which has no node_modules. */
export const TSX = import.meta.resolve('tsx');

/** Reviews per label in `reviews.csv` / `reviews.jsonl`: enough for every default min-df and split. */
const PER_LABEL = 100;

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

let compiled: Promise<string> | undefined;

/**
 * The CLI compiled to JavaScript file by file (as `npm run build` emits it, without its type check,
 * which `npm run typecheck` does), in a temporary directory whose node_modules is the repository's.
 * A start through tsx costs more than twice the CPU of a compiled one, and the pages hold dozens of
 * commands. Returns the compiled `cli/bin.js`; `removeCompiledCli` deletes it.
 */
export function compiledCli(): Promise<string> {
  compiled ??= (async () => {
    const root = await mkdtemp(join(tmpdir(), 'polarity-docs-cli-'));
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
  })();
  return compiled;
}

/** Deletes the compiled CLI, if one was made. */
export async function removeCompiledCli(): Promise<void> {
  if (compiled) await rm(dirname(dirname(dirname(await compiled))), { recursive: true, force: true });
}

/** Makes a fresh workspace with the fixtures the pages name; returns its path and environment. */
export async function makeWorkspace(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(tmpdir(), 'polarity-docs-'));
  const bin = join(dir, '.bin');
  await mkdir(bin);
  const shim = join(bin, 'polarity');
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${await compiledCli()}" "$@"\n`);
  await chmod(shim, 0o755);

  // The IMDB layout the pages name: the official tarball and the labelled-only one, as the sample.
  await symlink(IMDB_SAMPLE, join(dir, 'aclImdb_v1.tar.gz'));
  await symlink(IMDB_SAMPLE, join(dir, 'aclImdb_v1.labeled.tar.gz'));

  // Own data: real reviews, both labels interleaved so any head of the file has both.
  const { train } = await imdbSample();
  const neg = train.filter((e) => e.label === 'neg').slice(0, PER_LABEL);
  const pos = train.filter((e) => e.label === 'pos').slice(0, PER_LABEL);
  const rows = neg.flatMap((e, i) => [e, pos[i]]).map((e) => ({ text: e.text, label: e.label }));
  await writeFile(join(dir, 'reviews.csv'), stringify(rows, { header: true, columns: ['text', 'label'] }));
  await writeFile(join(dir, 'reviews.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    POLARITY_DATA: IMDB_SAMPLE,
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
      const found = /serving a \S+ model on http:\/\/(\S+?)[\s/]/.exec(seen);
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
