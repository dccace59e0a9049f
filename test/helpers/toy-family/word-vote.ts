/**
 * A toy model family for tests, in one folder: "word-vote" counts how often each word came with each
 * label in training and lets the words of a text vote. It shows what a family must provide (a
 * trainer, a classifier that saves and loads itself, an entry for the table) and nothing more.
 */
import type { Dataset } from '../../../src/data/types.js';
import type {
  BatchTrainer,
  Classifier,
  FitOptions,
  Prediction,
  TrainingBatches,
} from '../../../src/models/classifier.js';
import type { Example } from '../../../src/data/types.js';
import { ModelFormatError } from '../../../src/errors.js';
import type { ModelManifest } from '../../../src/persist/manifest.js';
import { readModelFile, writeModelDirectory } from '../../../src/persist/model-dir.js';

export const WORD_VOTE_KIND = 'word-vote';
const COUNTS_FILE = 'votes.json';

/** The toy family's options: added counts per word and label (Laplace smoothing). */
export interface WordVoteOptions {
  readonly smoothing?: number;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/u)
    .filter(Boolean);
}

export class WordVoteClassifier implements Classifier {
  readonly kind = WORD_VOTE_KIND;

  constructor(
    readonly labels: readonly string[],
    /** Per word, how often it came with each label (in `labels` order). */
    readonly counts: ReadonlyMap<string, readonly number[]>,
    readonly smoothing: number,
  ) {}

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    return texts.map((text) => {
      const logits = this.labels.map(() => 0);
      for (const word of words(text)) {
        const counts = this.counts.get(word);
        if (!counts) continue;
        const total = counts.reduce((a, b) => a + b, 0) + this.smoothing * counts.length;
        counts.forEach((n, k) => (logits[k] += Math.log((n + this.smoothing) / total)));
      }
      const top = Math.max(...logits);
      const exp = logits.map((l) => Math.exp(l - top));
      const sum = exp.reduce((a, b) => a + b, 0);
      const probabilities = exp.map((e) => e / sum);
      const best = probabilities.indexOf(Math.max(...probabilities));
      return {
        label: this.labels[best],
        score: probabilities[best],
        scores: Object.fromEntries(this.labels.map((label, k) => [label, probabilities[k]])),
      };
    });
  }

  async save(dir: string): Promise<void> {
    await writeModelDirectory(
      dir,
      {
        kind: this.kind,
        labels: this.labels,
        hyperParameters: { smoothing: this.smoothing },
        encoder: { words: 'lower-case letters and digits' },
        training: { createdAt: new Date().toISOString() },
      },
      { [COUNTS_FILE]: JSON.stringify(Object.fromEntries(this.counts)) },
    );
  }

  static async load(dir: string, manifest: ModelManifest): Promise<WordVoteClassifier> {
    const smoothing = manifest.hyperParameters.smoothing;
    if (typeof smoothing !== 'number') throw new ModelFormatError('"smoothing" should be a number', dir);
    const counts = JSON.parse((await readModelFile(dir, manifest, COUNTS_FILE)).toString('utf8')) as Record<
      string,
      number[]
    >;
    return new WordVoteClassifier(manifest.labels, new Map(Object.entries(counts)), smoothing);
  }

  dispose(): void {}
}

/** Trains in one pass over the examples, so it can also read them in batches (its entry says it streams). */
export class WordVoteTrainer implements BatchTrainer {
  constructor(readonly options: WordVoteOptions = {}) {}

  async fit(dataset: Dataset, fit: FitOptions = {}): Promise<WordVoteClassifier> {
    const counts = new Map<string, number[]>();
    dataset.train.forEach((example, i) => {
      this.count(example, dataset.labels, counts);
      fit.onProgress?.({ task: 'counting words', done: i + 1, total: dataset.train.length });
    });
    return new WordVoteClassifier([...dataset.labels], counts, this.options.smoothing ?? 1);
  }

  async fitBatches(data: TrainingBatches): Promise<WordVoteClassifier> {
    const counts = new Map<string, number[]>();
    for await (const batch of data.read()) {
      for (const example of batch) this.count(example, data.labels, counts);
    }
    return new WordVoteClassifier([...data.labels], counts, this.options.smoothing ?? 1);
  }

  private count(example: Example, labels: readonly string[], counts: Map<string, number[]>): void {
    const k = labels.indexOf(example.label);
    for (const word of words(example.text)) {
      const row = counts.get(word) ?? labels.map(() => 0);
      row[k]++;
      counts.set(word, row);
    }
  }
}
