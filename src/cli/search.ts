import { Option, type Command } from 'commander';
import { OptionError } from '../errors.js';
import { searchReport } from '../report/results-report.js';
import { HEADLINE_METRICS, type HeadlineMetric } from '../experiments/headline-metrics.js';
import {
  applyConfiguration,
  createTrainers,
  DEFAULT_SEARCH_VALIDATION_SPLIT,
  describeConfiguration,
  formatValue,
  gridConfigurations,
  parseGrid,
  runSearch,
  sampleConfigurations,
  searchableModels,
  searchParameters,
  type Configuration,
  type Grid,
  type SearchResult,
} from '../experiments/search.js';
import { createTrainer, modelFamily } from '../models/trainers.js';
import { writeDirectoryAtomically } from '../persist/atomic-dir.js';
import { MANIFEST_FILE } from '../persist/manifest.js';
import { outputMarker } from '../persist/output-dir.js';
import { toCsv } from '../util/csv.js';
import { Random } from '../util/random.js';
import { backendOption, useBackend } from './backend-option.js';
import { addDataOptions, loadDataForCli, type DataFlags } from './dataset-option.js';
import { formatMetric, METRIC_TITLES, table } from './format.js';
import {
  addModelFlags,
  checkModelFlags,
  kebab,
  modelOption,
  trainerChoiceFromFlags,
  type ModelFlags,
} from './model-options.js';
import { fraction, nonNegativeInteger, positiveInteger } from './options.js';
import { claimOutputsForCli, overwriteOption } from './output-option.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';
import { trainingProgress } from './training-progress.js';

interface SearchFlags extends ModelFlags, DataFlags {
  grid: string;
  trials?: number;
  metric: HeadlineMetric;
  validationSplit: number;
  seed: number;
  out?: string;
  report?: string;
  json: boolean;
  backend: string;
  overwrite: boolean;
}

/** The grid keys of each searchable family, from the library's table, wrapped for --help. */
function gridHelp(searchable: readonly string[]): string {
  // Models that take the same keys share a line (the neural architectures differ in a few).
  const families = new Map<string, string[]>();
  for (const model of searchable) {
    const keys = `${modelFamily(model)}:${Object.keys(searchParameters(model)).join(',')}`;
    families.set(keys, [...(families.get(keys) ?? []), model]);
  }
  const lines = [...families.values()].map((models) => {
    const keys = wrap(Object.keys(searchParameters(models[0])), 70);
    return keys.map((line, i) => `  ${(i === 0 ? models.join(', ') : '').padEnd(18)}  ${line}`).join('\n');
  });
  return [
    '',
    'Grid keys (named as in the library options):',
    ...lines,
    'Other model flags stay fixed for every trial; a key cannot be both a flag and in the grid.',
    "Example: polarity search --model linear --grid 'c=0.5,1,2;ngrams=1,2' --out search-linear",
  ].join('\n');
}

