import { Option, type Command } from 'commander';
import type { EpochRecord } from '../models/classifier.js';
import { FastTextClassifier } from '../models/fasttext/fasttext-classifier.js';
import { fastTextSummary } from '../models/fasttext/summary.js';
import { NeuralClassifier } from '../models/neural/neural-classifier.js';
import { epochHistory } from '../models/history.js';
import { loadClassifier } from '../models/load.js';
import { architecture, hyperParametersFor, modelNames } from '../models/neural/registry.js';
import { MAX_NEURAL_SIZES } from '../models/neural/network-size.js';
import { modelSummary } from '../models/summary.js';
import { OptionError } from '../errors.js';
import { backendOption, startBackend } from './backend-option.js';
import { kebab } from './model-options.js';
import { formatHistory } from './format.js';
import { positiveIntegerUpTo } from './options.js';

const EXPLANATION = `
Where the parameter counts come from (mlp and cnn, defaults):
  embedding  5,000 words × 32 dimensions                          = 160,000
  conv1d     32 filters × (3 positions × 32 inputs) + 32 biases   = 3,104
  hidden     MLP: 500 × 32 = 16,000 inputs × 250 units + 250      = 4,000,250
             CNN: 250 × 32 = 8,000 inputs (after pooling by 2) × 250 + 250 = 2,000,250
  output     250 weights + 1 bias                                  = 251
cnn-global: one Conv1D per width w in --filter-sizes, each filters × (w × embedding) + filters;
  each is max-pooled over the whole review to one value per filter, so the hidden layer sees
  filters × widths inputs whatever the review length: (filters × widths + 1) × hidden units.
lstm, gru: 4 (LSTM) or 3 (GRU) gates, each (embedding + units + 1) × units; bilstm has two LSTMs
  (one reading backwards) and concatenates their states, so its output layer sees 2 × units. The
  last state or, with --pooling max, each feature's maximum over all states: no weights either way.`;

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description(
      'print a Keras-style table of layers, output shapes and parameter counts (and, for a saved model, its training history)',
    )
    .addOption(
      new Option(
        '--model <name|dir>',
        `an architecture (${modelNames().join(', ')}) or a saved model directory (a network or fasttext)`,
      ).default('mlp'),
    )
    .option(
      '--num-words <n>',
      "size of the word-id space (default: the architecture's)",
      positiveIntegerUpTo(MAX_NEURAL_SIZES.numWords),
    )
    .option(
      '--max-len <n>',
      "review length in ids (default: the architecture's)",
      positiveIntegerUpTo(MAX_NEURAL_SIZES.maxLen),
    )
    .addOption(backendOption())
    .addHelpText('after', EXPLANATION)
    .action(async (flags: { model: string; numWords?: number; maxLen?: number; backend: string }) => {
      await startBackend(flags.backend);
      if (modelNames().includes(flags.model)) {
        const params = hyperParametersFor(
          flags.model,
          { numWords: flags.numWords, maxLen: flags.maxLen },
          (key) => `--${kebab(key)}`,
        );
        const model = architecture(flags.model).build(params, 2, 0);
        process.stdout.write(modelSummary(model) + '\n');
        model.dispose();
        return;
      }
      const classifier = await loadClassifier(flags.model);
      try {
        let history: readonly EpochRecord[] | undefined;
        let kept: number | undefined;
        if (classifier instanceof FastTextClassifier) {
          process.stdout.write(fastTextSummary(classifier) + '\n');
          history = epochHistory(classifier.provenance.training);
        } else if (classifier instanceof NeuralClassifier) {
          process.stdout.write(modelSummary(classifier.model) + '\n');
          history = classifier.history;
          const stopping = classifier.provenance.training.earlyStopping;
          kept = stopping?.restored ? stopping.bestEpoch : undefined;
        } else {
          throw new OptionError(
            `${flags.model} is a ${classifier.kind} model; summary describes networks and fasttext`,
          );
        }
        if (history?.length) process.stdout.write(`\nTraining history\n${formatHistory(history, kept)}\n`);
      } finally {
        classifier.dispose();
      }
    });
}
