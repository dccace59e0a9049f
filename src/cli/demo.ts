import { Option, type Command } from 'commander';
import { OptionError } from '../errors.js';
import { familyOfModel } from '../models/families.js';
import { evaluateClassifier } from '../experiments/evaluate.js';
import { createTrainer } from '../models/trainers.js';
import { backendOption, useBackend } from './backend-option.js';
import { addDataOptions, loadDataForCli, type DataFlags } from './dataset-option.js';
import { formatEvaluation } from './format.js';
import { claimOutputsForCli, overwriteOption } from './output-option.js';
import { progressReporter } from './progress-bar.js';
import { trainingProgress } from './training-progress.js';

const EXAMPLES = [
  'A wonderful film: moving, funny and beautifully acted. I would happily watch it again.',
  'Dull, predictable and far too long. The acting was wooden and I nearly walked out.',
];

/** The tutorial's model, trained by default; the demo offers the other models of its family too. */
const TUTORIAL_MODEL = 'mlp';

function tutorialModels(): readonly string[] {
  return familyOfModel(TUTORIAL_MODEL)?.models() ?? [TUTORIAL_MODEL];
}

interface DemoFlags extends DataFlags {
  model: string;
  out: string;
  backend: string;
  overwrite: boolean;
}

export function registerDemo(program: Command): void {
  const command = program
    .command('demo')
    .description(
      'the whole tutorial in one go (what `npm start` runs): find or download IMDB, train, evaluate on the test split, label two example reviews',
    );
  addDataOptions(command, { testSplit: true })
    .addOption(new Option('--model <name>', 'architecture').choices(tutorialModels()).default(TUTORIAL_MODEL))
    .option(
      '--out <dir>',
      'where to save the trained model (an earlier model there is replaced; anything else needs --overwrite)',
      'models/imdb-mlp',
    )
    .addOption(backendOption())
    .addOption(overwriteOption())
    .action(async (flags: DemoFlags) => {
      await claimOutputsForCli([{ flag: '--out', dir: flags.out, kind: 'model' }], flags);
      useBackend(flags.backend);
      const { dataset } = await loadDataForCli(flags, command, { splits: ['train', 'test'] });
      if (dataset.test.length === 0) {
        throw new OptionError(
          `${dataset.name} has no test split to evaluate on: give --test-split F to carve one`,
        );
      }
      const progress = trainingProgress();
      const classifier = await (await createTrainer(flags.model)).fit(dataset, progress);
      progress.stop();
      await classifier.save(flags.out);
      process.stderr.write(`saved the model, its vocabulary and preprocessing to ${flags.out}\n`);
      const evaluating = progressReporter('evaluating');
      const report = await evaluateClassifier(classifier, dataset.test, {
        onProgress: evaluating.onProgress,
      });
      evaluating.stop();
      process.stdout.write(`\nTest split (${dataset.test.length} reviews)\n${formatEvaluation(report)}\n\n`);
      const predictions = await classifier.predict(EXAMPLES);
      EXAMPLES.forEach((text, i) =>
        process.stdout.write(`${predictions[i].label} (${predictions[i].score.toFixed(3)})  ${text}\n`),
      );
      process.stdout.write(`\nNext: npm run polarity -- predict --model ${flags.out} "your own review"\n`);
      classifier.dispose();
    });
}
