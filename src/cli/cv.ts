import { extname } from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import {
  DEFAULT_FOLDS,
  runCrossValidation,
  type CrossValidationResult,
  type FoldResult,
} from '../experiments/cross-validation.js';
import { crossValidationReport } from '../report/results-report.js';
import { HEADLINE_METRICS } from '../experiments/headline-metrics.js';
import { createTrainer, trainableModels } from '../models/trainers.js';
import { checkOutputFile, outputsOverlap } from '../persist/output-dir.js';
import { writeFileAtomically } from '../util/atomic-file.js';
import { toCsv } from '../util/csv.js';
import { backendOption, useBackend } from './backend-option.js';
import { addDataOptions, loadDataForCli, type DataFlags } from './dataset-option.js';
import { formatMetric, formatSpread, METRIC_TITLES, table } from './format.js';
import {
  addModelFlags,
  checkModelFlags,
  modelOption,
  trainerChoiceFromFlags,
  type ModelFlags,
} from './model-options.js';
import { nonNegativeInteger, positiveInteger } from './options.js';
import { claimOutputsForCli, commandInputs, overwriteOption } from './output-option.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';
import { trainingProgress } from './training-progress.js';

interface CvFlags extends ModelFlags, DataFlags {
  folds: number;
  seed: number;
  json: boolean;
  out?: string;
  report?: string;
  backend: string;
  overwrite: boolean;
}

export function registerCv(program: Command): void {
  const command = program
    .command('cv')
    .description(
      'stratified k-fold cross-validation on the training split (never the test split): each fold scored by a model trained on the others, then the mean ± standard deviation of each metric',
    );
  addDataOptions(command, { testSplit: true })
    .addOption(modelOption(trainableModels(), 'mlp'))
    .option('--folds <k>', 'number of folds, at least 2', positiveInteger, DEFAULT_FOLDS)
    .option(
      '--seed <n>',
      'seed of the fold assignment and of every fold’s training (same seed, same folds and models)',
      nonNegativeInteger,
      42,
    )
    .option(
      '--json',
      'print one JSON object (each fold’s metrics and confusion matrix, summary) instead of tables',
      false,
    )
    .option(
      '--out <file>',
      'also write the results to FILE.csv (one row per fold, then mean and std) or FILE.json (an earlier cv result there is replaced; any other file needs --overwrite)',
    )
    .option('--report <dir>', `${REPORT_HELP}: scores per fold, mean ± std, confusion matrix of all folds`)
    .addOption(backendOption())
    .addOption(overwriteOption());
  addModelFlags(command, { members: true }).action(async (flags: CvFlags, command: Command) => {
    checkModelFlags(flags, command);
    if (flags.folds < 2) throw new OptionError(`--folds must be at least 2, got ${flags.folds}`);
    const format = flags.out === undefined ? undefined : outputFormat(flags.out);
    // A saved member was trained on data that the folds hold out, which would inflate every score.
    const saved = (flags.members ?? []).filter((m) => !trainableModels().includes(m));
    if (saved.length > 0) {
      throw new OptionError(
        `cv trains every member afresh on each fold; give member names (${trainableModels().join(', ')}), not saved models: ${saved.join(', ')}`,
      );
    }
    await claimOutputsForCli([{ flag: '--report', dir: flags.report, kind: 'report' }], flags);
    if (flags.out !== undefined) {
      if (flags.report !== undefined && outputsOverlap(flags.out, flags.report)) {
        throw new OptionError(`--out ${flags.out} must not be inside --report ${flags.report}`);
      }
      await checkOutputFile(flags.out, isCvOutput, {
        overwrite: flags.overwrite,
        inputs: commandInputs(flags),
        flag: '--out',
      });
    }
    useBackend(flags.backend);
    const choice = trainerChoiceFromFlags(flags);
    const { dataset } = await loadDataForCli(flags, command, { splits: ['train'], seed: flags.seed });
    const progress = trainingProgress();
    const result = await runCrossValidation(() => createTrainer(flags.model, choice), dataset, {
      folds: flags.folds,
      seed: flags.seed,
      ...progress,
      onFoldBegin: (fold, folds, sizes) =>
        process.stderr.write(
          `fold ${fold}/${folds}: training ${flags.model} on ${sizes.train} reviews, scoring ${sizes.test}\n`,
        ),
      onFoldEnd: (fold, folds) =>
        process.stderr.write(
          `fold ${fold.fold}/${folds}: accuracy ${formatMetric('accuracy', fold.metrics.accuracy)}, ` +
            `f1 ${formatMetric('f1', fold.metrics.f1)}, roc auc ${formatMetric('rocAuc', fold.metrics.rocAuc)} ` +
            `(${fold.seconds.toFixed(1)} s)\n`,
        ),
    });
    progress.stop();
    const json = cvJson(flags, result);
    process.stdout.write(flags.json ? JSON.stringify(json) + '\n' : formatCrossValidation(result) + '\n');
    if (flags.out !== undefined) {
      await writeFileAtomically(
        flags.out,
        format === 'csv' ? cvCsv(result) : JSON.stringify(json, null, 2) + '\n',
      );
      process.stderr.write(`wrote ${flags.out}\n`);
    }
    if (flags.report !== undefined) {
      const report = crossValidationReport(result, { model: flags.model, command: commandLine(command) });
      await writeReportForCli(flags.report, report);
    }
  });
}

function outputFormat(file: string): 'csv' | 'json' {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.json') return extension === '.csv' ? 'csv' : 'json';
  throw new OptionError(`--out must name a .csv or .json file, got "${file}"`);
}

/** The start of a file `cv --out` wrote: its CSV header, or its JSON's first two fields. */
function isCvOutput(start: string): boolean {
  return start.startsWith('fold,train,test,') || /^\{\s*"model": "[^"]*",\s*"k": \d+,/.test(start);
}

function cvJson(flags: CvFlags, result: CrossValidationResult) {
  return {
    model: flags.model,
    k: flags.folds,
    seed: flags.seed,
    folds: result.folds.map(foldJson),
    summary: result.summary,
  };
}

function foldJson({ report, ...fold }: FoldResult) {
  return { ...fold, perLabel: report.perLabel, confusion: report.confusion };
}

function formatCrossValidation(result: CrossValidationResult): string {
  const header = ['fold', 'train', 'test', ...HEADLINE_METRICS.map((m) => METRIC_TITLES[m]), 'seconds'];
  const rows = result.folds.map((f) => [
    String(f.fold),
    String(f.trainExamples),
    String(f.testExamples),
    ...HEADLINE_METRICS.map((m) => formatMetric(m, f.metrics[m])),
    f.seconds.toFixed(1),
  ]);
  const summary = HEADLINE_METRICS.map((m) => [METRIC_TITLES[m], formatSpread(m, result.summary[m])]);
  return [
    table([header, ...rows]),
    '',
    `mean ± standard deviation over ${result.folds.length} folds`,
    table(summary),
  ].join('\n');
}

function cvCsv(result: CrossValidationResult): string {
  return toCsv([
    ['fold', 'train', 'test', ...HEADLINE_METRICS, 'seconds'],
    ...result.folds.map((f) => [
      f.fold,
      f.trainExamples,
      f.testExamples,
      ...HEADLINE_METRICS.map((m) => f.metrics[m]),
      f.seconds,
    ]),
    ['mean', '', '', ...HEADLINE_METRICS.map((m) => result.summary[m].mean), ''],
    ['std', '', '', ...HEADLINE_METRICS.map((m) => result.summary[m].std), ''],
  ]);
}
