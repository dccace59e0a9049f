import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Dataset } from '../../../src/data/types.js';
import { ModelFormatError, OptionError } from '../../../src/errors.js';
import type { EarlyStoppingReport, EpochRecord } from '../../../src/models/classifier.js';
import {
  FastTextClassifier,
  FastTextTrainer,
  InputRows,
  fastTextSummary,
  fnv1a,
  forEachNgramBucket,
  ngramBucket,
  type FastTextOptions,
} from '../../../src/models/fasttext/index.js';
import { loadClassifier } from '../../../src/models/load.js';
import { MANIFEST_FILE, readManifest } from '../../../src/persist/index.js';
import { sealManifest } from '../../../src/persist/manifest.js';
import { tokenIds } from '../../../src/text/features/token-ids.js';
import { tokenize } from '../../../src/text/sequences/tokenize.js';
import { evaluateClassifier } from '../../../src/experiments/evaluate.js';
import { splitForValidation } from '../../../src/fit/validation-split.js';
import { Random } from '../../../src/util/random.js';
import { imdbSample } from '../../helpers/fixtures.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-fasttext-'));
after(() => rm(root, { recursive: true, force: true }));

/** FNV-1a 32 written straight from its definition over bytes, to check ours (which encodes UTF-8 on the fly) against. */
function referenceFnv1a(bytes: Uint8Array, start = 0x811c9dc5): number {
  let h = start;
  for (const byte of bytes) h = Number((BigInt((h ^ byte) >>> 0) * 16777619n) % 2n ** 32n);
  return h;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const littleEndian = (value: number) =>
  new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24]);

const FILLER = ['the', 'film', 'was', 'a', 'story', 'with', 'actors', 'and', 'music', 'plot'];

/** A toy problem: each label has its own cue words, mixed with shared filler. */
function toy(labels: readonly string[], perLabel = 30): Dataset {
  const cue: Record<string, string[]> = {
    neg: ['bad', 'awful', 'boring'],
    pos: ['good', 'great', 'wonderful'],
    mixed: ['okay', 'uneven', 'average'],
  };
  const make = (offset: number) =>
    labels.flatMap((label) =>
      Array.from({ length: perLabel }, (_, i) => {
        const words = cue[label];
        const filler = FILLER.filter((_, j) => (i + j + offset) % 3 !== 0);
        return { text: `${filler.join(' ')} ${words[i % 3]} ${words[(i + 1) % 3]}`, label };
      }),
    );
  return { name: 'toy', labels: [...labels], train: make(0), test: make(1).slice(0, 12 * labels.length) };
}

const binary = toy(['neg', 'pos']);
// Labels not in alphabetical order, to check that the model keeps the dataset's order.
const threeWay = toy(['pos', 'neg', 'mixed']);

/** Small and quick: a few thousand buckets, enough epochs for 60–90 short texts. */
const TOY_OPTIONS: FastTextOptions = { buckets: 4096, epochs: 30 };
const fitToy = (data: Dataset, options: FastTextOptions = {}, seed = 1) =>
  new FastTextTrainer({ ...TOY_OPTIONS, ...options }).fit(data, { seed });

