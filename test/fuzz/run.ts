/**
 * `npm run fuzz -- --runs N [--seed S] [--target NAME]`: the long fuzz run. Tries N generated inputs per
 * target and prints, per target and in all: cases tried, typed errors, crashes, and files changed that
 * should not have been (the case's own input files, and the shared fixtures, hashed before and after).
 * Exits 1 when there is any crash or changed file.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { changedFiles, FuzzTally, runCase, snapshot } from './harness.js';
import { fuzzTargets } from './targets.js';

const BATCH = 100;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    target: { type: 'string' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
  console.error(
    `--runs wants a positive integer and --seed an integer, got ${values.runs} and ${values.seed}`,
  );
  process.exit(2);
}

const { targets, fixtures, cleanup } = await fuzzTargets();
const chosen = targets.filter((t) => values.target === undefined || t.name === values.target);
if (chosen.length === 0) {
  console.error(`no target "${values.target}"; targets: ${targets.map((t) => t.name).join(', ')}`);
  process.exit(2);
}
const watchedDirs = [...fixtures, resolve('test/fixtures')];
const before = await Promise.all(watchedDirs.map(snapshot));

console.log(`fuzz: ${runs} cases per target, seed ${seed}`);
const total = new FuzzTally();
const rows: string[][] = [['target', 'cases', 'typed errors', 'crashes', 'files changed', 'seconds']];
for (const target of chosen) {
  const tally = new FuzzTally();
  const started = performance.now();
  await target.setup?.();
  try {
    for (let done = 0, batch = 0; done < runs; batch++) {
      const inputs = fc.sample(target.input, { numRuns: Math.min(BATCH, runs - done), seed: seed + batch });
      for (const input of inputs) {
        const outcome = await runCase(target, input);
        tally.add(target.name, outcome, input);
        total.add(target.name, outcome, input);
      }
      done += inputs.length;
    }
  } finally {
    await target.teardown?.();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  rows.push([target.name, ...[tally.cases, tally.typed, tally.crashes, tally.changed].map(String), seconds]);
  console.log(
    `  ${target.name}: ${tally.cases} cases, ${tally.typed} typed errors, ${tally.crashes} crashes, ${tally.changed} files changed (${seconds} s)`,
  );
}
const after = await Promise.all(watchedDirs.map(snapshot));
const fixturesChanged = before.flatMap((snap, i) => changedFiles(snap, after[i]));
await cleanup();

rows.push([
  'all',
  ...[total.cases, total.typed, total.crashes, total.changed + fixturesChanged.length].map(String),
  '',
]);
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
console.log();
for (const row of rows)
  console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log();
console.log(`cases tried: ${total.cases}`);
console.log(`typed errors: ${total.typed}`);
console.log(`crashes: ${total.crashes}`);
console.log(`files changed that should not have been: ${total.changed + fixturesChanged.length}`);
for (const failure of total.failures) console.log(`\n${failure}`);
for (const file of fixturesChanged) console.log(`\nshared fixture changed: ${file}`);
process.exitCode = total.crashes > 0 || total.changed + fixturesChanged.length > 0 ? 1 : 0;
