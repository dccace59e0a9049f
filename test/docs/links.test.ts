/**
 * The README is a front door and the docs/ pages link to one another: every relative link names a
 * file that exists and, for a Markdown page, an anchor that one of its headings makes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { docPages } from './doc-examples.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README_MAX_LINES = 250;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

function withoutCode(markdown: string): string {
  return markdown.replace(/^\s*(`{3,})[^\n]*\n[\s\S]*?^\s*\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');
}

function anchors(file: string): Set<string> {
  const text = withoutCode(readFileSync(join(ROOT, file), 'utf8'));
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1])));
}

describe('the README and docs/ pages', () => {
  it(`keep the README under ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length;
    assert.ok(lines < README_MAX_LINES, `README.md has ${lines} lines`);
  });

  it('link to files that exist and to anchors their headings make', () => {
    const broken: string[] = [];
    for (const file of docPages(ROOT)) {
      const text = withoutCode(readFileSync(join(ROOT, file), 'utf8'));
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#');
        const page = path === '' ? file : normalize(join(dirname(file), path));
        if (!existsSync(join(ROOT, page))) broken.push(`${file}: ${target}: no such file`);
        else if (anchor !== undefined && page.endsWith('.md') && !anchors(page).has(anchor))
          broken.push(`${file}: ${target}: no heading makes #${anchor}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('are all linked from the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const missing = docPages(ROOT).filter((file) => file !== 'README.md' && !readme.includes(`](${file}`));
    assert.deepEqual(missing, []);
  });

  it('make anchors as GitHub does', () => {
    assert.equal(
      headingAnchor('More networks: cnn-global, lstm, bilstm, gru'),
      'more-networks-cnn-global-lstm-bilstm-gru',
    );
    assert.equal(headingAnchor('Speed, measured'), 'speed-measured');
    assert.equal(
      headingAnchor('Preprocessing, and where it differs from Keras'),
      'preprocessing-and-where-it-differs-from-keras',
    );
  });
});
