import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EnsembleClassifier } from '../../src/models/ensemble/ensemble.js';
import { FastTextTrainer } from '../../src/models/fasttext/index.js';
import { loadClassifier } from '../../src/models/load.js';
import { isPolarityOnnxStart } from '../../src/persist/onnx/onnx-proto.js';
import { imdbSample } from '../helpers/fixtures.js';
import { runPolarity } from '../helpers/cli.js';
import { saveSampleNbsvm } from '../helpers/models.js';

describe('polarity export', () => {
  let dir: string;
  let model: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-export-cli-'));
    model = join(dir, 'nbsvm');
    await saveSampleNbsvm(model);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an ONNX file, and replaces its own earlier one', async () => {
    const out = join(dir, 'model.onnx');
    for (let run = 0; run < 2; run++) {
      const result = await runPolarity(['export', '--model', model, '--format', 'onnx', '--out', out]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /exported nbsvm model to .*model\.onnx \(onnx, \d+ bytes\)/);
    }
    assert.ok(isPolarityOnnxStart((await readFile(out)).subarray(0, 64).toString('utf8')));
  });

  it('never replaces a file it did not write without --overwrite', async () => {
    const out = join(dir, 'notes.onnx');
    await writeFile(out, 'my notes\n');
    const refused = await runPolarity(['export', '--model', model, '--out', out]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /was not written by Polarity: refusing to replace it. Pass --overwrite/);
    assert.equal(await readFile(out, 'utf8'), 'my notes\n');
    const forced = await runPolarity(['export', '--model', model, '--out', out, '--overwrite']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(isPolarityOnnxStart((await readFile(out)).subarray(0, 64).toString('utf8')));
  });

  it('exports a fasttext model, and an ensemble of nbsvm and it', async () => {
    const fasttext = await new FastTextTrainer({ buckets: 1024, epochs: 2 }).fit(await imdbSample(), {
      seed: 1,
    });
    await fasttext.save(join(dir, 'fasttext'));
    const ensemble = new EnsembleClassifier([await loadClassifier(model), fasttext], [2, 1], {
      createdAt: 'now',
    });
    await ensemble.save(join(dir, 'ensemble'));
    ensemble.dispose();
    for (const kind of ['fasttext', 'ensemble']) {
      const out = join(dir, `${kind}.onnx`);
      const result = await runPolarity(['export', '--model', join(dir, kind), '--out', out]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        new RegExp(`exported ${kind} model to .*${kind}\\.onnx \\(onnx, \\d+ bytes\\)`),
      );
      assert.ok(isPolarityOnnxStart((await readFile(out)).subarray(0, 64).toString('utf8')));
    }
  });

  it('says what is wrong with a directory that holds no model', async () => {
    const result = await runPolarity(['export', '--model', dir, '--out', join(dir, 'x.onnx')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /polarity\.json/);
  });
});