describe('fastText word n-gram hashing', () => {
  it('is 32-bit FNV-1a of the UTF-8 bytes', () => {
    // The published FNV-1a test vectors.
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
    for (const text of ["don't", 'café', 'dvořák', '日本語', 'emoji 😀 ok', 'lone \ud800 surrogate']) {
      assert.equal(fnv1a(text), referenceFnv1a(utf8(text)), text);
    }
  });

  it('hashes an n-gram as the first token hash continued over the next token hashes', () => {
    const expected = (tokens: string[]) => {
      let h = referenceFnv1a(utf8(tokens[0]));
      for (const token of tokens.slice(1)) h = referenceFnv1a(littleEndian(referenceFnv1a(utf8(token))), h);
      return h;
    };
    for (const tokens of [
      ['not', 'good'],
      ['good', 'not'],
      ['très', 'bien', 'fait'],
    ]) {
      assert.equal(ngramBucket(tokens, 2 ** 32), expected(tokens));
      assert.equal(ngramBucket(tokens, 1000), expected(tokens) % 1000);
    }
    assert.notEqual(ngramBucket(['not', 'good'], 2 ** 20), ngramBucket(['good', 'not'], 2 ** 20));
  });

  it('visits every n-gram of 2 to maxN tokens, by start and then length', () => {
    const tokens = ['a', 'b', 'c', 'd'];
    const seen: [number, number, number][] = [];
    forEachNgramBucket(tokens.map(fnv1a), 3, 1000, (bucket, start, n) => seen.push([bucket, start, n]));
    assert.deepEqual(
      seen.map(([, start, n]) => tokens.slice(start, start + n).join(' ')),
      ['a b', 'a b c', 'b c', 'b c d', 'c d'],
    );
    for (const [bucket, start, n] of seen)
      assert.equal(bucket, ngramBucket(tokens.slice(start, start + n), 1000));
    const none: number[] = [];
    forEachNgramBucket([fnv1a('alone')], 2, 1000, (bucket) => none.push(bucket));
    assert.deepEqual(none, []);
  });

  it('gives a text its word rows, then its bigram buckets; rare words only take part in bigrams', () => {
    const corpus = tokenIds(['good good film', 'good film', 'rare']);
    const rows = InputRows.fit(corpus, { ngrams: 2, buckets: 50, minCount: 2 });
    assert.deepEqual(rows.vocabulary.words, ['good', 'film']);
    assert.equal(rows.size, 2 + 50);
    const tokens = ['good', 'rare', 'film', 'good'];
    assert.deepEqual(rows.rowsOf(tokens), [
      0,
      1,
      0,
      2 + ngramBucket(['good', 'rare'], 50),
      2 + ngramBucket(['rare', 'film'], 50),
      2 + ngramBucket(['film', 'good'], 50),
    ]);
    assert.deepEqual(
      rows.namedRowsOf(tokens).map((r) => r.token),
      ['good', 'film', 'good', 'good rare', 'rare film', 'film good'],
    );
    assert.deepEqual(
      rows.namedRowsOf(tokens).map((r) => r.row),
      rows.rowsOf(tokens),
    );
    const wordsOnly = InputRows.fit(corpus, { ngrams: 1, buckets: 50, minCount: 1 });
    assert.equal(wordsOnly.size, 3);
    assert.deepEqual(wordsOnly.rowsOf(tokens), [0, 2, 1, 0]);
  });

  it('packs a corpus into the same rows as each text on its own', () => {
    const texts = ['a good, good film', '', 'not good at all', 'good film; bad plot and bad acting'];
    const corpus = tokenIds(texts);
    const rows = InputRows.fit(corpus, { ngrams: 3, buckets: 97, minCount: 1 });
    const packed = rows.packCorpus(corpus);
    texts.forEach((text, t) => {
      const own = [...packed.rows.subarray(packed.offsets[t], packed.offsets[t + 1])];
      assert.deepEqual(own, rows.rowsOf(tokenize(text)), text);
    });
  });

  it('refuses a minCount that leaves no word', () => {
    assert.throws(
      () => InputRows.fit(tokenIds(['one two', 'three']), { ngrams: 2, buckets: 8, minCount: 5 }),
      (error: Error) => error instanceof OptionError && /no word occurs 5 or more times/.test(error.message),
    );
  });
});

