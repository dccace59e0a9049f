import { Command, CommanderError } from 'commander';
import { PolarityError } from '../errors.js';
import { registerCv } from './cv.js';
import { registerDemo } from './demo.js';
import { registerDownload } from './download.js';
import { registerEvaluate } from './evaluate.js';
import { registerExplain } from './explain.js';
import { registerPredict } from './predict.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';
import { registerStats } from './stats.js';
import { registerSummary } from './summary.js';
import { registerTrain } from './train.js';
import {
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_STATUS_HELP,
  EXIT_USAGE,
  internalErrorReport,
  isBrokenPipe,
  writeQuietly,
} from './exit-status.js';

/** Builds the `polarity` command; exported so tests can run it in-process. */
export function buildProgram(): Command {
  const program = new Command('polarity')
    .description('Train, evaluate and use text sentiment classifiers (IMDB and your own data)')
    .version('0.1.0')
    .showHelpAfterError("(run 'polarity --help' for usage)")
    .exitOverride()
    .addHelpText('after', EXIT_STATUS_HELP);
  for (const register of [
    registerDemo,
    registerDownload,
    registerStats,
    registerTrain,
    registerEvaluate,
    registerCv,
    registerSearch,
    registerPredict,
    registerExplain,
    registerServe,
    registerSummary,
  ]) {
    register(program);
  }
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
    await (options.program ?? buildProgram()).parseAsync([...argv], { from: 'user' });
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
