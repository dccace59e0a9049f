/**
 * "Nothing outside a family's folder names a family": the CLI, the experiments, batch scoring, the
 * service, reports and explanations find families in the table (models/families.ts) and never import
 * a family's folder, nor compare with a built-in family's name. Only the library's export list
 * (src/index.ts) reaches into the folders, to export their classes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const ABOVE_THE_MODELS = ['cli', 'experiments', 'batch', 'serve', 'report', 'explain'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const FILES = ABOVE_THE_MODELS.flatMap((folder) => sourceFiles(join(SRC, folder))).map((path) => ({
  name: relative(SRC, path),
  text: readFileSync(path, 'utf8'),
}));

describe('the layers above the models', () => {
  it('are read', () => {
    assert.ok(FILES.some((f) => f.name === 'cli/train.ts'));
    assert.ok(FILES.some((f) => f.name === 'experiments/train-model.ts'));
  });

  it("import no family's folder (they look families up in the table)", () => {
    const family = /(?:import|export)[^'";]*?['"](?:\.\.\/)+models\/(neural|linear|fasttext|ensemble)\//;
    const wrong = FILES.filter((f) => f.text.split('\n').some((line) => family.test(line))).map(
      (f) => f.name,
    );
    assert.deepEqual(wrong, []);
  });

  it('compare with no built-in family by name, nor key anything by one', () => {
    // 'linear' is also a model name and a learning-rate schedule, so only the other three are looked for.
    const named =
      /(?:===|!==|case)\s*['"](?:neural|fasttext|ensemble)['"]|(?:^|[{,;]|readonly)\s*['"]?(?:neural|fasttext|ensemble)['"]?\??\s*:\s*[[{\w]/m;
    const wrong = FILES.filter((f) => named.test(f.text)).map((f) => f.name);
    assert.deepEqual(wrong, []);
  });
});
