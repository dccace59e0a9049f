import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  checkSameSplit,
  parseSplitRecord,
  SPLIT_RECORD_FILE,
  type SplitRecord,
} from '../data/split-record.js';
import type { DataReport } from '../data/load-dataset.js';
import type { Example } from '../data/types.js';
import type { ModelManifest } from '../persist/manifest.js';
import { readModelFile } from '../persist/model-dir.js';
import { isTransductive, TRANSDUCTIVE_NOTE } from '../experiments/transductive.js';
import { evaluationReport } from '../report/evaluation-report.js';
import { evaluateClassifier } from '../experiments/evaluate.js';
import { overlapWarning, trainingOverlap } from '../experiments/training-overlap.js';
import { backendOption, useBackend } from './backend-option.js';
import {
  addDataOptions,
  dataHelp,
  loadDataForCli,
  streamDataForCli,
  type DataFlags,
} from './dataset-option.js';
import { formatEvaluation } from './format.js';
import { checkLabelsForCli, EVALUATE_LABELS_HELP, strictLabelsOption } from './label-option.js';
import { nonNegativeInteger } from './options.js';
import { progressReporter } from './progress-bar.js';
import { claimOutputsForCli, overwriteOption } from './output-option.js';
import { evaluationData } from './recorded-data.js';
import { commandLine, REPORT_HELP, writeReportForCli } from './report-option.js';
import { loadModelForRuntime, runtimeOption } from './runtime-option.js';

interface EvaluateFlags extends DataFlags {
  stream: boolean;
  model: string;
  json: boolean;
  errors: number;
  report?: string;
  backend: string;
  runtime: string;
  strictLabels: boolean;
  overwrite: boolean;
}

export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description(
      'score a saved model on the test split: accuracy, precision / recall / F1 per label and macro, ROC AUC, log loss, confusion matrix. Data without a test split of its own is scored whole, unless the model was trained with --test-split on it: then exactly the rows held out then are scored',
    )
    .requiredOption('--model <dir>', 'model directory written by `polarity train`');
  addDataOptions(command, {
    testSplit: true,
    // Without --data, evaluate reads what the model was trained on, as its data-source.json records.
    dataHelp: dataHelp(
      'the data the model was trained on, when it recorded it and it still exists; else $POLARITY_DATA, then IMDB from the cache, downloaded when absent',
    ),
  })
    .option(
      '--stream',
      'read --data in passes and hold only its test rows, for data larger than memory (not IMDB)',
      false,
    )
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
    .addOption(strictLabelsOption(EVALUATE_LABELS_HELP))
    .addOption(backendOption())
    .addOption(runtimeOption())
    .addOption(overwriteOption())
    .action(async (flags: EvaluateFlags) => {
      await claimOutputsForCli([{ flag: '--report', dir: flags.report, kind: 'report' }], flags, [
        flags.model,
      ]);
      useBackend(flags.backend);
      const { classifier, manifest } = await loadModelForRuntime(flags.model, flags.runtime);
      const record = await readSplitRecord(flags.model, manifest);
      // Without --data: the data the model was trained on, when its directory records it.
      const source = await evaluationData(flags, command, flags.model, record !== undefined, manifest);
      const data = source.flags.data || process.env.POLARITY_DATA;
      // The model's own carve applies to the data it was made on (by name; the rows are checked below).
      const reuse =
        record !== undefined &&
        flags.testSplit === undefined &&
        data &&
        basename(resolve(data)) === record.source
          ? record
          : undefined;
      const load = {
        unsplit: 'test',
        testSplit: reuse?.fraction,
        seed: reuse?.seed,
        knownLabels: classifier.labels,
        knownLabelsFrom: "the model's labels",
        header: source.header,
      } as const;
      let test: Example[];
      let loaded: DataReport;
      if (flags.stream) {
        // Only the test rows are held: the first pass checks and carves, the second gathers them.
        const streamed = await streamDataForCli(source.flags, command, load);
        loaded = streamed.report;
        test = [];
        for await (const batch of streamed.batches('test')) test.push(...batch);
      } else {
        const read = await loadDataForCli(source.flags, command, { ...load, splits: ['test'] });
        loaded = read.report;
        test = [...read.dataset.test];
      }
      checkLabelsForCli([], loaded, { strict: flags.strictLabels, unknownMeans: "the model's labels" });
      if (reuse) {
        checkSameSplit(reuse, loaded.split!, resolve(data!));
        process.stderr.write(
          `scoring the ${reuse.test.length} test rows held out when the model was trained\n`,
        );
      }
      const warning = overlapWarning(await trainingOverlap(flags.model, test, manifest));
      if (warning) process.stderr.write(`${warning}\n`);
      const progress = progressReporter('evaluating');
      const report = await evaluateClassifier(classifier, test, {
        mistakes: flags.errors,
        rocCurve: flags.report !== undefined,
        onProgress: progress.onProgress,
      });
      progress.stop();
      classifier.dispose();
      // The curve is for the chart; --json prints what it printed before.
      const { rocCurve, ...printed } = report;
      const transductive = await isTransductive(flags.model, manifest);
      if (flags.json)
        process.stdout.write(JSON.stringify(transductive ? { ...printed, transductive } : printed) + '\n');
      else
        process.stdout.write(
          (transductive ? `${TRANSDUCTIVE_NOTE}\n` : '') + formatEvaluation(report) + '\n',
        );
      if (flags.report !== undefined) {
        const model = `${transductive ? 'transductive ' : ''}${classifier.kind} model in ${flags.model}`;
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

/** The record of the test split carved when the model (its `manifest`) was trained, if it was. */
async function readSplitRecord(dir: string, manifest: ModelManifest): Promise<SplitRecord | undefined> {
  if (!manifest.files[SPLIT_RECORD_FILE]) return undefined;
  const data = await readModelFile(dir, manifest, SPLIT_RECORD_FILE);
  return parseSplitRecord(data.toString('utf8'), `${dir}/${SPLIT_RECORD_FILE}`);
}
