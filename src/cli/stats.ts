import type { Command } from 'commander';
import { DEFAULT_SPLIT_SEED } from '../data/load-dataset.js';
import { families } from '../models/families.js';
import { datasetReport, profileDataset } from '../report/dataset-report.js';
import { datasetStatistics, formatStatistics } from '../text/corpus/stats.js';
import { addDataOptions, loadDataForCli, type DataFlags } from './dataset-option.js';
import { nonNegativeInteger } from './options.js';
import { claimOutputsForCli, overwriteOption } from './output-option.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';

interface StatsFlags extends DataFlags {
  json: boolean;
  seed: number;
  report?: string;
  overwrite: boolean;
}

export function registerStats(program: Command): void {
  const command = program
    .command('stats')
    .description(
      'dataset statistics: reviews, labels, distinct words, review length (mean, std, quartiles); --report adds charts',
    );
  addDataOptions(command, { testSplit: true })
    .option('--seed <n>', 'seed of --test-split', nonNegativeInteger, DEFAULT_SPLIT_SEED)
    .option('--json', 'print the statistics as one JSON object', false)
    .option(
      '--report <dir>',
      `${REPORT_HELP}: label balance, review-length histogram and box plot, words per label`,
    )
    .addOption(overwriteOption())
    .action(async (flags: StatsFlags) => {
      await claimOutputsForCli([{ flag: '--report', dir: flags.report, kind: 'report' }], flags);
      const { dataset } = await loadDataForCli(flags, command, {
        splits: ['train', 'test'],
        seed: flags.seed,
      });
      // The report needs every review's tokens; profiling counts the statistics in the same pass.
      const profile = flags.report === undefined ? undefined : profileDataset(dataset);
      const stats = profile?.statistics ?? datasetStatistics(dataset);
      process.stdout.write((flags.json ? JSON.stringify(stats) : formatStatistics(stats)) + '\n');
      if (profile && flags.report !== undefined) {
        const report = datasetReport(profile, {
          command: commandLine(command),
          maxLen: defaultMaxLen(),
        });
        await writeReportForCli(flags.report, report);
      }
    });
}

/** The review length (in ids) that the first family reading reviews as cut sequences uses by default. */
function defaultMaxLen(): number | undefined {
  return families().find((family) => family.defaultMaxLen !== undefined)?.defaultMaxLen;
}