describe('fastText on toy problems', () => {
  it('learns two and three labels, keeping the label order, with probabilities that sum to one', async () => {
    for (const data of [binary, threeWay]) {
      const classifier = await fitToy(data);
      assert.deepEqual(classifier.labels, data.labels);
      const report = await evaluateClassifier(classifier, data.test);
      assert.ok(report.accuracy >= 0.9, `${data.labels.length} labels: accuracy ${report.accuracy}`);
      for (const p of await classifier.predict([...data.test.map((e) => e.text), '', 'unseen words only'])) {
        assert.deepEqual(Object.keys(p.scores), data.labels);
        const values = Object.values(p.scores);
        assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - 1) < 1e-9);
        assert.ok(values.every((v) => v >= 0 && v <= 1));
        assert.equal(p.score, Math.max(...values));
      }
    }
  });

  it('is confident on a clear text and undecided on one with no known word', async () => {
    const classifier = await fitToy(binary);
    const [clear, unknown] = await classifier.predict(['good great wonderful', 'zzz']);
    assert.equal(clear.label, 'pos');
    assert.ok(clear.score > 0.9, `${clear.score}`);
    assert.equal(unknown.score, 0.5);
  });

  it('weighs each label by --class-weight: a label weighed almost to nothing is never predicted', async () => {
    const texts = binary.train.map((e) => e.text);
    const plain = await fitToy(binary);
    const silenced = await fitToy(binary, { classWeight: { neg: 1e-4, pos: 1 } });
    const labelsOf = async (c: FastTextClassifier) => new Set((await c.predict(texts)).map((p) => p.label));
    assert.deepEqual(await labelsOf(plain), new Set(['neg', 'pos']));
    assert.deepEqual(await labelsOf(silenced), new Set(['pos']));
    const auto = await fitToy({ ...binary, train: binary.train.slice(5) }, { classWeight: 'auto' });
    assert.deepEqual(await labelsOf(auto), new Set(['neg', 'pos']));
    await assert.rejects(
      fitToy(binary, { classWeight: { mixed: 2 } }),
      (error: Error) => error instanceof OptionError && /unknown label "mixed"/.test(error.message),
    );
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const a = await fitToy(threeWay, {}, 5);
    const b = await fitToy(threeWay, {}, 5);
    const c = await fitToy(threeWay, {}, 6);
    assert.deepEqual(a.weights.input, b.weights.input);
    assert.deepEqual(a.weights.output, b.weights.output);
    assert.notDeepEqual(a.weights.output, c.weights.output);
  });

  it('reports tokenizing, features and every epoch, with held-out metrics when asked', async () => {
    const tasks = new Set<string>();
    const epochs: EpochRecord[] = [];
    let batches = 0;
    await new FastTextTrainer({ ...TOY_OPTIONS, epochs: 3, validationSplit: 0.25 }).fit(binary, {
      onProgress: (event) => tasks.add(event.task),
      onBatchEnd: () => batches++,
      onEpochEnd: (record) => epochs.push(record),
    });
    assert.deepEqual([...tasks], ['tokenizing', 'features']);
    assert.deepEqual(
      epochs.map((r) => r.epoch),
      [1, 2, 3],
    );
    assert.ok(batches >= 3);
    for (const record of epochs) {
      assert.ok(record.loss > 0 && Number.isFinite(record.loss));
      assert.ok(record.accuracy >= 0 && record.accuracy <= 1);
      assert.ok(record.valAccuracy !== undefined && record.valLoss !== undefined);
      assert.ok(record.seconds >= 0);
    }
    assert.ok(epochs[2].loss < epochs[0].loss, 'the training loss should fall');
  });
});

describe('fastText explanations', () => {
  it('gives each word and n-gram its exact share of the predicted label log-odds', async () => {
    const classifier = await fitToy(binary);
    const text = 'the film was good but the plot was bad and great, good';
    const [prediction] = await classifier.predict([text]);
    const attributions = await classifier.explain(text);
    const other = classifier.labels.find((label) => label !== prediction.label)!;
    const logOdds = Math.log(prediction.scores[prediction.label] / prediction.scores[other]);
    const total = attributions.reduce((sum, a) => sum + a.weight, 0);
    assert.ok(Math.abs(total - logOdds) < 1e-6, `${total} vs ${logOdds}`);

    assert.equal(prediction.label, 'pos');
    const magnitudes = attributions.map((a) => Math.abs(a.weight));
    assert.deepEqual(
      magnitudes,
      [...magnitudes].sort((a, b) => b - a),
    );
    const weightOf = (token: string) => attributions.find((a) => a.token === token)?.weight;
    assert.ok(weightOf('good')! > 0);
    assert.ok(weightOf('bad')! < 0);
    assert.ok(weightOf('was good') !== undefined, 'bigrams are listed as "a b"');
    assert.equal(attributions.filter((a) => a.token === 'good').length, 1, 'a repeated word is listed once');
  });

  it('explains a three-label prediction against the mean of the other labels', async () => {
    const classifier = await fitToy(threeWay);
    const text = 'okay uneven film';
    const [prediction] = await classifier.predict([text]);
    assert.equal(prediction.label, 'mixed');
    const logs = classifier.labels.map((label) => Math.log(prediction.scores[label]));
    const own = Math.log(prediction.score);
    const others = logs.filter((_, k) => classifier.labels[k] !== 'mixed');
    const expected = own - others.reduce((a, b) => a + b, 0) / others.length;
    const attributions = await classifier.explain(text);
    const total = attributions.reduce((sum, a) => sum + a.weight, 0);
    assert.ok(Math.abs(total - expected) < 1e-6, `${total} vs ${expected}`);
    assert.ok(['okay', 'uneven', 'okay uneven'].includes(attributions[0].token), attributions[0].token);
  });
});

