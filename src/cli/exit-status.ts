/**
 * How `polarity` ends. Exit statuses:
 *
 *   0    success; also when the reader of standard output (or error) goes away, as in
 *        `polarity predict --input big.txt | head -1`: the command stops quietly, as `head` users expect
 *   1    bad input or option: the message names the file (and line) or the flag (a PolarityError or
 *        a commander usage error)
 *   70   internal error, a bug to report (EX_SOFTWARE of BSD's sysexits.h): one line on stderr, the
 *        stack only with POLARITY_DEBUG=1
 *   130  interrupted by Ctrl-C (SIGINT; 143 for SIGTERM): the signal ends the process as it would
 *        any other, except `serve`, which stops accepting, drains and exits 0
 *
 * No other status is used on purpose: an uncaught exception (Node's 7), an unhandled rejection or an
 * 'error' event nobody listens to is turned into 70 by `installCrashGuards`.
 */
import { inspect } from 'node:util';

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_INTERNAL = 70;

/** The exit statuses as `polarity --help` lists them. */
export const EXIT_STATUS_HELP = `
Exit status:
  0    success (also when the reader of the output goes away, as with \`| head\`)
  1    bad input or option: the message names the file and line, or the flag
  70   internal error: a bug, please report it (POLARITY_DEBUG=1 prints its stack)
  130  interrupted (Ctrl-C); serve drains its requests and exits 0`;

/** Whether `error` says the other end of a pipe or socket we write to has been closed. */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * The report of an unexpected error: one line saying what failed and that it is a bug to report,
 * then, with POLARITY_DEBUG=1 in `env`, the error's stack and causes.
 */
export function internalErrorReport(error: unknown, context: string, env: NodeJS.ProcessEnv): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : `thrown value ${inspect(error)}`;
  const line =
    `error: internal error in ${context}: ${what.replace(/\s*\n\s*/g, ' ')} ` +
    `(a bug in polarity: please report it with the command line; POLARITY_DEBUG=1 shows where it happened)`;
  return env.POLARITY_DEBUG === '1' ? `${line}\n${inspect(error)}\n` : `${line}\n`;
}

/**
 * Makes the process end as documented above whatever goes wrong outside `main`'s own try: a closed
 * stdout or stderr (an 'error' event on them) exits 0 at once, so that the scoring stops and no
 * stack is printed; an uncaught exception or unhandled rejection (a stream, timer or worker) prints
 * one line and exits 70. Installed by the executable only, never by importing the CLI.
 */
export function installCrashGuards(): void {
  const quit = (error: unknown) => {
    if (isBrokenPipe(error)) process.exit(EXIT_OK);
    writeQuietly(internalErrorReport(error, 'polarity', process.env));
    process.exit(EXIT_INTERNAL);
  };
  process.stdout.on('error', quit);
  process.stderr.on('error', quit);
  process.on('uncaughtException', quit);
  process.on('unhandledRejection', quit);
}

/** Writes to stderr, ignoring a stderr that is itself closed (the report must not crash in turn). */
export function writeQuietly(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // nowhere left to say it
  }
}
