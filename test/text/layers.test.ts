/**
 * The text layer's shape, checked on its imports (type-only ones included, as lint rules count them):
 * no import cycle among its modules; `sequences/` at the bottom, `features/`, `embeddings/` and `corpus/`
 * above it and apart from one another; and nothing imported from a layer above text. Imports are read
 * with TypeScript's own pre-processor, so every form (`import type`, `export … from`, `import()`) counts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const TEXT = join(SRC, 'text');

/** What each folder of text/ may import from the others (the barrel, text/index.ts, may import all). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  sequences: [],
  features: ['sequences'],
  embeddings: ['sequences'],
  corpus: ['sequences'],
  vectors: ['sequences'],
};
/** The folders (and root modules) of src/ below text, which it may use. */
const BELOW_TEXT = ['data', 'util', 'errors.ts'];

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The modules of src/ that `file` imports, as absolute `.ts` paths (packages and node: left out). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'));
}

/** The folder of text/ a module is in ('' for text/index.ts). */
function folderOf(file: string): string {
  const parts = relative(TEXT, file).split('/');
  return parts.length > 1 ? parts[0] : '';
}

const graph = new Map(modules(TEXT).map((file) => [file, importsOf(file)]));
const name = (file: string) => relative(SRC, file);

describe('the text layer', () => {
  it('has modules in every folder, and each import names a module that exists', () => {
    for (const folder of Object.keys(MAY_IMPORT)) {
      assert.ok(
        [...graph.keys()].some((file) => folderOf(file) === folder),
        `no modules in text/${folder}/`,
      );
    }
    for (const [file, imports] of graph) {
      for (const target of imports.filter((target) => target.startsWith(TEXT))) {
        assert.ok(graph.has(target), `${name(file)} imports ${name(target)}, which does not exist`);
      }
    }
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const cycle = [...path.slice(path.indexOf(file)), file].map(name);
        assert.fail(`import cycle: ${cycle.join(' → ')}`);
      }
      state.set(file, 'open');
      path.push(file);
      for (const target of graph.get(file) ?? []) if (graph.has(target)) visit(target);
      path.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file);
  });

  it('imports between its folders only downwards, and from src/ only what lies below text', () => {
    for (const [file, imports] of graph) {
      const from = folderOf(file);
      for (const target of imports) {
        if (target.startsWith(TEXT + '/')) {
          const to = folderOf(target);
          if (from === '' || to === from) continue;
          assert.ok(
            MAY_IMPORT[from]?.includes(to),
            `${name(file)} imports ${name(target)}: text/${from}/ may import only ${
              MAY_IMPORT[from]?.map((folder) => `text/${folder}/`).join(', ') || 'within itself'
            }`,
          );
        } else {
          const top = relative(SRC, target).split('/')[0];
          assert.ok(
            BELOW_TEXT.includes(top),
            `${name(file)} imports ${name(target)}, from above the text layer`,
          );
        }
      }
    }
  });
});
