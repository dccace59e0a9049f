import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { detectFormat } from '../../../src/data/detect-format.js';
import { DATA_FORMATS, INPUT_FORMATS } from '../../../src/data/formats/names.js';
import {
  dataFormatModules,
  FORMATS,
  formatModule,
  hasExtension,
  inputFormatModules,
  listOf,
} from '../../../src/data/formats/registry.js';
import { formatFromName } from '../../../src/data/text-input.js';
import { fixtureDir } from '../own-data-helpers.js';

let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
before(async () => (fixtures = await fixtureDir()));
after(() => fixtures.cleanup());

describe('the format registry', () => {
  it('has one module per format name, and a name for every module', () => {
    const names = FORMATS.map((format) => format.name);
    assert.equal(new Set(names).size, names.length, 'a name registered twice');
    for (const name of [...DATA_FORMATS, ...INPUT_FORMATS]) assert.equal(formatModule(name).name, name);
    for (const name of names) {
      assert.ok(
        (DATA_FORMATS as readonly string[]).includes(name) ||
          (INPUT_FORMATS as readonly string[]).includes(name),
        `${name} is in no list of names`,
      );
    }
  });

  it('lists the formats of each use in the order of the names', () => {
    assert.deepEqual(
      dataFormatModules().map((format) => format.name),
      DATA_FORMATS,
    );
    assert.deepEqual(
      inputFormatModules()
        .map((format) => format.name)
        .sort(),
      [...INPUT_FORMATS].sort(),
    );
  });

  it('gives every training format but IMDB a row reader, and every input format an input reader', () => {
    for (const format of dataFormatModules())
      assert.equal(format.openRows === undefined, format.name === 'imdb');
    for (const format of inputFormatModules()) assert.ok(format.input);
  });

  it('writes extensions in lower case with their dot', () => {
    for (const format of FORMATS) {
      for (const extension of [...format.extensions, ...(format.sniff?.extensions ?? [])]) {
        assert.match(extension, /^\.[a-z0-9.]+$/, `${format.name}: ${extension}`);
      }
    }
  });

  it('matches extensions in any case, at the end of the path only', () => {
    assert.ok(hasExtension('/x/A.TAR.GZ', ['.tar.gz']));
    assert.ok(!hasExtension('/x/a.csv.bak', ['.csv']));
    assert.equal(listOf(['a']), 'a');
    assert.equal(listOf(['a', 'b', 'c']), 'a, b or c');
  });

  it('drives detection from the names of training data and of prediction input alike', async () => {
    for (const format of dataFormatModules()) {
      for (const extension of format.extensions) {
        const file = await fixtures.write(`by-name/${format.name}${extension}`, 'x\n');
        assert.equal(await detectFormat(file), format.name, file);
      }
    }
    for (const format of inputFormatModules()) {
      for (const extension of format.extensions) {
        assert.equal(formatFromName(`in${extension.toUpperCase()}`), format.name);
      }
    }
    assert.equal(formatFromName('in.tsv'), undefined);
    assert.equal(formatFromName('-'), undefined);
  });

  it('names every file format and its content hint when it cannot tell a file', async () => {
    const file = await fixtures.write('unknown.dat', 'x\n');
    await assert.rejects(
      detectFormat(file),
      /give --format csv, tsv, jsonl or fasttext \(a \.txt file is fastText when its lines carry __label__ words\)/,
    );
  });
});
