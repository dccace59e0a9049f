import { Option, type Command } from 'commander';
import { families, familyOfKind, familyOfModel } from '../models/families.js';
import type { UntrainedSizes } from '../models/family.js';
import { loadClassifier } from '../models/load.js';
import { OptionError } from '../errors.js';
import { backendOption, useBackend } from './backend-option.js';
import { kebab } from './model-options.js';
import { formatHistory } from './format.js';
import { positiveInteger, positiveIntegerUpTo } from './options.js';

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
        `an architecture (${describableModels().join(', ')}) or a saved model directory (a network or fasttext)`,
      ).default('mlp'),
    )
    .option(
      '--num-words <n>',
      "size of the word-id space (default: the architecture's)",
      sizeParser('numWords'),
    )
    .option('--max-len <n>', "review length in ids (default: the architecture's)", sizeParser('maxLen'))
    .addOption(backendOption())
    .addHelpText('after', EXPLANATION)
    .action(async (flags: { model: string; numWords?: number; maxLen?: number; backend: string }) => {
      useBackend(flags.backend);
      const named = familyOfModel(flags.model);
      if (named?.summariseUntrained) {
        const sizes = { numWords: flags.numWords, maxLen: flags.maxLen };
        const text = await named.summariseUntrained(flags.model, sizes, (key) => `--${kebab(key)}`);
        process.stdout.write(text + '\n');
        return;
      }
      const classifier = await loadClassifier(flags.model);
      try {
        const family = familyOfKind(classifier.kind);
        if (!family?.summarise) {
          throw new OptionError(
            `${flags.model} is a ${classifier.kind} model; summary describes networks and fasttext`,
          );
        }
        const { text, history, keptEpoch } = await family.summarise(classifier);
        process.stdout.write(text + '\n');
        if (history?.length)
          process.stdout.write(`\nTraining history\n${formatHistory(history, keptEpoch)}\n`);
      } finally {
        classifier.dispose();
      }
    });
}

/** The model names the table can describe before training (the networks' architectures). */
function describableModels(): string[] {
  return families()
    .filter((family) => family.summariseUntrained)
    .flatMap((family) => [...family.models()]);
}

/**
 * The parser of a size flag: up to the largest ceiling of the families that describe models before
 * training (each family checks its own as it builds), so that a typo is refused before anything is built.
 */
function sizeParser(size: keyof UntrainedSizes): (value: string) => number {
  const ceilings = families().flatMap((family) => family.untrainedSizeCeilings?.[size] ?? []);
  return ceilings.length === 0 ? positiveInteger : positiveIntegerUpTo(Math.max(...ceilings));
}
