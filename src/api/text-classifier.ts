/**
 * What `train()` and `load()` return: a family's classifier behind one object that predicts, explains
 * any prediction (every model: by its own weights where it has them, by occlusion otherwise), saves
 * and frees itself. It is a `Classifier`, so it goes wherever one does: `evaluate`, `createService`,
 * `scoreStream`.
 */
import { explainText, type TextExplanation } from '../explain/explain-text.js';
import type { Classifier, EpochRecord, Prediction, TokenAttribution } from '../models/classifier.js';

/** A trained text classifier, from {@link train} or {@link load}. */
export class TextClassifier implements Classifier {
  /**
   * @param wrapped The family's own classifier, which this one predicts, explains and saves with; it
   *   is owned by this object (`dispose` frees it).
   */
  constructor(readonly wrapped: Classifier) {}

  /** The saved model's kind: its model name (`nbsvm`, `cnn`, …). */
  get kind(): string {
    return this.wrapped.kind;
  }

  /** The labels it predicts, sorted. */
  get labels(): readonly string[] {
    return this.wrapped.labels;
  }

  /** Each epoch's metrics, for a model trained in epochs (networks, fastText). */
  get history(): readonly EpochRecord[] | undefined {
    return this.wrapped.history;
  }

  /** The label of each text, its probability and every label's probability, in the order given. */
  predict(texts: readonly string[]): Promise<Prediction[]> {
    return this.wrapped.predict(texts);
  }

  /**
   * Which tokens pushed the prediction of `text` towards its label (positive weight) or away from it,
   * largest first: n-grams with their weights for the n-gram models, words by occlusion otherwise.
   */
  async explain(text: string): Promise<TokenAttribution[]> {
    return [...(await this.explanation(text)).attributions];
  }

  /** The prediction of `text` with its explanation word by word, and the method that made it. */
  explanation(text: string): Promise<TextExplanation> {
    return explainText(this.wrapped, text);
  }

  /** Writes the model directory that `load()` and the CLI read (atomically: nothing half-written stays). */
  save(dir: string): Promise<void> {
    return this.wrapped.save(dir);
  }

  /** Frees what the model holds (a network's tensors); it cannot predict afterwards. */
  dispose(): void {
    this.wrapped.dispose();
  }
}