describe('saved fastText models', () => {
  it('save → load predicts and explains identically, through loadClassifier', async () => {
    for (const [data, options] of [
      [threeWay, {}],
      [binary, { ngrams: 1 }],
      [binary, { ngrams: 3, minCount: 2, dim: 7 }],
    ] as const) {
      const classifier = await fitToy(data, options);
      const dir = join(root, `model-${data.labels.length}-${JSON.stringify(options).length}`);
      await classifier.save(dir);
      const manifest = await readManifest(dir);
      assert.equal(manifest.kind, 'fasttext');
      assert.deepEqual(Object.keys(manifest.files).sort(), ['input.bin', 'output.bin', 'vocabulary.json']);
      const loaded = await loadClassifier(dir);
      assert.ok(loaded instanceof FastTextClassifier);
      const texts = [...data.test.map((e) => e.text), 'never seen words', ''];
      assert.deepEqual(await loaded.predict(texts), await classifier.predict(texts));
      assert.deepEqual(await loaded.explain(texts[0]), await classifier.explain(texts[0]));
      assert.deepEqual(loaded.provenance.options, classifier.provenance.options);
      assert.match(fastTextSummary(loaded), /Total params: [\d,]+/);
    }
  });

  it('rejects a truncated or changed matrix, naming the file', async () => {
    const classifier = await fitToy(binary, { epochs: 2 });
    const dir = join(root, 'damaged');
    const inputFile = join(dir, 'input.bin');

    await classifier.save(dir);
    await truncate(inputFile, 8);
    await assert.rejects(
      () => loadClassifier(dir),
      (error: Error) => error instanceof ModelFormatError && error.message.includes(inputFile),
    );

    await classifier.save(dir);
    const bytes = await readFile(inputFile);
    bytes[0] ^= 0xff;
    await writeFile(inputFile, bytes);
    await assert.rejects(
      () => loadClassifier(dir),
      (error: Error) =>
        error instanceof ModelFormatError &&
        error.message.includes(inputFile) &&
        /checksum/.test(error.message),
    );
  });

  it('rejects a manifest whose buckets or hash do not fit the saved model', async () => {
    const classifier = await fitToy(binary, { epochs: 2 });
    const dir = join(root, 'edited');
    for (const [edit, message] of [
      [{ hyperParameters: { buckets: 4095 } }, /input matrix has \d+ rows but/],
      [{ hyperParameters: { dim: 11 } }, /columns for dim 11/],
      [{ hyperParameters: { epochs: 0 } }, /not valid fastText options: epochs must be a positive integer/],
      [{ encoder: { ngramHash: 'murmur3' } }, /hashed n-grams with "murmur3"/],
    ] as const) {
      await classifier.save(dir);
      const manifest = await readManifest(dir);
      const edited = {
        ...manifest,
        hyperParameters: {
          ...manifest.hyperParameters,
          ...('hyperParameters' in edit ? edit.hyperParameters : {}),
        },
        encoder: { ...manifest.encoder, ...('encoder' in edit ? edit.encoder : {}) },
      };
      // Sealed again, so that the loader's own checks are what fails, not the manifest's checksum.
      await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(sealManifest(edited)));
      await assert.rejects(
        () => loadClassifier(dir),
        (error: Error) => error instanceof ModelFormatError && message.test(error.message),
      );
    }
  });
});

