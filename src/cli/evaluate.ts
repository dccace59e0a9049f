import type { Command } from 'commander';
import { loadClassifier } from '../models/load.js';
import { evaluationReport } from '../report/evaluation-report.js';
import { evaluateClassifier } from '../train/evaluate.js';
import { backendOption, startBackend } from './backend-option.js';
import { DATA_HELP, loadImdbForCli } from './dataset-option.js';
import { formatEvaluation } from './format.js';
import { nonNegativeInteger } from './options.js';
import { progressReporter } from './progress-bar.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';

interface EvaluateFlags {
  model: string;
  data?: string;
  json: boolean;
  errors: number;
  report?: string;
  backend: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description(
      'score a saved model on the test split: accuracy, precision / recall / F1 per label and macro, ROC AUC, log loss, confusion matrix',
    )
    .requiredOption('--model <dir>', 'model directory written by `polarity train`')
    .option('--data <path>', DATA_HELP)
    .option(
      '--json',
      'print one JSON object (accuracy, precision, recall, f1, macro, perLabel, rocAuc, logLoss, confusion, mistakes, …) instead of a table',
      false,
    )
    .option(
      '--errors <n>',
      'also list the N most confident mistakes (true and predicted label, score, text excerpt)',
      nonNegativeInteger,
      0,
    )
    .option(
      '--report <dir>',
      `${REPORT_HELP}: scores, per-label table, confusion matrix, ROC curve (two labels)`,
    )
    .addOption(backendOption())
    .action(async (flags: EvaluateFlags, command: Command) => {
      await startBackend(flags.backend);
      const classifier = await loadClassifier(flags.model);
      const dataset = await loadImdbForCli(flags.data, ['test']);
      const progress = progressReporter('evaluating');
      const report = await evaluateClassifier(classifier, dataset.test, {
        mistakes: flags.errors,
        rocCurve: flags.report !== undefined,
        onProgress: progress.onProgress,
      });
      progress.stop();
      classifier.dispose();
      // The curve is for the chart; --json prints what it printed before.
      const { rocCurve, ...printed } = report;
      process.stdout.write(flags.json ? JSON.stringify(printed) + '\n' : formatEvaluation(report) + '\n');
      if (flags.report !== undefined) {
        const model = `${classifier.kind} model in ${flags.model}`;
        const roc =
          rocCurve && report.rocAuc !== null
            ? { ...rocCurve, auc: report.rocAuc, positiveLabel: report.labels[1] }
            : undefined;
        await writeReportForCli(
          flags.report,
          evaluationReport(report, { model, roc, command: commandLine(command) }),
        );
      }
    });
}
