import cliProgress from 'cli-progress';
import type { EarlyStoppingReport, EpochRecord, TrainingCallbacks } from '../models/classifier.js';
import type { EmbeddingsRecord } from '../persist/manifest.js';
import { progressReporter } from './progress-bar.js';

/**
 * Keras `verbose=1`-style training output: "Epoch 1/2", then a bar per epoch with samples/s and
 * the running loss and accuracy, closed by the epoch's validation metrics. Without a terminal it
 * prints one line per epoch so logs stay readable.
 */
export function trainingProgress(
  stream: NodeJS.WriteStream = process.stderr,
): TrainingCallbacks & { stop(): void } {
  const interactive = Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  let epochStarted = 0;
  let samples = 0;
  let batchSize = 0;
  // Work before the first epoch (tokenizing, reading word vectors) gets a bar of its own.
  const preparing = progressReporter(undefined, { stream });

  return {
    onProgress: preparing.onProgress,
    onEmbeddings(record) {
      preparing.stop();
      stream.write(`${describeEmbeddings(record)}\n`);
    },
    onEpochBegin(epoch, epochs, total) {
      preparing.stop();
      stream.write(`Epoch ${epoch}/${epochs}\n`);
      epochStarted = performance.now();
      samples = total;
      if (interactive) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format:
              ' {value}/{total} [{bar}] {eta_formatted} - {rate} samples/s - loss: {loss} - accuracy: {accuracy}',
            barsize: 30,
            hideCursor: true,
          },
          cliProgress.Presets.legacy,
        );
        bar.start(total, 0, { rate: '0', loss: '-', accuracy: '-' });
      }
    },
    onBatchEnd(_epoch, batch, batches, logs) {
      if (batch === 1) batchSize = Math.ceil(samples / batches);
      const done = Math.min(batch * batchSize, samples);
      const seconds = (performance.now() - epochStarted) / 1000;
      bar?.update(done, {
        rate: (done / seconds).toFixed(0),
        loss: logs.loss.toFixed(4),
        accuracy: logs.accuracy.toFixed(4),
      });
    },
    onEpochEnd(record: EpochRecord) {
      bar?.stop();
      bar = undefined;
      const validation =
        record.valLoss === undefined
          ? ''
          : ` - val_loss: ${record.valLoss.toFixed(4)} - val_accuracy: ${record.valAccuracy!.toFixed(4)}`;
      stream.write(
        ` ${samples}/${samples} - ${record.seconds.toFixed(1)}s (${(samples / record.seconds).toFixed(0)} samples/s)` +
          ` - loss: ${record.loss.toFixed(4)} - accuracy: ${record.accuracy.toFixed(4)}${validation}\n`,
      );
    },
    onCheckpoint(epoch, dir) {
      stream.write(`checkpoint: saved the model after epoch ${epoch} to ${dir}\n`);
    },
    onEarlyStopping(report) {
      stream.write(describeEarlyStopping(report) + '\n');
    },
    stop() {
      preparing.stop();
      bar?.stop();
    },
  };
}

/** "word vectors: glove.6B.50d.txt (glove, 50 dimensions, fine-tuned): 4,812 of 4,996 words (96.3%), …". */
export function describeEmbeddings(record: EmbeddingsRecord): string {
  const { words, found, foundByCase, tokenShare } = record.coverage;
  const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
  const byCase = foundByCase > 0 ? `, ${foundByCase.toLocaleString('en-US')} through another case` : '';
  const tokens = tokenShare === undefined ? '' : `, ${percent(tokenShare)} of training tokens`;
  return (
    `word vectors: ${record.file} (${record.format}, ${record.dim} dimensions, ${record.frozen ? 'frozen' : 'fine-tuned'}): ` +
    `${found.toLocaleString('en-US')} of ${words.toLocaleString('en-US')} vocabulary words ` +
    `(${words > 0 ? percent(found / words) : '–'}${byCase})${tokens}`
  );
}

/** One line on what early stopping did: when it stopped, the best epoch, and whether weights were restored. */
export function describeEarlyStopping(report: EarlyStoppingReport): string {
  const stopped =
    report.stoppedEpoch === null
      ? 'ran every epoch'
      : `stopped after epoch ${report.stoppedEpoch} (val_loss did not improve for ${report.patience} epoch${report.patience === 1 ? '' : 's'})`;
  if (report.bestEpoch === 0) return `early stopping: ${stopped}; val_loss was never a finite number`;
  const best = `best epoch ${report.bestEpoch} (val_loss ${report.bestValLoss.toFixed(4)})`;
  const weights = report.restored
    ? `restored the weights of epoch ${report.bestEpoch}`
    : 'the last epoch was the best, its weights are kept';
  return `early stopping: ${stopped}; ${best}; ${weights}`;
}