describe('fastText options', () => {
  for (const [options, message] of [
    [{ dim: 0 }, /dim must be a positive integer of at most 1,000, got 0/],
    [{ epochs: 1.5 }, /epochs must be a positive integer, got 1.5/],
    [{ learningRate: -1 }, /learningRate must be a positive number, got -1/],
    [{ learningRate: Number.NaN }, /learningRate must be a positive number/],
    [{ ngrams: 6 }, /ngrams must be an integer from 1 to 5, got 6/],
    [{ buckets: 0 }, /buckets must be a positive integer of at most 67,108,864, got 0/],
    [{ minCount: 0 }, /minCount must be a positive integer, got 0/],
    [{ validationSplit: 1 }, /validationSplit must be a fraction in \[0, 1\), got 1/],
    [{ c: 1 }, /fasttext has no option "c"/],
    [{ classWeight: { pos: 0 } }, /class-weight/],
  ] as const) {
    it(`rejects ${JSON.stringify(options)}`, () => {
      assert.throws(
        () => new FastTextTrainer(options as unknown as FastTextOptions),
        (error: Error) => error instanceof OptionError && message.test(error.message),
      );
    });
  }

  it('refuses a dataset with one label or no training examples', async () => {
    await assert.rejects(
      () => fitToy({ ...binary, labels: ['pos'] }),
      (error: Error) => error instanceof OptionError && /at least two labels/.test(error.message),
    );
    await assert.rejects(
      () => fitToy({ ...binary, train: [] }),
      (error: Error) => error instanceof OptionError && /training split is empty/.test(error.message),
    );
  });
});

// Measured with seed 42 on the 2,000/500-review sample: 84.0% with 20 epochs (the default 5 epochs
// are too few steps for 2,000 reviews). The floor sits a few points below, far above chance: a broken
describe('fastText early stopping', () => {
  it('stops PATIENCE epochs after the lowest validation loss and ends with that epoch’s weights', async () => {
    const data = await imdbSample();
    const seed = 7;
    const reports: EarlyStoppingReport[] = [];
    const epochs: EpochRecord[] = [];
    // A high, slowly decaying step on 1,600 reviews overfits within a few epochs.
    const classifier = await new FastTextTrainer({
      epochs: 30,
      learningRate: 1,
      buckets: 1 << 16,
      validationSplit: 0.2,
      earlyStopping: { patience: 2 },
    }).fit(data, { seed, onEpochEnd: (r) => epochs.push(r), onEarlyStopping: (r) => reports.push(r) });
    const [report] = reports;
    assert.ok(report, 'an early-stopping report');
    const losses = epochs.map((r) => r.valLoss!);
    const lowest = Math.min(...losses);
    assert.equal(report.bestEpoch, losses.indexOf(lowest) + 1);
    assert.equal(report.stoppedEpoch, report.bestEpoch + 2, `losses ${losses.map((l) => l.toFixed(3))}`);
    assert.equal(epochs.length, report.bestEpoch + 2);
    assert.equal(report.restored, true);
    // The trainer's validation slice, taken again: the kept model scores the best epoch's loss on it.
    const { validation } = splitForValidation(data.train, 0.2, new Random(seed));
    const predictions = await classifier.predict(validation.map((e) => e.text));
    const loss =
      -predictions.reduce((sum, p, i) => sum + Math.log(p.scores[validation[i].label]), 0) /
      validation.length;
    assert.ok(Math.abs(loss - lowest) < 1e-4, `kept model's val loss ${loss}, best epoch's ${lowest}`);
    assert.equal(classifier.provenance.metrics?.valLoss, lowest);
  });

  it('needs a validation split', () => {
    assert.throws(
      () => new FastTextTrainer({ earlyStopping: { patience: 1 } }),
      (error: Error) => error instanceof OptionError && /needs validationSplit > 0/.test(error.message),
    );
  });
});

// hash, row mapping or gradient drops the model to about 50%.
describe('fastText quality on a real IMDB sample', () => {
  it('trained on 2,000 reviews scores at least 80% on 500 held-out reviews', async () => {
    const data = await imdbSample();
    const classifier = await new FastTextTrainer({ epochs: 20 }).fit(data, { seed: 42 });
    const report = await evaluateClassifier(classifier, data.test);
    assert.ok(report.accuracy >= 0.8, `accuracy ${report.accuracy}`);
  });
});
