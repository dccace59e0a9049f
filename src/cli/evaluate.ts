import type { Command } from 'commander';
import { loadClassifier } from '../models/load.js';
import { evaluateClassifier } from '../train/evaluate.js';
import { backendOption, startBackend } from './backend-option.js';
import { DATA_HELP, loadImdbForCli } from './dataset-option.js';
import { formatEvaluation } from './format.js';
import { progressReporter } from './progress-bar.js';

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score a saved model on the test split: accuracy, precision, recall, F1, confusion matrix')
    .requiredOption('--model <dir>', 'model directory written by `polarity train`')
    .option('--data <path>', DATA_HELP)
    .option(
      '--json',
      'print one JSON object (accuracy, precision, recall, f1, confusion, …) instead of a table',
      false,
    )
    .addOption(backendOption())
    .action(async (flags: { model: string; data?: string; json: boolean; backend: string }) => {
      await startBackend(flags.backend);
      const classifier = await loadClassifier(flags.model);
      const dataset = await loadImdbForCli(flags.data, ['test']);
      const progress = progressReporter('evaluating');
      const report = await evaluateClassifier(classifier, dataset.test, { onProgress: progress.onProgress });
      progress.stop();
      classifier.dispose();
      process.stdout.write(flags.json ? JSON.stringify(report) + '\n' : formatEvaluation(report) + '\n');
    });
}
