/**
 * TensorFlow.js takes about a second to import: the family table, every family's option declarations,
 * `polarity --help` and a linear model's loading and scoring must not import it. Each case runs in a
 * child process (this one may have loaded TF.js already) and reports whether TF.js's engine, which
 * tfjs-core puts on the global object as it loads, exists at the end; the registry of networks, which
 * does load TF.js, shows that the check sees it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LinearTrainer } from '../../src/models/linear/linear-trainer.js';
import { toyDataset } from '../helpers/toy.js';

const run = promisify(execFile);
const SRC = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

/** Prints, as the process ends, whether TF.js was imported. */
const REPORT_AT_EXIT = `data:text/javascript,process.on('exit', () => process.stderr.write('\\ntf-loaded=' + (globalThis._tfengine !== undefined) + '\\n'))`;

/** Runs `args` under tsx and says whether the process imported TF.js. */
async function loadsTf(args: readonly string[]): Promise<boolean> {
  const { stderr } = await run(process.execPath, ['--import', 'tsx', '--import', REPORT_AT_EXIT, ...args], {
    maxBuffer: 1 << 24,
  });
  const reported = /tf-loaded=(true|false)/.exec(stderr)?.[1];
  assert.ok(reported !== undefined, `no report from the child process: ${stderr}`);
  return reported === 'true';
}

/** Runs a module script (ES module text) and says whether it imported TF.js. */
function scriptLoadsTf(script: string): Promise<boolean> {
  return loadsTf(['--input-type=module', '--eval', script]);
}

const url = (path: string) => JSON.stringify(new URL(`../../src/${path}`, import.meta.url).href);

describe('what loads without TensorFlow.js', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polarity-tf-free-'));
    const classifier = await new LinearTrainer({ model: 'nbsvm' }).fit(toyDataset(40), { seed: 1 });
    await classifier.save(join(dir, 'nbsvm'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('the check sees TF.js when the networks registry is imported', async () => {
    assert.equal(await scriptLoadsTf(`await import(${url('models/neural/registry.ts')});`), true);
  });

  it('the family table and every family option declaration load without it', async () => {
    const script = `
      const { familyOptions } = await import(${url('models/family-options.ts')});
      const { families } = await import(${url('models/families.ts')});
      const options = familyOptions();
      if (options.length !== families().length) throw new Error('a built-in family without options');
      for (const family of options)
        for (const model of family.models())
          for (const d of family.declarations) d.default?.(model);`;
    assert.equal(await scriptLoadsTf(script), false);
  });

  it('polarity --help loads without it', async () => {
    assert.equal(await loadsTf([SRC('cli/bin.ts'), '--help']), false);
    assert.equal(await loadsTf([SRC('cli/bin.ts'), 'train', '--help']), false);
  });

  it('a linear model loads and scores without it', async () => {
    const script = `
      const { loadClassifier } = await import(${url('models/load.ts')});
      const model = await loadClassifier(${JSON.stringify(join(dir, 'nbsvm'))});
      const [p] = await model.predict(['a good fine film']);
      if (p.label !== 'pos') throw new Error('unexpected label ' + p.label);`;
    assert.equal(await scriptLoadsTf(script), false);
  });
});
