/**
 * The option declaration kit: one declaration gives a flag with its help and default, a parser with
 * its bounds (the flag named when a value is refused), and a search grid key read by the same parser.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, CommanderError } from 'commander';
import { addFamilyFlags, trainerChoiceFromFlags } from '../../src/cli/model-options.js';
import { familyOptions } from '../../src/models/family-options.js';
import {
  gridDeclarations,
  gridParser,
  integer,
  integerList,
  oneOf,
  setIn,
  type FamilyOptions,
} from '../../src/models/options.js';
import { gridParameters, parseGrid } from '../../src/experiments/search.js';

/** A family of two toy models, declared as the real families are. */
const TOY: FamilyOptions = {
  family: 'toy',
  models: () => ['toy-a', 'toy-b'],
  label: 'toy',
  path: ['toy'],
  declarations: [
    {
      key: 'toyWidth',
      value: integer({ ceiling: 64 }),
      help: 'width of the toy',
      default: (model) => (model === 'toy-a' ? 8 : 16),
      search: true,
    },
    { key: 'toyMode', value: oneOf(['fast', 'slow']), help: 'how it plays', flag: { default: 'fast' } },
    { key: 'toySizes', value: integerList(), help: 'sizes of its parts', search: true, target: ['parts'] },
    { key: 'toyOnly', value: integer(), help: 'only toy-b reads it', models: () => ['toy-b'] },
  ],
};

function toyCommand(): Command {
  const command = new Command('toy').exitOverride().configureOutput({ writeErr: () => {} });
  command.configureHelp({ helpWidth: 200 });
  return addFamilyFlags(command, [TOY]);
}

function parseError(args: string[]): string {
  try {
    toyCommand().parse(args, { from: 'user' });
  } catch (error) {
    assert.ok(error instanceof CommanderError);
    return error.message;
  }
  assert.fail(`${args.join(' ')} was accepted`);
}

describe('an option declared once', () => {
  it('becomes a flag with its help, its tag and its defaults per model', () => {
    const help = toyCommand().helpInformation();
    assert.match(help, /--toy-width <n> +\[toy\] width of the toy \(defaults: toy-a 8; toy-b 16\)\n/);
    assert.match(
      help,
      /--toy-mode <name> +\[toy\] how it plays \(choices: "fast", "slow", default: "fast"\)\n/,
    );
    assert.match(help, /--toy-sizes <list> +\[toy\] sizes of its parts\n/);
    assert.match(help, /--toy-only <n> +\[toy-b\] only toy-b reads it\n/);
  });

  it('is parsed within its bounds, a value out of them refused naming the flag', () => {
    const command = toyCommand().parse(['--toy-width', '64', '--toy-sizes', '3,4'], { from: 'user' });
    assert.deepEqual(command.opts(), { toyWidth: 64, toyMode: 'fast', toySizes: [3, 4] });
    assert.equal(
      parseError(['--toy-width', '65']),
      `error: option '--toy-width <n>' argument '65' is invalid. expected a positive integer of at most 64, got "65"`,
    );
    assert.match(parseError(['--toy-width', 'wide']), /'--toy-width <n>'.*expected a positive integer/);
    assert.match(
      parseError(['--toy-sizes', '3,x']),
      /'--toy-sizes <list>'.*expected comma-separated positive/,
    );
    assert.match(parseError(['--toy-mode', 'loud']), /Allowed choices are fast, slow/);
  });

  it('is a search grid key read by the same parser, set where the flag sets it', () => {
    const parameters = gridParameters(TOY, gridDeclarations(TOY, 'toy-a'));
    assert.deepEqual(Object.keys(parameters), ['toyWidth', 'toySizes']);
    assert.equal(parameters.toyWidth.expected, TOY.declarations[0].value.expected);
    assert.deepEqual(parseGrid('toyWidth=8,64;toySizes=[3,4],[5]', parameters, 'toy-a'), [
      { key: 'toyWidth', values: [8, 64] },
      { key: 'toySizes', values: [[3, 4], [5]] },
    ]);
    assert.throws(
      () => parseGrid('toyWidth=65', parameters, 'toy-a'),
      /--grid toyWidth=65: expected a positive integer of at most 64/,
    );
    const choice = parameters.toySizes.apply({}, [3, 4]) as Record<string, unknown>;
    assert.deepEqual(choice, { toy: { parts: [3, 4] } });
  });

  it('a list is bracketed in a grid, where commas separate values', () => {
    assert.equal(gridParser(integerList()).expected, 'a bracketed list of positive integers, e.g. [3,4,5]');
    assert.deepEqual(gridParser(integerList()).parse('[3,4]'), [3, 4]);
    assert.equal(gridParser(integerList()).parse('3,4'), undefined);
  });

  it('a family whose trainer ignores unread options offers each model only its own keys', () => {
    const strict: FamilyOptions = {
      ...TOY,
      declarations: [{ ...TOY.declarations[3], search: true }],
      trainerIgnoresUnread: true,
    };
    assert.deepEqual(gridDeclarations(strict, 'toy-a'), []);
    assert.equal(gridDeclarations(strict, 'toy-b').length, 1);
  });
});

describe('the parser kit', () => {
  it('says a range, a ceiling or a lower bound', () => {
    assert.equal(integer({ max: 8 }).expected, 'an integer from 1 to 8');
    assert.equal(integer({ ceiling: 100_000 }).expected, 'a positive integer of at most 100,000');
    assert.equal(integer({ min: 4 }).expected, 'an integer of at least 4');
    assert.equal(integer({ max: 8 }).unbounded?.expected, 'a positive integer');
    assert.equal(integer().parse(' 12 '), 12);
    assert.equal(integer().parse('1e3'), undefined);
  });

  it('sets a value without changing the options it was given', () => {
    const base = { neural: { hyperParameters: { epochs: 3 } } };
    const next = setIn(base, ['neural', 'hyperParameters', 'maxLen'], 100);
    assert.deepEqual(next, { neural: { hyperParameters: { epochs: 3, maxLen: 100 } } });
    assert.deepEqual(base, { neural: { hyperParameters: { epochs: 3 } } });
  });
});

describe("the real families' declarations", () => {
  it('give each flag once and every key a parser', () => {
    for (const family of familyOptions()) {
      const keys = family.declarations.map((d) => d.key);
      assert.equal(new Set(keys).size, keys.length, `${family.family} declares a key twice`);
    }
  });

  it('build the trainer options from the flags without copying them by hand', () => {
    const choice = trainerChoiceFromFlags({
      model: 'nb',
      counts: true,
      minDf: 3,
      maxLen: 100,
      skipTop: 0,
      dim: 8,
    });
    assert.deepEqual(choice.linear, { minDf: 3, binary: false });
    // The validation split is the run's, not a model flag: trainModel places it (see train-model.test.ts).
    assert.deepEqual(choice.neural?.hyperParameters, { maxLen: 100 });
    assert.deepEqual(choice.neural?.vocabulary, { skipTop: 0 });
    assert.equal(choice.neural?.embeddings, undefined, 'no --embeddings, no embeddings');
    assert.deepEqual(choice.fasttext, { dim: 8 });
  });
});
