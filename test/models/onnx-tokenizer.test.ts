import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { apostropheVariants } from '../../src/models/onnx-tokenizer.js';
import { tokenize } from '../../src/text/sequences/tokenize.js';
import { onnxTokenizer, type OnnxTokenizer } from '../helpers/onnx.js';

const AGREE = [
  "Don't STOP<br /><br />me 'quoted' well-made Ünïcode a''b x'''y rock'n'roll",
  "'lead' a'\u0301b \u0301x don'<br>t <3 a < b <a <b>c",
  'hello,world...again!! 42nd 3.14 e-mail\n\tnew line',
  'Привет МИР ΑΒΓ ß 東京 ٣٤ हिन्दी',
  "end.<BR/>Start <i>italic</i></EM>x y'",
  '',
  "'",
  "ab'",
  '<br />',
];

describe('onnxTokenizerNodes', () => {
  let run: OnnxTokenizer | null = null;
  before(async () => {
    run = await onnxTokenizer();
  });
  const skip = (t: { skip: (message: string) => void }) => {
    if (run === null) t.skip('onnxruntime-node is not installed');
    return run === null;
  };

  it('splits as tokenize does: tags, apostrophes inside and around words, Unicode letters and digits', async (t) => {
    if (skip(t)) return;
    assert.deepEqual(await run!(AGREE), AGREE.map(tokenize));
  });

  it('agrees with tokenize on random text without references, apostrophe look-alikes or combining marks', async (t) => {
    if (skip(t)) return;
    const alphabet = [...'aBzé1٣ж Ω\'-.,<>/br\n"!ißA0'];
    const texts = fc.sample(
      fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join('')),
      { numRuns: 500, seed: 5 },
    );
    const got = await run!(texts);
    texts.forEach((text, i) => assert.deepEqual(got[i], tokenize(text), JSON.stringify(text)));
  });

  it('differs where its comment says: references, apostrophe look-alikes kept as written', async (t) => {
    if (skip(t)) return;
    const [refs, quotes] = await run!(['Dvo&#345;ák &amp; me', 'it`s don’t']);
    assert.deepEqual(tokenize('Dvo&#345;ák &amp; me'), ['dvořák', 'me']);
    assert.deepEqual(refs, ['dvo', 'ák', 'me']);
    assert.deepEqual(quotes, ['it`s', 'don’t']);
  });
});

describe('apostropheVariants', () => {
  it('spells an n-gram with each kind of apostrophe, the sequence itself first', () => {
    assert.deepEqual(apostropheVariants(['good']), [['good']]);
    const variants = apostropheVariants(["don't", "it's"]);
    assert.equal(variants.length, 5);
    assert.deepEqual(variants[0], ["don't", "it's"]);
    assert.deepEqual(variants[1], ['don’t', 'it’s']);
  });
});
