/**
 * The unlabelled-text reader on outside input: a text file of one text per line gives back exactly its
 * non-blank lines, whatever they hold (property-based, seeded), and a folder of .txt files its texts.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadUnlabelled } from '../../src/data/unlabelled.js';

describe('loadUnlabelled', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-unlabelled-prop-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads a text file back as its non-blank lines, in order', async () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 15 }), async (lines) => {
        fc.pre(lines.some((l) => l.trim() !== ''));
        const file = join(dir, `lines-${n++}.txt`);
        await writeFile(file, lines.join('\n'));
        const read = await loadUnlabelled(file);
        assert.deepEqual(
          read.texts,
          lines.filter((l) => l.trim() !== ''),
        );
        assert.equal(read.transductive, false);
      }),
      { seed: 19, numRuns: 60 },
    );
  });

  it('refuses a file with no text, and a missing path', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '\n \n');
    await assert.rejects(loadUnlabelled(empty), /no unlabelled text/);
    await assert.rejects(loadUnlabelled(join(dir, 'missing')), /does not exist/);
  });

  it('reads every .txt of a plain folder, and no other file', async () => {
    const folder = join(dir, 'texts');
    await mkdir(join(folder, 'more'), { recursive: true });
    await writeFile(join(folder, 'a.txt'), 'first');
    await writeFile(join(folder, 'more', 'b.txt'), 'second');
    await writeFile(join(folder, 'notes.md'), 'not a text');
    assert.deepEqual((await loadUnlabelled(folder)).texts, ['first', 'second']);
  });
});
