/**
 * How a network's epoch is cut into batches: --bucket-by-length / --no-bucket-by-length reach the
 * trainer and its manifest, bucketed batches follow the seed and hold reviews of similar length;
 * and the padding-skipping twin (skipPadding) trains to the plain network's predictions.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Command } from 'commander';
import { addModelFlags, trainerChoiceFromFlags, type ModelFlags } from '../../../src/cli/model-options.js';
import { initBackend } from '../../../src/engine/index.js';
import { bucketByLength } from '../../../src/models/neural/length-buckets.js';
import { NeuralTrainer } from '../../../src/models/neural/neural-trainer.js';
import { Random } from '../../../src/util/random.js';
import { TOY_MLP_OPTIONS } from '../../helpers/models.js';
import { toyDataset } from '../../helpers/toy.js';

before(() => initBackend({ backend: 'wasm' }));

function cliChoice(argv: string[]) {
  const command = addModelFlags(new Command().option('--model <name>').exitOverride(), { members: true });
  command.parse(argv, { from: 'user' });
  return trainerChoiceFromFlags(command.opts<ModelFlags>());
}

describe('--bucket-by-length', () => {
  it('reaches the trainer options either way, and is left to the model when not given', () => {
    assert.equal(cliChoice(['--model', 'lstm', '--no-bucket-by-length']).neural?.bucketByLength, false);
    assert.equal(cliChoice(['--model', 'mlp', '--bucket-by-length']).neural?.bucketByLength, true);
    assert.equal(cliChoice(['--model', 'gru']).neural?.bucketByLength, undefined);
  });

  it('is recorded in the manifest: off by default for mlp, on when asked, and the same with the same seed', async () => {
    const toy = toyDataset(64);
    const plain = await new NeuralTrainer(TOY_MLP_OPTIONS).fit(toy, { seed: 3 });
    assert.equal(plain.provenance.training.bucketByLength, false);
    const options = {
      ...TOY_MLP_OPTIONS,
      hyperParameters: { ...TOY_MLP_OPTIONS.hyperParameters, epochs: 2 },
    };
    const [a, b] = [
      await new NeuralTrainer({ ...options, bucketByLength: true }).fit(toy, { seed: 3 }),
      await new NeuralTrainer({ ...options, bucketByLength: true }).fit(toy, { seed: 3 }),
    ];
    assert.equal(a.provenance.training.bucketByLength, true);
    const texts = ['good film', 'awful number 3', 'film'];
    assert.deepEqual(await a.predict(texts), await b.predict(texts));
    [plain, a, b].forEach((c) => c.dispose());
  });

  it('draws batches of much smaller length spread than random ones on IMDB-like lengths', () => {
    const random = new Random(9);
    // Log-normal lengths around a median of 173 ids, cut at 500, as IMDB's reviews.
    const lengths = Array.from({ length: 25_000 }, () => {
      const z = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
      return Math.min(500, Math.round(Math.exp(Math.log(173) + 0.75 * z)));
    });
    const order = random.shuffle(Array.from({ length: lengths.length }, (_, i) => i));
    const meanSpread = (o: readonly number[]): number => {
      let sum = 0;
      let batches = 0;
      for (let b = 0; b < o.length; b += 128, batches++) {
        const batch = o.slice(b, b + 128).map((i) => lengths[i]);
        sum += Math.max(...batch) - Math.min(...batch);
      }
      return sum / batches;
    };
    const bucketed = meanSpread(bucketByLength(order, lengths, 128, new Random(1)));
    const shuffled = meanSpread(order);
    // Measured: about 100 ids against 474 (a window of 50 batches spans a fiftieth of the lengths).
    assert.ok(bucketed * 3 < shuffled, `spread ${bucketed} bucketed against ${shuffled} at random`);
  });
});

describe('skipPadding', () => {
  it('trains the mlp and cnn to the plain training run’s predictions', async () => {
    const toy = toyDataset(64);
    const texts = ['a good fine film number 99', 'a bad awful film number 98', 'film'];
    for (const model of ['mlp', 'cnn']) {
      // 30 ids: two chunks of positions for the mlp, one of 15 pooled positions for the cnn.
      const options = {
        ...TOY_MLP_OPTIONS,
        model,
        hyperParameters: { ...TOY_MLP_OPTIONS.hyperParameters, maxLen: 30, epochs: 3 },
      };
      const plain = await new NeuralTrainer(options).fit(toy, { seed: 4 });
      const skipping = await new NeuralTrainer({ ...options, skipPadding: true }).fit(toy, { seed: 4 });
      const [p, s] = [await plain.predict(texts), await skipping.predict(texts)];
      p.forEach((prediction, i) =>
        assert.ok(
          Math.abs(prediction.score - s[i].score) < 1e-3,
          `${model}: ${prediction.score} vs ${s[i].score}`,
        ),
      );
      plain.dispose();
      skipping.dispose();
    }
  });
});