/** Comma-separated words in lines of at most `width` characters. */
function wrap(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [i, word] of words.entries()) {
    const item = i < words.length - 1 ? `${word},` : word;
    if (line !== '' && line.length + 1 + item.length > width) {
      lines.push(line);
      line = item;
    } else {
      line = line === '' ? item : `${line} ${item}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function registerSearch(program: Command): void {
  const searchable = searchableModels();
  const command = program
    .command('search')
    .description(
      'hyper-parameter search: train one model per configuration of a grid on the training split minus a validation slice, score each on that slice (never the test split), and show the best',
    );
  addDataOptions(command, { testSplit: true })
    .addOption(modelOption(searchable))
    .requiredOption(
      '--grid <grid>',
      "values to try per hyper-parameter: 'key=v1,v2;key2=v3,v4' (every combination is a configuration)",
    )
    .option(
      '--trials <n>',
      'random search: try N distinct configurations drawn from the grid (default: all of them)',
      positiveInteger,
    )
    .addOption(
      new Option('--metric <name>', 'metric the best trial is chosen by (log loss: lowest)')
        .choices(HEADLINE_METRICS)
        .default('accuracy'),
    )
    .option(
      '--validation-split <f>',
      'fraction of the training split every trial is scored on (the same slice for all)',
      fraction,
      DEFAULT_SEARCH_VALIDATION_SPLIT,
    )
    .option(
      '--seed <n>',
      'seed of the validation slice, the random draw of --trials and every trial’s training',
      nonNegativeInteger,
      42,
    )
    .option(
      '--out <dir>',
      'also write results.csv and results.json as directory DIR (earlier search results there are replaced; anything else needs --overwrite)',
    )
    .option('--report <dir>', `${REPORT_HELP}: every trial's validation score against the values searched`)
    .option(
      '--json',
      'print one JSON object (every trial’s configuration and metrics, the best) instead of a table',
      false,
    )
    .addOption(backendOption())
    .addOption(overwriteOption());
  addModelFlags(command, { members: false })
    .addHelpText('after', gridHelp(searchable))
    .action(async (flags: SearchFlags, command: Command) => {
      checkModelFlags(flags, command);
      const parameters = searchParameters(flags.model);
      const grid = parseGrid(flags.grid, parameters, flags.model);
      const fixed = grid.find((axis) => command.getOptionValueSource(axis.key) === 'cli');
      if (fixed) {
        throw new OptionError(`--${kebab(fixed.key)} is also in --grid; give ${fixed.key} in one place`);
      }
      if (flags.validationSplit === 0) {
        throw new OptionError('--validation-split must be above 0: trials are scored on that slice');
      }
      const configurations =
        flags.trials === undefined
          ? gridConfigurations(grid)
          : sampleConfigurations(grid, flags.trials, new Random(flags.seed));
      const base = trainerChoiceFromFlags(flags);
      const trainerFor = (configuration: Configuration) =>
        createTrainer(flags.model, applyConfiguration(base, configuration, parameters));
      await createTrainers(configurations, trainerFor); // every configuration checked before reading data
      await claimOutputsForCli(
        [
          { flag: '--out', dir: flags.out, kind: 'search' },
          { flag: '--report', dir: flags.report, kind: 'report' },
        ],
        flags,
      );
      useBackend(flags.backend);
      const { dataset } = await loadDataForCli(flags, command, { splits: ['train'], seed: flags.seed });
      process.stderr.write(
        `${flags.trials === undefined ? 'grid' : 'random'} search: ${configurations.length} configurations of ${flags.model}, best by ${flags.metric}\n`,
      );
      const progress = trainingProgress();
      const result = await runSearch(trainerFor, dataset, configurations, {
        validationSplit: flags.validationSplit,
        seed: flags.seed,
        metric: flags.metric,
        ...progress,
        onTrialBegin: (trial, trials, configuration) =>
          process.stderr.write(`trial ${trial}/${trials}: ${describeConfiguration(configuration)}\n`),
        onTrialEnd: (trial, trials) =>
          process.stderr.write(
            `trial ${trial.trial}/${trials}: ${METRIC_TITLES[flags.metric]} ${formatMetric(flags.metric, trial.metrics[flags.metric])} ` +
              `(${trial.seconds.toFixed(1)} s)\n`,
          ),
      });
      progress.stop();
      const json = searchJson(flags, grid, result);
      process.stdout.write(flags.json ? JSON.stringify(json) + '\n' : formatSearch(grid, result) + '\n');
      if (flags.out !== undefined) {
        const files = {
          'results.csv': searchCsv(grid, result),
          'results.json': JSON.stringify(json, null, 2) + '\n',
        };
        const marker = outputMarker('search', Object.keys(files));
        await writeDirectoryAtomically(flags.out, { ...files, [MANIFEST_FILE]: marker }, 'search');
        process.stderr.write(`wrote results.csv and results.json to ${flags.out}\n`);
      }
      if (flags.report !== undefined) {
        const report = searchReport(result, { model: flags.model, command: commandLine(command) });
        await writeReportForCli(flags.report, report);
      }
    });
}

function searchJson(flags: SearchFlags, grid: Grid, result: SearchResult) {
  return {
    model: flags.model,
    search: flags.trials === undefined ? 'grid' : 'random',
    grid: Object.fromEntries(grid.map((axis) => [axis.key, axis.values])),
    metric: result.metric,
    validationSplit: flags.validationSplit,
    seed: flags.seed,
    trainExamples: result.trainExamples,
    validationExamples: result.validationExamples,
    bestTrial: result.bestTrial,
    trials: result.trials.map((t) => ({ ...t, best: t.trial === result.bestTrial })),
  };
}

/** One row per trial, the best marked with '*', then a closing line naming it. */
function formatSearch(grid: Grid, result: SearchResult): string {
  const keys = grid.map((axis) => axis.key);
  const header = ['', 'trial', ...keys, ...HEADLINE_METRICS.map((m) => METRIC_TITLES[m]), 'seconds'];
  const rows = result.trials.map((t) => [
    t.trial === result.bestTrial ? '*' : '',
    String(t.trial),
    ...keys.map((k) => formatValue(t.configuration[k])),
    ...HEADLINE_METRICS.map((m) => formatMetric(m, t.metrics[m])),
    t.seconds.toFixed(1),
  ]);
  const best = result.trials.find((t) => t.trial === result.bestTrial)!;
  return [
    `${result.trials.length} trial${result.trials.length === 1 ? '' : 's'}, trained on ${result.trainExamples} reviews, scored on ${result.validationExamples} held out from the training split`,
    table([header, ...rows]),
    '',
    `best by ${METRIC_TITLES[result.metric]}: trial ${best.trial} (${describeConfiguration(best.configuration)}), ` +
      `${METRIC_TITLES[result.metric]} ${formatMetric(result.metric, best.metrics[result.metric])}`,
  ].join('\n');
}

function searchCsv(grid: Grid, result: SearchResult): string {
  const keys = grid.map((axis) => axis.key);
  return toCsv([
    ['trial', 'best', ...keys, ...HEADLINE_METRICS, 'seconds'],
    ...result.trials.map((t) => [
      t.trial,
      t.trial === result.bestTrial,
      ...keys.map((k) => formatValue(t.configuration[k])),
      ...HEADLINE_METRICS.map((m) => t.metrics[m]),
      t.seconds,
    ]),
  ]);
}
