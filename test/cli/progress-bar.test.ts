import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { progressReporter, rateText } from '../../src/cli/progress-bar.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

describe('progressReporter', () => {
  it('prints plain lines when not on a terminal: first, last, and one per task', () => {
    const { stream, text } = sink();
    const progress = progressReporter(undefined, { stream, tty: false });
    for (let done = 0; done <= 50_000; done += 500) {
      progress.onProgress({ task: 'reading imdb', done, total: 50_000, unit: 'reviews' });
    }
    progress.onProgress({ task: 'downloading', done: 1_500_000, total: 84_125_825, unit: 'bytes' });
    progress.stop();
    progress.stop();
    assert.deepEqual(text().trimEnd().split('\n'), [
      'reading imdb: 0/50,000 reviews (0%)',
      'reading imdb: 50,000/50,000 reviews (100%)',
      'downloading: 1.5 MB/84.1 MB (1%)',
    ]);
  });

  it('prints the last pending line on stop and uses the label', () => {
    const { stream, text } = sink();
    const progress = progressReporter('training', { stream, tty: false });
    progress.onProgress({ task: 'epoch 1', done: 0, total: 100, unit: 'batches' });
    progress.onProgress({ task: 'epoch 1', done: 40, total: 100, unit: 'batches' });
    progress.stop();
    assert.equal(text(), 'training: 0/100 batches (0%)\ntraining: 40/100 batches (40%)\n');
  });

  it('draws a bar on a terminal, and nothing at all without events', () => {
    const idle = sink();
    progressReporter('idle', { stream: idle.stream, tty: true }).stop();
    assert.equal(idle.text(), '');

    const { stream, text } = sink();
    Object.assign(stream, { isTTY: true, columns: 120 });
    const progress = progressReporter('downloading imdb', { stream });
    progress.onProgress({ task: 'downloading', done: 0, total: 2_000_000, unit: 'bytes' });
    progress.onProgress({ task: 'downloading', done: 2_000_000, total: 2_000_000, unit: 'bytes' });
    progress.stop();
    assert.match(text(), /downloading imdb \[.*\] 100% \| 2\.0 MB\/2\.0 MB/);
  });

  it('prints a slow unit as seconds each rather than as 0 a second', () => {
    assert.equal(rateText(1250.4, 'reviews'), '1,250 reviews/s');
    assert.equal(rateText(0.02, 'epochs'), '50.0 s per epoch');
    assert.equal(rateText(0.5, undefined), '2.0 s per unit');
    assert.equal(rateText(2_000_000, 'bytes'), '2.0 MB/s');
  });
});
