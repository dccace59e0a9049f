import type { Command } from 'commander';
import { DEFAULT_NEURAL_HYPER_PARAMETERS } from '../models/neural-config.js';
import { datasetReport, profileDataset } from '../report/dataset-report.js';
import { datasetStatistics, formatStatistics } from '../text/stats.js';
import { DATA_HELP, loadImdbForCli } from './dataset-option.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description(
      'dataset statistics: reviews, labels, distinct words, review length (mean, std, quartiles); --report adds charts',
    )
    .option('--data <path>', DATA_HELP)
    .option('--json', 'print the statistics as one JSON object', false)
    .option(
      '--report <dir>',
      `${REPORT_HELP}: label balance, review-length histogram and box plot, words per label`,
    )
    .action(async (flags: { data?: string; json: boolean; report?: string }, command: Command) => {
      const dataset = await loadImdbForCli(flags.data, ['train', 'test']);
      // The report needs every review's tokens; profiling counts the statistics in the same pass.
      const profile = flags.report === undefined ? undefined : profileDataset(dataset);
      const stats = profile?.statistics ?? datasetStatistics(dataset);
      process.stdout.write((flags.json ? JSON.stringify(stats) : formatStatistics(stats)) + '\n');
      if (profile && flags.report !== undefined) {
        const report = datasetReport(profile, {
          command: commandLine(command),
          maxLen: DEFAULT_NEURAL_HYPER_PARAMETERS.maxLen,
        });
        await writeReportForCli(flags.report, report);
      }
    });
}
