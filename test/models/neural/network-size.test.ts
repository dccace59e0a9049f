/**
 * The network sizes worked out from hyper-parameters (models/neural/network-size.ts): they match what TF.js
 * builds for every architecture, today's defaults fit, and a network over a ceiling is refused by
 * name before anything is built.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend } from '../../../src/engine/index.js';
import { OptionError } from '../../../src/errors.js';
import { resolveFastTextOptions } from '../../../src/models/fasttext/fasttext-options.js';
import type { NeuralHyperParameters } from '../../../src/models/neural/neural-config.js';
import {
  MAX_NETWORK_PARAMETERS,
  MAX_TRAINING_BYTES,
  networkSize,
} from '../../../src/models/neural/network-size.js';
import { architecture, hyperParametersFor, modelNames } from '../../../src/models/neural/registry.js';

before(() => initBackend({ backend: 'wasm' }));

const SMALL: Partial<NeuralHyperParameters> = {
  numWords: 60,
  maxLen: 12,
  embeddingDim: 6,
  hiddenUnits: 7,
  filters: 5,
  filterSizes: [2, 3],
  units: 4,
};

describe('network sizes', () => {
  for (const name of modelNames()) {
    for (const labels of [2, 3]) {
      it(`${name} with ${labels} labels: the parameters worked out equal those TF.js builds`, () => {
        const params = hyperParametersFor(name, SMALL);
        const model = architecture(name).build(params, labels, 1);
        const parts = architecture(name).size(params, labels);
        assert.equal(networkSize(parts, params.batchSize).parameters, model.countParams());
        model.dispose();
      });
    }
    it(`${name}: its defaults are well under the ceilings`, () => {
      const params = hyperParametersFor(name);
      const size = networkSize(architecture(name).size(params, 2), params.batchSize);
      assert.ok(size.parameters < MAX_NETWORK_PARAMETERS / 10, `${size.parameters} parameters`);
      assert.ok(size.trainingBytes < MAX_TRAINING_BYTES / 4, `${size.trainingBytes} bytes`);
    });
  }

  it('refuses a network over the parameter ceiling, naming the hyper-parameters that make it', () => {
    assert.throws(
      () => hyperParametersFor('mlp', { maxLen: 100_000, embeddingDim: 4096 }),
      (error: Error) =>
        error instanceof OptionError &&
        /the mlp network .* 102,420,480,501 parameters .* over the ceiling of 250,000,000 parameters and 4 GiB: lower maxLen \(100,000\), embeddingDim \(4,096\) or hiddenUnits \(250\)/.test(
          error.message,
        ),
    );
  });

  it('refuses a network whose activations of one batch are over the memory ceiling, naming the batch size', () => {
    // 1.3 million parameters, but 128 reviews × 100,000 steps × 5 × 64 values of the LSTM's gates.
    assert.throws(
      () => hyperParametersFor('lstm', { maxLen: 100_000 }),
      /the lstm network .* 1,313,089 parameters and need about 36\.6 GiB .* lower maxLen \(100,000\), units \(64\) or batchSize \(128\)$/,
    );
    assert.doesNotThrow(() => hyperParametersFor('lstm', { maxLen: 100_000, batchSize: 8 }));
  });

  it('names a single size over its own bound, through the namer a CLI passes', () => {
    assert.throws(
      () => hyperParametersFor('gru', { embeddingDim: 100_000_000 }, (key) => `--${key}!`),
      /^OptionError: --embeddingDim! 100,000,000 is over its ceiling of 4,096$/,
    );
  });

  it("fastText's bucket matrix is held to the parameter ceiling", () => {
    assert.throws(
      () => resolveFastTextOptions({ buckets: 60_000_000, dim: 1000 }),
      /buckets 60,000,000 × dim 1,000 = 60,000,000,000 parameters, over the ceiling of 250,000,000: lower buckets or dim/,
    );
    assert.doesNotThrow(() => resolveFastTextOptions({ buckets: 60_000_000, dim: 1000, ngrams: 1 }));
    assert.doesNotThrow(
      () => resolveFastTextOptions({ buckets: 2_000_000, dim: 100 }),
      "fastText's own defaults",
    );
  });
});
