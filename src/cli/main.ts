import { Command, CommanderError } from 'commander';
import { PolarityError } from '../errors.js';
import { POLARITY_VERSION } from '../util/version.js';
import {
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_STATUS_HELP,
  EXIT_USAGE,
  internalErrorReport,
  isBrokenPipe,
  writeQuietly,
} from './exit-status.js';

type Register = (program: Command) => void;

/**
 * Each command's module, in the order --help lists them, imported only when it is needed: a run of
 * one command loads that command's code alone (half of the CLI for `predict`), which is most of the
 * start-up time of a command that uses no network.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  demo: async () => (await import('./demo.js')).registerDemo,
  download: async () => (await import('./download.js')).registerDownload,
  stats: async () => (await import('./stats.js')).registerStats,
  train: async () => (await import('./train.js')).registerTrain,
  evaluate: async () => (await import('./evaluate.js')).registerEvaluate,
  cv: async () => (await import('./cv.js')).registerCv,
  search: async () => (await import('./search.js')).registerSearch,
  predict: async () => (await import('./predict.js')).registerPredict,
  explain: async () => (await import('./explain.js')).registerExplain,
  serve: async () => (await import('./serve.js')).registerServe,
  summary: async () => (await import('./summary.js')).registerSummary,
  export: async () => (await import('./export.js')).registerExport,
  vectors: async () => (await import('./vectors.js')).registerVectors,
};

/**
 * Builds the `polarity` command with every command, with `only` the one named (what a run of
 * that command needs), or with `none` (`--version`); exported so tests can run it in-process.
 */
export async function buildProgram(
  options: { readonly only?: string; readonly none?: boolean } = {},
): Promise<Command> {
  const program = new Command('polarity')
    .description('Train, evaluate and use text sentiment classifiers (IMDB and your own data)')
    .version(POLARITY_VERSION)
    .showHelpAfterError("(run 'polarity --help' for usage)")
    .exitOverride()
    .addHelpText('after', EXIT_STATUS_HELP);
  const names = options.none
    ? []
    : options.only !== undefined && Object.hasOwn(COMMANDS, options.only)
      ? [options.only]
      : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((name) => COMMANDS[name]()));
  for (const register of registers) register(program);
  for (const command of program.commands) {
    command.showHelpAfterError(`(run 'polarity ${command.name()} --help' for usage)`);
    checkRequiredOptionsLast(command);
  }
  return program;
}

/**
 * Commander checks required options before unknown ones, so `train --modle mlp` was reported as
 * "required option '--model' not specified". The required options are checked here instead, just
 * before the action (after commander has refused unknown options, with its "did you mean"), with
 * commander's own message and error code.
 */
function checkRequiredOptionsLast(command: Command): void {
  const required = command.options.filter((option) => option.mandatory);
  for (const option of required) option.makeOptionMandatory(false);
  command.hook('preAction', (self) => {
    const missing = required.find((option) => self.getOptionValue(option.attributeName()) === undefined);
    if (missing) {
      self.error(`error: required option '${missing.flags}' not specified`, {
        code: 'commander.missingMandatoryOptionValue',
      });
    }
  });
}

/**
 * The commands a run needs: the one named (the first word that is not an option, since the
 * program's own options take no value), none for `--version`, all for help or an unknown word.
 */
function commandsFor(argv: readonly string[]): { readonly only?: string; readonly none?: boolean } {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return { none: true };
  return { only: argv.find((arg) => !arg.startsWith('-')) };
}

/** What `main` runs: the real program unless a test passes its own. */
export interface MainOptions {
  readonly program?: Command;
  /** Where POLARITY_DEBUG is read (default: the process's environment). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs the CLI; returns the exit status (see exit-status.ts). Known errors print their message
 * alone, without a stack; a closed output ends the command quietly; anything else is a bug, reported
 * in one line.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  try {
    // The command is the first word that is not an option (the program's own options take no value).
    await (options.program ?? (await buildProgram(commandsFor(argv)))).parseAsync([...argv], {
      from: 'user',
    });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof PolarityError) {
      writeQuietly(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (isBrokenPipe(error)) return EXIT_OK;
    const command = argv.find((arg) => !arg.startsWith('-'));
    const context = command === undefined ? 'polarity' : `polarity ${command}`;
    writeQuietly(internalErrorReport(error, context, options.env ?? process.env));
    return EXIT_INTERNAL;
  }
}
