/**
 * Writes test/fixtures/imdb-sample.tar.gz: a small, deterministic sample of IMDB in the Stanford
 * layout (1,000 train and 250 test reviews per label: enough for the tutorial models to learn well above chance), so that tests of the loaders, encoders and
 * models run on real reviews without the 28–84 MB archive.
 *
 *   node --import tsx bench/make-fixture.ts [source] [out]
 *
 * `source` defaults to --data resolution ($POLARITY_DATA, then the cache; no download); `out`
 * defaults to test/fixtures/imdb-sample.tar.gz. The same source always gives the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, constants } from 'node:zlib';
import tar from 'tar-stream';
import { loadImdb, resolveImdb } from '../src/data/index.js';
import type { Example, SplitName } from '../src/data/types.js';

const PER_LABEL: Record<SplitName, number> = { train: 1000, test: 250 };
const MTIME = new Date('2011-06-01T00:00:00Z');
const DEFAULT_OUT = fileURLToPath(new URL('../test/fixtures/imdb-sample.tar.gz', import.meta.url));

/** Every k-th example of `sorted`, k = ⌊n / count⌋, so the sample spreads over the whole id range. */
function sample(sorted: readonly Example[], count: number): Example[] {
  if (sorted.length < count) throw new Error(`only ${sorted.length} examples, ${count} wanted`);
  const step = Math.floor(sorted.length / count);
  return Array.from({ length: count }, (_, index) => sorted[index * step]);
}

async function main(): Promise<void> {
  const source = await resolveImdb({ data: process.argv[2], download: false });
  const out = resolve(process.argv[3] ?? DEFAULT_OUT);
  const dataset = await loadImdb(source);

  await mkdir(dirname(out), { recursive: true });
  const partial = `${out}.tmp`;
  const pack = tar.pack();
  const written = pipeline(
    pack,
    createGzip({ level: constants.Z_BEST_COMPRESSION }),
    createWriteStream(partial),
  );
  const header = { mtime: MTIME, uid: 0, gid: 0, uname: '', gname: '' };
  const directory = (name: string): void => {
    pack.entry({ ...header, name, type: 'directory', mode: 0o755 });
  };

  directory('aclImdb/');
  for (const split of ['train', 'test'] as const) {
    directory(`aclImdb/${split}/`);
    for (const label of dataset.labels) {
      directory(`aclImdb/${split}/${label}/`);
      const examples = dataset[split].filter((example) => example.label === label);
      for (const example of sample(examples, PER_LABEL[split])) {
        const name = `aclImdb/${split}/${label}/${example.id}_${example.rating}.txt`;
        pack.entry({ ...header, name, mode: 0o644 }, Buffer.from(example.text, 'utf8'));
      }
    }
  }
  pack.finalize();
  await written;
  await rename(partial, out);
  const { size } = await stat(out);
  console.log(`wrote ${out} (${(size / 1024).toFixed(0)} KiB) from ${source}`);
}

await main();
