/**
 * The package as a new user gets it: `npm pack`ed (after `npm run build`), installed into a fresh
 * project beside TypeScript 5.9 and Node 20's types, and the README's library example (read from
 * README.md, not copied) compiled there with `strict` and `skipLibCheck: false`, then run with node on
 * a small CSV (the examples of docs/library.md are compiled too): it trains nbsvm, saves, loads, predicts and explains, then trains a network for one
 * epoch and predicts. npm install must not warn (an engine warning, EBADENGINE, would mean a
 * dependency wants a newer Node than `engines` promises).
 *
 * Needs the npm registry (the install fetches the dependencies; --prefer-offline uses the cache
 * first), so it is not part of `npm test`: `npm run test:consumer` runs it, and .ci/run calls that.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { pageExamples } from '../docs/doc-examples.js';
import { imdbSample } from '../helpers/fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
/** Installing the dependencies from the registry can take minutes on a cold cache. */
const INSTALL_TIMEOUT_MS = 600_000;
const REVIEWS_PER_LABEL = 50;

/** Runs a command, keeping its output whether it fails or not. */
async function sh(
  command: string,
  args: readonly string[],
  cwd: string,
  timeout = 300_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

/** The README's library example: the TypeScript block of its "As a library" section. */
function readmeExample(): string {
  const examples = pageExamples(ROOT, 'README.md').examples.filter((e) => e.kind === 'typescript');
  assert.equal(examples.length, 1, 'the README has one library example');
  return examples[0].text;
}

/** The library guide's examples (docs/library.md), each compiled as the README's is (not run: test/docs runs them). */
function guideExamples(): string[] {
  return pageExamples(ROOT, 'docs/library.md')
    .examples.filter((e) => e.kind === 'typescript')
    .map((e) => e.text);
}

/** A CSV of IMDB-sample reviews, both labels alike, as `reviews.csv` in `dir`. */
async function writeReviews(dir: string): Promise<void> {
  const { train } = await imdbSample();
  const rows = ['neg', 'pos'].flatMap((label) =>
    train.filter((e) => e.label === label).slice(0, REVIEWS_PER_LABEL),
  );
  await writeFile(
    join(dir, 'reviews.csv'),
    stringify(
      rows.map(({ text, label }) => ({ text, label })),
      { header: true, columns: ['text', 'label'] },
    ),
  );
}

describe('the packed package, in a fresh TypeScript project', () => {
  let dir: string;
  let install: { code: number; stdout: string; stderr: string };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-consumer-'));
    const guide = guideExamples();
    assert.ok(guide.length > 0, 'docs/library.md has examples');
    const pack = await sh('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
    assert.equal(pack.code, 0, pack.stderr);
    const [{ filename }] = JSON.parse(pack.stdout) as { filename: string }[];
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'polarity-consumer', private: true, type: 'module' }, null, 2),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: false,
            types: ['node'],
          },
          files: ['example.ts', ...guide.map((_, i) => `guide-${i + 1}.ts`)],
        },
        null,
        2,
      ),
    );
    await writeFile(join(dir, 'example.ts'), readmeExample());
    await Promise.all(guide.map((text, i) => writeFile(join(dir, `guide-${i + 1}.ts`), text)));
    await writeReviews(dir);
    install = await sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        `./${filename}`,
        'typescript@5.9',
        '@types/node@20',
      ],
      dir,
      INSTALL_TIMEOUT_MS,
    );
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs without an engine warning or any other warning', () => {
    assert.equal(install.code, 0, install.stderr);
    const warnings = `${install.stdout}\n${install.stderr}`
      .split('\n')
      .filter((line) => /EBADENGINE|^npm warn/i.test(line));
    assert.deepEqual(warnings, []);
  });

  it("compiles the README's library example and the library guide's with strict and skipLibCheck: false", async () => {
    const tsc = await sh(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', '.'], dir);
    assert.equal(tsc.code, 0, `${tsc.stdout}${tsc.stderr}`);
    assert.ok((await readdir(dir)).includes('example.js'));
  });

  it('runs it: nbsvm trained, saved, loaded, predicting and explaining; then a network trained for one epoch', async () => {
    const example = await sh(process.execPath, ['example.js'], dir);
    assert.equal(example.code, 0, `${example.stderr}${example.stdout}`);
    const labels = example.stdout.match(/label: '(neg|pos)'/g) ?? [];
    // Two predictions of nbsvm, one of the network.
    assert.ok(labels.length >= 3, example.stdout);
    assert.match(example.stdout, /token: '/);
  });
});
