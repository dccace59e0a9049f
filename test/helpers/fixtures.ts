import { fileURLToPath } from 'node:url';
import { loadImdb } from '../../src/data/index.js';
import type { Dataset } from '../../src/data/types.js';

/** A few hundred real IMDB reviews cut from the full dataset by bench/make-fixture.ts. */
export const IMDB_SAMPLE = fileURLToPath(new URL('../fixtures/imdb-sample.tar.gz', import.meta.url));

let cached: Promise<Dataset> | undefined;

export function imdbSample(): Promise<Dataset> {
  cached ??= loadImdb(IMDB_SAMPLE);
  return cached;
}
