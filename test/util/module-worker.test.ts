/** Which Node options a compiled module's worker inherits: all but a TypeScript loader. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutTypeScriptLoader } from '../../src/util/module-worker.js';

describe('withoutTypeScriptLoader', () => {
  const cases: [string[], string[]][] = [
    [['--import', 'tsx'], []],
    [['--import=tsx', '--max-old-space-size=100'], ['--max-old-space-size=100']],
    [['--import', '/app/node_modules/tsx/dist/loader.mjs', '--trace-warnings'], ['--trace-warnings']],
    [['--require', 'tsx/cjs', '--loader=tsx'], []],
    [
      ['--import', 'tsxtra', '--import', './setup.mjs'],
      ['--import', 'tsxtra', '--import', './setup.mjs'],
    ],
    [['--import'], ['--import']],
  ];
  for (const [given, kept] of cases) {
    it(`${JSON.stringify(given)} → ${JSON.stringify(kept)}`, () => {
      assert.deepEqual(withoutTypeScriptLoader(given), kept);
    });
  }
});
