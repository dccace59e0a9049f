import type { Command } from 'commander';
import { readTextInputs } from '../data/text-input.js';
import { OptionError } from '../errors.js';
import type { Classifier, Prediction } from '../models/classifier.js';
import { loadClassifier } from '../models/load.js';
import { backendOption, startBackend } from './backend-option.js';

/** Inputs are scored this many at a time: big enough for fast batched inference, small enough to stream. */
const BATCH = 512;

interface PredictFlags {
  model: string;
  input?: string;
  json: boolean;
  backend: string;
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('label raw text with a saved model')
    .argument('[text...]', 'texts to label (quote each one)')
    .requiredOption('--model <dir>', 'model directory written by `polarity train`')
    .option(
      '--input <file>',
      'read texts from a file (- for stdin): one per line, or JSON Lines with a "text" field; writes one JSON line per input, in order',
    )
    .option('--json', 'print one JSON object per text: {"text","label","score","scores"}', false)
    .addOption(backendOption())
    .action(async (texts: string[], flags: PredictFlags) => {
      if (texts.length === 0 && !flags.input) throw new OptionError('give texts to label, or --input FILE');
      await startBackend(flags.backend);
      const classifier = await loadClassifier(flags.model);
      try {
        if (texts.length > 0) {
          const predictions = await classifier.predict(texts);
          texts.forEach((text, i) =>
            process.stdout.write(formatPrediction(text, predictions[i], flags.json) + '\n'),
          );
        }
        if (flags.input) await predictFile(classifier, flags.input);
      } finally {
        classifier.dispose();
      }
    });
}

async function predictFile(classifier: Classifier, file: string): Promise<void> {
  let pending: string[] = [];
  const flush = async () => {
    const predictions = await classifier.predict(pending);
    process.stdout.write(predictions.map((p) => JSON.stringify(p)).join('\n') + '\n');
    pending = [];
  };
  for await (const { text } of readTextInputs(file)) {
    pending.push(text);
    if (pending.length === BATCH) await flush();
  }
  if (pending.length > 0) await flush();
}

function formatPrediction(text: string, prediction: Prediction, json: boolean): string {
  if (json) return JSON.stringify({ text, ...prediction });
  const preview = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${prediction.label}\t${prediction.score.toFixed(4)}\t${preview}`;
}
