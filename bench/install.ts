/**
 * What a user who installs Polarity into another project gets: the installed size and the start-up
 * time of commands that use no network model.
 *
 *   npm run bench:install -- [--runs 7] [--out bench/results/install.json] [--keep DIR]
 *                            [--tarball FILE]
 *
 * 1. Builds the package and packs it (`npm pack`), as it would be published; or takes --tarball, a
 *    package packed from another commit, to measure the same way what an earlier version installed.
 * 2. Installs the tarball into a fresh temporary project (`npm install --omit=dev`, from the npm
 *    registry or npm's cache), and prints the size of its node_modules, with the largest packages.
 * 3. Trains a bigram nbsvm on a small CSV with the installed CLI, then times, --runs times each
 *    (median and min), `polarity --version`, `polarity predict` of one short text and `polarity
 *    explain` of one short text, and the same `predict` of a 1-epoch mlp (which does load TF.js).
 *
 * Sizes count file bytes (`du --apparent-size`), so they do not depend on the file system.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    out: { type: 'string' },
    keep: { type: 'string' },
    tarball: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs must be a positive integer');

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Bytes under `dir`, counted as file sizes. */
function bytesUnder(dir: string): number {
  return Number(run('du', ['-s', '--apparent-size', '--block-size=1', dir], dir).split('\t')[0]);
}

/** The installed packages (scoped ones by their full name), largest first. */
async function largestPackages(modules: string): Promise<{ name: string; bytes: number }[]> {
  const names: string[] = [];
  for (const entry of await readdir(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const inner of await readdir(join(modules, entry))) names.push(`${entry}/${inner}`);
    } else names.push(entry);
  }
  return names
    .map((name) => ({ name, bytes: bytesUnder(join(modules, name)) }))
    .sort((a, b) => b.bytes - a.bytes);
}

interface Packed {
  readonly path: string;
  readonly size: number;
  readonly unpackedSize: number;
}

/** This checkout, built and packed into `work`. */
function buildAndPack(work: string): Packed {
  process.stderr.write('building and packing…\n');
  run('npm', ['run', 'build', '--silent'], ROOT);
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as {
    filename: string;
    size: number;
    unpackedSize: number;
  }[];
  return { path: join(work, packed.filename), size: packed.size, unpackedSize: packed.unpackedSize };
}

/** A tarball packed elsewhere (its unpacked size read from the archive's listing). */
function packedFile(file: string): Packed {
  const path = resolve(file);
  const listing = run('tar', ['-tvzf', path], ROOT).trim().split('\n');
  const unpackedSize = listing.reduce((sum, line) => sum + Number(line.split(/\s+/)[2]), 0);
  return { path, size: statSync(path).size, unpackedSize };
}

interface Timing {
  readonly command: string;
  readonly medianSeconds: number;
  readonly minSeconds: number;
}

/** Runs `args` with the installed CLI RUNS times; the exit status must be 0 each time. */
function time(project: string, label: string, args: readonly string[]): Timing {
  const bin = join(project, 'node_modules', '.bin', 'polarity');
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(bin, args, { cwd: project, encoding: 'utf8' });
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}: ${result.stderr}`);
  }
  seconds.sort((a, b) => a - b);
  return { command: label, medianSeconds: seconds[Math.floor(RUNS / 2)], minSeconds: seconds[0] };
}

/** A small two-label CSV: enough for the CLI to train nbsvm and a 1-epoch mlp in seconds. */
function fixtureCsv(): string {
  const good = ['a wonderful, moving film', 'great acting and a fine story', 'I loved every minute'];
  const bad = ['a dull, boring mess', 'terrible acting and a weak plot', 'I hated every minute'];
  const rows = ['text,label'];
  for (let i = 0; i < 40; i++) {
    rows.push(`"${good[i % 3]} ${i}",pos`, `"${bad[i % 3]} ${i}",neg`);
  }
  return rows.join('\n') + '\n';
}

const work = values.keep ?? (await mkdtemp(join(tmpdir(), 'polarity-install-')));
await mkdir(work, { recursive: true });
try {
  const packed = values.tarball === undefined ? buildAndPack(work) : packedFile(values.tarball);
  const tarball = packed.path;

  const project = join(work, 'consumer');
  await mkdir(project, { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  process.stderr.write('installing the tarball into a fresh project…\n');
  const install = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', tarball], {
    cwd: project,
    encoding: 'utf8',
  });
  if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
  const warnings = install.stderr.split('\n').filter((line) => /warn/i.test(line));

  const modules = join(project, 'node_modules');
  const installedBytes = bytesUnder(modules);
  const largest = (await largestPackages(modules)).slice(0, 8);

  await writeFile(join(project, 'reviews.csv'), fixtureCsv());
  process.stderr.write('training a bigram nbsvm and a 1-epoch mlp with the installed CLI…\n');
  const train = (args: string[]) => {
    const result = spawnSync(join(modules, '.bin', 'polarity'), ['train', '--data', 'reviews.csv', ...args], {
      cwd: project,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`train ${args.join(' ')} failed: ${result.stderr}`);
  };
  train(['--model', 'nbsvm', '--ngrams', '2', '--out', 'nbsvm-model']);
  train(['--model', 'mlp', '--epochs', '1', '--num-words', '200', '--max-len', '20', '--out', 'mlp-model']);
  const text = 'a wonderful, moving film with great acting';

  const timings = [
    time(project, 'polarity --version', ['--version']),
    time(project, 'polarity predict (nbsvm, one text)', ['predict', '--model', 'nbsvm-model', text]),
    time(project, 'polarity explain (nbsvm, one text)', ['explain', '--model', 'nbsvm-model', text]),
    time(project, 'polarity predict (mlp, one text)', ['predict', '--model', 'mlp-model', text]),
  ];

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    runs: RUNS,
    tarballBytes: packed.size,
    packageUnpackedBytes: packed.unpackedSize,
    installedBytes,
    largestPackages: largest,
    installWarnings: warnings,
    timings,
  };
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(`installed: ${mb(installedBytes)} (tarball ${mb(packed.size)})`);
  for (const { name, bytes } of largest) console.log(`  ${name.padEnd(36)} ${mb(bytes).padStart(10)}`);
  console.log(`install warnings: ${warnings.length === 0 ? 'none' : ''}`);
  for (const warning of warnings) console.log(`  ${warning}`);
  console.log(`start-up (${RUNS} runs, median / min):`);
  for (const t of timings) {
    console.log(`  ${t.command.padEnd(40)} ${t.medianSeconds.toFixed(2)} s / ${t.minSeconds.toFixed(2)} s`);
  }
  if (values.out !== undefined) await writeFile(values.out, JSON.stringify(result, null, 2) + '\n');
} finally {
  if (values.keep === undefined) await rm(work, { recursive: true, force: true });
}
