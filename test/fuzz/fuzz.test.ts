/**
 * The short fuzz budget of `npm test`: a few dozen generated inputs per target (POLARITY_FUZZ_RUNS to
 * change it), each of which must succeed or fail with a typed error naming its file, in bounded memory,
 * leaving its input files as they were. `npm run fuzz -- --runs N` is the long run.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { changedFiles, explain, runCase, snapshot } from './harness.js';
import { fuzzTargets, type AnyTarget } from './targets.js';

// Seeded, so that a run is repeatable (a failure prints its counterexample).
fc.configureGlobal({ seed: 16 });

const RUNS = Number(process.env.POLARITY_FUZZ_RUNS ?? 30);
const { targets, fixtures, cleanup } = await fuzzTargets();
const watchedDirs = [...fixtures, resolve('test/fixtures')];

describe(`fuzz: ${RUNS} inputs per target`, () => {
  let snapshots: Map<string, string>[];
  before(async () => (snapshots = await Promise.all(watchedDirs.map(snapshot))));
  after(async () => {
    const now = await Promise.all(watchedDirs.map(snapshot));
    const changed = snapshots.flatMap((snap, i) => changedFiles(snap, now[i]));
    await cleanup();
    assert.deepEqual(changed, [], 'shared fixtures changed');
  });

  for (const target of targets as AnyTarget[]) {
    it(target.name, async () => {
      await target.setup?.();
      try {
        await fc.assert(
          fc.asyncProperty(target.input, async (input) => {
            const outcome = await runCase(target, input);
            if (outcome.kind === 'crash' || outcome.kind === 'changed') throw new Error(explain(outcome));
          }),
          { numRuns: RUNS },
        );
      } finally {
        await target.teardown?.();
      }
    });
  }
});
