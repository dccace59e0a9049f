/**
 * A network starts the TF.js backend itself, the one `preferBackend` chose, and says so once; the
 * caller never calls initBackend. Each case runs in a fresh process, where no backend has started.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const src = (path: string) =>
  JSON.stringify(pathToFileURL(new URL(`../../src/${path}`, import.meta.url).pathname).href);

/** Runs `body` as an ES module in a fresh Node process (through tsx) and returns what it printed. */
async function inFreshProcess(body: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', body], {
    cwd: new URL('../..', import.meta.url).pathname,
  });
  return stdout.trim();
}

test('training a network starts the preferred backend on first use and announces it once', async () => {
  const printed = await inFreshProcess(`
    import { preferBackend, onBackendStart } from ${src('engine/backend-choice.ts')};
    import { activeBackend } from ${src('engine/backend.ts')};
    import { createTrainer } from ${src('models/trainers.ts')};
    const started = [];
    onBackendStart((name) => started.push(name));
    preferBackend({ backend: 'cpu' });
    const examples = Array.from({ length: 16 }, (_, i) => ({ text: (i % 2 ? 'good fine' : 'bad awful') + ' film ' + i, label: i % 2 ? 'pos' : 'neg' }));
    const trainer = await createTrainer('mlp', { neural: { hyperParameters: { epochs: 1, numWords: 30, maxLen: 8, batchSize: 8 } } });
    const model = await trainer.fit({ name: 'toy', labels: ['neg', 'pos'], train: examples, test: [] }, { seed: 1 });
    await model.predict(['a good film']);
    console.log(JSON.stringify({ started, active: activeBackend() }));
  `);
  assert.deepEqual(JSON.parse(printed), { started: ['cpu'], active: 'cpu' });
});

test('training and scoring a linear model starts no backend', async () => {
  const printed = await inFreshProcess(`
    import { onBackendStart } from ${src('engine/backend-choice.ts')};
    import { createTrainer } from ${src('models/trainers.ts')};
    const started = [];
    onBackendStart((name) => started.push(name));
    const examples = Array.from({ length: 16 }, (_, i) => ({ text: (i % 2 ? 'good fine' : 'bad awful') + ' film ' + i, label: i % 2 ? 'pos' : 'neg' }));
    const trainer = await createTrainer('nbsvm', {});
    const model = await trainer.fit({ name: 'toy', labels: ['neg', 'pos'], train: examples, test: [] }, { seed: 1 });
    await model.predict(['a good film']);
    console.log(JSON.stringify({ started, tfLoaded: globalThis._tfengine !== undefined }));
  `);
  assert.deepEqual(JSON.parse(printed), { started: [], tfLoaded: false });
});
