/**
 * The tokenizing worker starts from where parallel-tokenize.ts points, and does its share. Started directly,
 * because tokenizeInParallel quietly tokenizes on one thread when a worker fails (a moved or misnamed worker
 * module would otherwise go unnoticed, only slower).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { TOKENIZE_WORKER, type TokenizeWorkerData } from '../../../src/text/features/parallel-tokenize.js';
import { mergeChunks, tokenIds, type BuilderOutput } from '../../../src/text/features/token-ids.js';
import { startModuleWorker } from '../../../src/util/module-worker.js';

function answer(worker: Worker): Promise<BuilderOutput> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before answering`)));
  });
}

describe('tokenize worker', () => {
  it('starts from its module URL and tokenizes every chunk when it is alone', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `Review ${i}: a <b>good</b> film, or not ${i % 7}.`);
    const data: TokenizeWorkerData = {
      texts,
      chunkSize: 8,
      counters: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
      punctuation: false,
    };
    const worker = startModuleWorker(TOKENIZE_WORKER, { workerData: data });
    try {
      const output = await answer(worker);
      assert.equal(output.chunks.length, Math.ceil(texts.length / data.chunkSize));
      assert.deepEqual(mergeChunks([output], texts.length), tokenIds(texts));
      assert.equal(new Int32Array(data.counters)[1], texts.length);
    } finally {
      await worker.terminate();
    }
  });
});
