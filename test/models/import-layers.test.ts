/**
 * The layering of src/ that the family table relies on, read from the import statements: models/
 * and fit/ never import the layers above them, no family folder imports another, fit/ stays free
 * of the models and of TensorFlow.js, the families in plain TypeScript never load TF.js, the layers
 * below the models (data, text, persist, engine, util) never import upwards, and no import cycle
 * remains anywhere in src/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  /** The imported path relative to src/ (a .ts file), or the package name. */
  readonly target: string;
  /** `import type` / `export type`: gone after compilation. */
  readonly typeOnly: boolean;
  /** `import()` inside a function: loaded only when called. */
  readonly dynamic: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const statement = /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const [, type, spec] of text.matchAll(statement)) found.push(resolved(file, spec, !!type, false));
  for (const [, spec] of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push(resolved(file, spec, false, true));
  }
  return found;
}

function resolved(file: string, spec: string, typeOnly: boolean, dynamic: boolean): Import {
  if (!spec.startsWith('.')) return { target: spec, typeOnly, dynamic };
  const target = relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
  return { target, typeOnly, dynamic };
}

const FILES = sourceFiles(SRC).map((path) => ({ path, name: relative(SRC, path), imports: importsOf(path) }));
const FAMILY_FOLDER = /^models\/([^/]+)\//;

describe('the layers of src/', () => {
  it('has nothing left in train/', () => {
    assert.deepEqual(
      FILES.filter((f) => f.name.startsWith('train/')).map((f) => f.name),
      [],
    );
  });

  it('never imports upwards from models/ or fit/', () => {
    const above = /^(api|cli|experiments|batch|serve|report|explain|train)\//;
    const wrong = FILES.filter((f) => /^(models|fit)\//.test(f.name)).flatMap((f) =>
      f.imports.filter((i) => above.test(i.target)).map((i) => `${f.name} -> ${i.target}`),
    );
    assert.deepEqual(wrong, []);
  });

  it('keeps fit/ below the models and free of TensorFlow.js', () => {
    const wrong = FILES.filter((f) => f.name.startsWith('fit/')).flatMap((f) =>
      f.imports
        .filter((i) => i.target.startsWith('models/') || i.target.startsWith('@tensorflow/'))
        .map((i) => `${f.name} -> ${i.target}`),
    );
    assert.deepEqual(wrong, []);
  });

  it('has no family folder import another', () => {
    const wrong = FILES.flatMap((f) => {
      const own = FAMILY_FOLDER.exec(f.name)?.[1];
      if (!own) return [];
      return f.imports
        .filter((i) => {
          const other = FAMILY_FOLDER.exec(i.target)?.[1];
          return other !== undefined && other !== own;
        })
        .map((i) => `${f.name} -> ${i.target}`);
    });
    assert.deepEqual(wrong, []);
  });

  it('loads no TensorFlow.js for the linear and fastText families, nor for the table itself', () => {
    const byName = new Map(FILES.map((f) => [f.name, f]));
    /** The packages a module loads when imported: its static value imports, followed through src/. */
    function packagesLoadedBy(start: string): Set<string> {
      const packages = new Set<string>();
      const seen = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        for (const i of byName.get(name)?.imports ?? []) {
          if (i.typeOnly || i.dynamic) continue;
          if (byName.has(i.target)) visit(i.target);
          else if (!i.target.startsWith('node:')) packages.add(i.target);
        }
      };
      visit(start);
      return packages;
    }
    for (const start of [
      // The library's entry point: TF.js loads when a network is trained or loaded, not on import.
      'index.ts',
      'models/families.ts',
      'models/load.ts',
      'models/linear/linear-trainer.ts',
      'models/linear/linear-classifier.ts',
      'models/fasttext/fasttext-trainer.ts',
      'models/fasttext/fasttext-classifier.ts',
    ]) {
      assert.ok(byName.has(start), start);
      const tfjs = [...packagesLoadedBy(start)].filter((p) => p.startsWith('@tensorflow/'));
      assert.deepEqual(tfjs, [], start);
    }
  });

  it('keeps the lower layers below the models: data/, text/, persist/, engine/ and util/ never import upwards', () => {
    const lower = /^(data|text|persist|engine|util)\//;
    const above = /^(api|models|fit|experiments|cli|batch|serve|report|explain)\//;
    const wrong = FILES.filter((f) => lower.test(f.name)).flatMap((f) =>
      f.imports.filter((i) => above.test(i.target)).map((i) => `${f.name} -> ${i.target}`),
    );
    assert.deepEqual(wrong, []);
  });

  it('has no import cycle anywhere in src/ (type-only imports included)', () => {
    const byName = new Map(FILES.map((f) => [f.name, f]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (name: string) => {
      state.set(name, 'open');
      path.push(name);
      for (const i of byName.get(name)?.imports ?? []) {
        if (!byName.has(i.target)) continue;
        const seen = state.get(i.target);
        if (seen === 'open') cycles.push([...path.slice(path.indexOf(i.target)), i.target].join(' -> '));
        else if (seen === undefined) visit(i.target);
      }
      path.pop();
      state.set(name, 'done');
    };
    for (const file of FILES) if (!state.has(file.name)) visit(file.name);
    assert.deepEqual(cycles, []);
  });
});
