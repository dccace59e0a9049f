import type { Command } from 'commander';
import { explainText } from '../explain/explain-text.js';
import { loadClassifier } from '../models/load.js';
import { backendOption, useBackend } from './backend-option.js';
import { positiveInteger } from './options.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('label a text and list the words or n-grams that pushed the prediction most, each way')
    .argument('<text>', 'the text to explain (quote it)')
    .requiredOption(
      '--model <dir>',
      'model directory written by `polarity train` (nb, linear and nbsvm models list their n-gram weights, fasttext its words and bigrams; the others are explained by occlusion: the drop in probability when each word is removed)',
    )
    .option('--top <n>', 'how many n-grams or words to list in each direction', positiveInteger, 10)
    .option(
      '--json',
      'print {"label","score","scores","method","attributions":[{"token","weight"}],"words":[{"start","end","weight"}]} in full',
      false,
    )
    .addOption(backendOption())
    .action(async (text: string, flags: { model: string; top: number; json: boolean; backend: string }) => {
      useBackend(flags.backend);
      const classifier = await loadClassifier(flags.model);
      try {
        const { prediction, method, attributions, words } = await explainText(classifier, text);
        if (flags.json) {
          const spans = words.map(({ start, end, weight }) => ({ start, end, weight }));
          process.stdout.write(JSON.stringify({ ...prediction, method, attributions, words: spans }) + '\n');
          return;
        }
        const towards = attributions.filter((a) => a.weight > 0).slice(0, flags.top);
        const against = attributions.filter((a) => a.weight < 0).slice(0, flags.top);
        const list = (items: typeof attributions) =>
          items.length === 0
            ? '  (none)'
            : items.map((a) => `  ${a.weight >= 0 ? '+' : ''}${a.weight.toFixed(4)}  ${a.token}`).join('\n');
        const how = method === 'occlusion' ? ' (by occlusion: probability lost without the word)' : '';
        process.stdout.write(
          `${prediction.label} (${prediction.score.toFixed(4)})${how}\n` +
            `pushed towards ${prediction.label}:\n${list(towards)}\n` +
            `pushed against ${prediction.label}:\n${list(against)}\n`,
        );
      } finally {
        classifier.dispose();
      }
    });
}
