import { initBackend } from '../../src/engine/index.js';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import { NeuralTrainer } from '../../src/models/neural/neural-trainer.js';
import { imdbSample } from './fixtures.js';
import { toyDataset } from './toy.js';

/** Trains NBSVM on the IMDB sample fixture (under a second) and saves it to `dir`. */
export async function saveSampleNbsvm(dir: string): Promise<void> {
  const classifier = await new LinearTrainer({ model: 'nbsvm' }).fit(await imdbSample(), { seed: 1 });
  await classifier.save(dir);
  classifier.dispose();
}

/** Toy texts the toy MLP below was trained on the shape of: "a good fine film number N" and "a bad awful film number N". */
export const TOY_POSITIVE = 'a good fine film number 7';
export const TOY_NEGATIVE = 'a bad awful film number 8';

/** A small MLP that learns the toy dataset in a few seconds. */
export const TOY_MLP_OPTIONS = {
  model: 'mlp',
  hyperParameters: {
    numWords: 40,
    maxLen: 12,
    hiddenUnits: 16,
    epochs: 8,
    batchSize: 16,
    learningRate: 0.01,
  },
} as const;

/**
 * Trains a small MLP on the toy dataset (a few seconds) and saves it to `dir`: a neural model, which
 * has no explanation of its own.
 */
export async function saveToyMlp(dir: string): Promise<void> {
  await initBackend({ backend: 'wasm' });
  const classifier = await new NeuralTrainer(TOY_MLP_OPTIONS).fit(toyDataset(64), { seed: 1 });
  await classifier.save(dir);
  classifier.dispose();
}
