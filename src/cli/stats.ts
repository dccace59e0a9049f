import type { Command } from 'commander';
import { datasetStatistics, formatStatistics } from '../text/stats.js';
import { DATA_HELP, loadImdbForCli } from './dataset-option.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('dataset statistics: reviews, labels, distinct words, review length (mean, std, quartiles)')
    .option('--data <path>', DATA_HELP)
    .option('--json', 'print the statistics as one JSON object', false)
    .action(async (flags: { data?: string; json: boolean }) => {
      const dataset = await loadImdbForCli(flags.data, ['train', 'test']);
      const stats = datasetStatistics(dataset);
      process.stdout.write((flags.json ? JSON.stringify(stats) : formatStatistics(stats)) + '\n');
    });
}
