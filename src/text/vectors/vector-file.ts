/**
 * Word vectors written in the word2vec text format (a `WORDS DIM` header line, then `word v1 … vD`
 * per line, six decimals as the original tool writes them), which `--embeddings` reads
 * (`../embeddings/word-vectors.ts`). The file is written beside its target and renamed over it, so a
 * reader never sees half of one.
 */
import { once } from 'node:events';
import { openAtomicWriteStream } from '../../util/atomic-write-stream.js';
import type { TrainedWordVectors } from './train-word-vectors.js';

/** A word2vec text header: what an earlier vector file starts with, so that it may be replaced. */
const WORD2VEC_HEADER = /^\d+[ \t]+\d+[ \t]*\r?\n/;

/** Whether a file's start is a word2vec text file's (its header line), rather than anything else. */
export function isWordVectorFileStart(start: string): boolean {
  return WORD2VEC_HEADER.test(start);
}

const FLUSH_CHARS = 1 << 20;

/** Writes `trained` to `path` atomically; returns the number of vectors written. */
export async function writeWordVectorsFile(path: string, trained: TrainedWordVectors): Promise<number> {
  const { units, dim, vectors } = trained;
  const out = await openAtomicWriteStream(path);
  try {
    let chunk = `${units.length} ${dim}\n`;
    for (let u = 0; u < units.length; u++) {
      const values = new Array<string>(dim);
      for (let k = 0; k < dim; k++) values[k] = vectors[u * dim + k].toFixed(6);
      chunk += `${units[u]} ${values.join(' ')}\n`;
      if (chunk.length >= FLUSH_CHARS) {
        if (!out.stream.write(chunk)) await once(out.stream, 'drain');
        chunk = '';
      }
    }
    out.stream.write(chunk);
    await out.commit();
  } catch (error) {
    await out.abort();
    throw error;
  }
  return units.length;
}
