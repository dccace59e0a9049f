import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { loadClassifier } from '../models/load.js';
import { backendOption, startBackend } from './backend-option.js';
import { positiveInteger } from './options.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('label a text and list the words or n-grams that pushed the prediction most, each way')
    .argument('<text>', 'the text to explain (quote it)')
    .requiredOption(
      '--model <dir>',
      'model directory written by `polarity train` (nb, linear, nbsvm and fasttext models explain themselves)',
    )
    .option('--top <n>', 'how many n-grams to list in each direction', positiveInteger, 10)
    .option(
      '--json',
      'print {"label","score","attributions":[{"token","weight"}]} with every attribution',
      false,
    )
    .addOption(backendOption())
    .action(async (text: string, flags: { model: string; top: number; json: boolean; backend: string }) => {
      await startBackend(flags.backend);
      const classifier = await loadClassifier(flags.model);
      try {
        if (!classifier.explain) {
          throw new OptionError(
            `a ${classifier.kind} model has no explanation yet; nb, linear, nbsvm and fasttext models have one`,
          );
        }
        const [prediction] = await classifier.predict([text]);
        const attributions = await classifier.explain(text);
        if (flags.json) {
          process.stdout.write(JSON.stringify({ ...prediction, attributions }) + '\n');
          return;
        }
        const towards = attributions.filter((a) => a.weight > 0).slice(0, flags.top);
        const against = attributions.filter((a) => a.weight < 0).slice(0, flags.top);
        const list = (items: typeof attributions) =>
          items.length === 0
            ? '  (none)'
            : items.map((a) => `  ${a.weight >= 0 ? '+' : ''}${a.weight.toFixed(4)}  ${a.token}`).join('\n');
        process.stdout.write(
          `${prediction.label} (${prediction.score.toFixed(4)})\n` +
            `pushed towards ${prediction.label}:\n${list(towards)}\n` +
            `pushed against ${prediction.label}:\n${list(against)}\n`,
        );
      } finally {
        classifier.dispose();
      }
    });
}
