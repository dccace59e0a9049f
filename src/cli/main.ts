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

/** Builds the `polarity` command; exported so tests can run it in-process. */
export function buildProgram(): Command {
  const program = new Command('polarity')
    .description('Train, evaluate and use text sentiment classifiers (IMDB and your own data)')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
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
  return program;
}

/** Runs the CLI; returns the exit code. Known errors print their message alone, without a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof PolarityError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
