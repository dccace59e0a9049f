import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runPolarity, type CliResult } from '../helpers/cli.js';
import { IMDB_SAMPLE } from '../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-embeddings-cli-'));
after(() => rm(root, { recursive: true, force: true }));

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '', POLARITY_CACHE: join(root, 'cache') });
}

const SMALL = [
  '--data',
  IMDB_SAMPLE,
  '--epochs',
  '1',
  '--num-words',
  '500',
  '--max-len',
  '50',
  '--backend',
  'wasm',
];

describe('polarity train --embeddings', () => {
  it('trains on a word2vec binary file, prints its coverage and records it in the model', async () => {
    const words: Record<string, number[]> = {
      the: [1, 0, 0],
      Movie: [0, 1, 0],
      great: [0, 0, 1],
      zzyzx: [1, 1, 1],
    };
    const parts = [Buffer.from(`4 3\n`)];
    for (const [word, values] of Object.entries(words)) {
      const floats = Buffer.alloc(12);
      values.forEach((v, k) => floats.writeFloatLE(v, k * 4));
      parts.push(Buffer.from(`${word} `), floats, Buffer.from('\n'));
    }
    const vectors = join(root, 'tiny.bin');
    await writeFile(vectors, Buffer.concat(parts));
    const out = join(root, 'mlp');
    const train = await polarity(
      'train',
      ...SMALL,
      '--model',
      'mlp',
      '--out',
      out,
      '--embeddings',
      vectors,
      '--freeze-embeddings',
    );
    assert.equal(train.code, 0, train.stderr);
    assert.match(
      train.stderr,
      /word vectors: tiny\.bin \(word2vec-binary, 3 dimensions, frozen\): 3 of 496 vocabulary words \(0\.6%, 1 through another case\), \d+\.\d% of training tokens/,
    );
    const manifest = JSON.parse(await readFile(join(out, 'polarity.json'), 'utf8')) as {
      hyperParameters: { embeddingDim: number };
      training: { embeddings: { file: string; dim: number; frozen: boolean } };
    };
    assert.equal(manifest.hyperParameters.embeddingDim, 3);
    assert.deepEqual(
      { ...manifest.training.embeddings, coverage: undefined },
      { file: 'tiny.bin', format: 'word2vec-binary', dim: 3, frozen: true, coverage: undefined },
    );
    const predict = await polarity('predict', '--model', out, 'a great movie', '--json');
    assert.equal(predict.code, 0, predict.stderr);
  });

  it('fails with the file and line of a malformed vector file', async () => {
    const vectors = join(root, 'bad.txt');
    await writeFile(vectors, 'the 1 2\nmovie 1 2\ngreat 1\n');
    const train = await polarity('train', ...SMALL, '--out', join(root, 'bad'), '--embeddings', vectors);
    assert.equal(train.code, 1);
    assert.match(train.stderr, /bad\.txt:3: expected 2 values/);
  });

  it('refuses the embedding flags where they do not apply', async () => {
    const frozenAlone = await polarity('train', ...SMALL, '--out', join(root, 'x'), '--freeze-embeddings');
    assert.equal(frozenAlone.code, 1);
    assert.match(frozenAlone.stderr, /--freeze-embeddings needs --embeddings FILE/);
    const linear = await polarity(
      'train',
      '--data',
      IMDB_SAMPLE,
      '--model',
      'nbsvm',
      '--out',
      join(root, 'y'),
      '--embeddings',
      'vectors.txt',
    );
    assert.equal(linear.code, 1);
    assert.match(linear.stderr, /--embeddings does not apply to --model nbsvm/);
  });
});
