import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs the real `polarity` executable (through tsx) and returns its output and exit code. */
export async function runPolarity(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', BIN, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 1 << 24,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/**
 * Runs `command` in this process with the text it writes to stdout captured, and returns that text
 * with the command's result. Only text is captured: under `node --test` this process also sends the
 * test runner its reports through stdout, as bytes (serialized), and those must still go through
 * while the command runs, or a test's report is lost and it vanishes from the run's count.
 */
export async function captureStdout<T>(command: () => Promise<T>): Promise<{ result: T; stdout: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'string')
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    chunks.push(chunk);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  } as typeof process.stdout.write;
  try {
    const result = await command();
    return { result, stdout: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}
