/**
 * Flat options of one model become the nested trainer choice at each declaration's place, as the
 * CLI's flags of the same options do; what the model does not take is refused before anything runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { addModelFlags, trainerChoiceFromFlags, type ModelFlags } from '../../src/cli/model-options.js';
import { OptionError } from '../../src/errors.js';
import { unregisterFamily } from '../../src/models/families.js';
import { trainerChoiceOf } from '../../src/models/flat-options.js';

/** The trainer choice the CLI makes of `argv` (model flags only). */
function cliChoice(argv: string[]) {
  const command = addModelFlags(new Command().option('--model <name>').exitOverride(), { members: true });
  command.parse(argv, { from: 'user' });
  return trainerChoiceFromFlags(command.opts<ModelFlags>());
}

describe('trainerChoiceOf', () => {
  it('puts each option where its declaration says, for every built-in family', () => {
    assert.deepEqual(trainerChoiceOf('nbsvm', { minDf: 2, c: 0.5 }), { linear: { minDf: 2, c: 0.5 } });
    assert.deepEqual(trainerChoiceOf('mlp', { epochs: 1, skipTop: 3 }), {
      neural: { hyperParameters: { epochs: 1 }, vocabulary: { skipTop: 3 } },
    });
    assert.deepEqual(trainerChoiceOf('fasttext', { dim: 8 }), { fasttext: { dim: 8 } });
    assert.deepEqual(trainerChoiceOf('ensemble', { members: ['nb', 'nbsvm'], validationSplit: 0.2 }), {
      members: ['nb', 'nbsvm'],
      ensembleValidationSplit: 0.2,
    });
  });

  it('gives the choice the CLI gives for the same options as flags', () => {
    // The CLI's flags carry commander's defaults (--optimizer adam), so the flat options name it too.
    const flat = trainerChoiceOf('cnn', { epochs: 2, filters: 8, padding: 'post', optimizer: 'adam' });
    const flags = cliChoice(['--model', 'cnn', '--epochs', '2', '--filters', '8', '--padding', 'post']);
    assert.deepEqual(flat.neural?.hyperParameters, flags.neural?.hyperParameters);
    assert.equal(flat.neural?.padding, flags.neural?.padding);
  });

  it('leaves an undefined option out, so that the family keeps its default', () => {
    assert.deepEqual(trainerChoiceOf('nbsvm', { minDf: undefined }), {});
  });

  it("refuses another family's option, an option another model of the family reads, and an option without the one it needs", () => {
    assert.throws(() => trainerChoiceOf('nbsvm', { dim: 8 }), /dim is not an option of model nbsvm/);
    assert.throws(() => trainerChoiceOf('mlp', { units: 8 }), /units does not apply to model mlp/);
    assert.throws(
      () => trainerChoiceOf('mlp', { freezeEmbeddings: true }),
      /freezeEmbeddings needs embeddings/,
    );
    assert.throws(() => trainerChoiceOf('nope', {}), OptionError);
  });

  it("runs the family's own check before any data is read (a network over the size ceilings)", () => {
    assert.throws(() => trainerChoiceOf('mlp', { numWords: 10_000_000 }), OptionError);
  });

  describe('for a registered family', () => {
    before(async () => {
      await import('../helpers/toy-family/register.js');
    });
    after(() => unregisterFamily('toy'));

    it('reads its declarations from the table like the built-in ones', () => {
      assert.deepEqual(trainerChoiceOf('word-vote', { smoothing: 2 }), { wordVote: { smoothing: 2 } });
      assert.throws(() => trainerChoiceOf('word-vote', { minDf: 2 }), OptionError);
    });
  });
});
