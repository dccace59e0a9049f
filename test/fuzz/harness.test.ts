import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DatasetError, OptionError } from '../../src/errors.js';
import { applyEdits } from './inputs.js';
import { runCase, type FuzzTarget, type Outcome } from './harness.js';

/** A target over one fixed input whose run does `run` with the case's file. */
function target(run: (file: string) => Promise<void>, namesFile = true): FuzzTarget<null> {
  return {
    name: 'probe',
    namesFile,
    input: fc.constant(null),
    prepare: (_input, dir) => writeFile(join(dir, 'in.txt'), 'hello\n'),
    run: (_input, dir) => run(join(dir, 'in.txt')),
  };
}

const run = promisify(execFile);

const kindOf = async (t: FuzzTarget<null>): Promise<Outcome['kind']> => (await runCase(t, null)).kind;

describe('the fuzz harness tells a pass from a crash', () => {
  it('success and a typed error that names the file pass', async () => {
    assert.equal(await kindOf(target(async (file) => void (await readFile(file)))), 'ok');
    assert.equal(
      await kindOf(target(async (file) => Promise.reject(new DatasetError('bad', file, 1)))),
      'typed',
    );
    assert.equal(await kindOf(target(async () => Promise.reject(new OptionError('--x: bad')))), 'typed');
  });

  it('an untyped error, or a typed one that names no file of the input, is a crash', async () => {
    assert.equal(await kindOf(target(async () => Promise.reject(new TypeError('x is undefined')))), 'crash');
    assert.equal(
      await kindOf(target(async () => Promise.reject(new DatasetError('bad', 'elsewhere.csv')))),
      'crash',
    );
    assert.equal(
      await kindOf(target(async () => Promise.reject(new DatasetError('bad', 'elsewhere.csv')), false)),
      'typed',
    );
  });

  it('an error that escapes the case (uncaught, or a rejection nobody handles) is a crash', async () => {
    // In a child: node:test would rightly fail this test for the stray errors the probes make on purpose.
    const harness = new URL('./harness.ts', import.meta.url).href;
    const errors = new URL('../../src/errors.ts', import.meta.url).href;
    const script = `
      import fc from 'fast-check';
      const { runCase } = await import(${JSON.stringify(harness)});
      const { DatasetError } = await import(${JSON.stringify(errors)});
      const probe = (run) => ({ name: 'probe', namesFile: false, input: fc.constant(null), run });
      const late = await runCase(probe(async () => { setImmediate(() => { throw new Error('thrown where no promise holds it'); }); }), null);
      const unhandled = await runCase(probe(async () => void Promise.reject(new DatasetError('nobody waits'))), null);
      console.log(JSON.stringify([late, unhandled]));
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const [late, unhandled] = JSON.parse(stdout) as Outcome[];
    assert.equal(late.kind, 'crash');
    assert.match(
      late.kind === 'crash' ? late.reason : '',
      /uncaught Error: thrown where no promise holds it/,
    );
    assert.equal(unhandled.kind, 'crash');
  });

  it('holding memory past the bound is a crash', async () => {
    const outcome = await runCase(
      target(async () => {
        const held = Array.from({ length: 20 }, () => Buffer.alloc(8 << 20, 1));
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(held.length, 20);
      }),
      null,
    );
    assert.equal(outcome.kind, 'crash');
    assert.match(outcome.kind === 'crash' ? outcome.reason : '', /held \d+ MB/);
  });

  it('changing the input file is counted, whatever the run returns', async () => {
    const outcome = await runCase(
      target((file) => writeFile(file, 'changed')),
      null,
    );
    assert.deepEqual(outcome.kind, 'changed');
  });

  it('applyEdits keeps positions inside the bytes', () => {
    const out = applyEdits(Buffer.from('abc'), [
      { kind: 'token', at: 4, token: 0 },
      { kind: 'delete', at: 100, length: 2 },
      { kind: 'flip', at: 0, bit: 0 },
    ]);
    // '"abc' (4 wraps to 0), then 'bc' (100 wraps to 0), then 'b' ^ 1 = 'c'.
    assert.equal(out.toString('latin1'), 'cc');
  });
});
