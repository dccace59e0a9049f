/**
 * docs/cli.md is the CLI reference "with every option": each flag that some command's --help lists
 * (test/fixtures/help.txt, which test/cli/help-snapshot.test.ts keeps equal to --help) is written
 * somewhere in the README or docs/, so a new flag cannot land without a line of documentation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { docPages } from './doc-examples.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the docs', () => {
  it('mention every option that --help lists', () => {
    const help = readFileSync(join(ROOT, 'test/fixtures/help.txt'), 'utf8');
    const flags = new Set([...help.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]));
    assert.ok(flags.size > 50, `only ${flags.size} flags found in the help snapshot`);
    const docs = docPages(ROOT)
      .map((file) => readFileSync(join(ROOT, file), 'utf8'))
      .join('\n');
    const missing = [...flags].filter((flag) => !new RegExp(`${flag}(?![a-z0-9-])`).test(docs));
    assert.deepEqual(missing.sort(), []);
  });
});
