import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError } from '../../errors.js';
// From the modules themselves, not persist/index.js, which brings TF.js's model serialisation with it.
import type { ModelManifest } from '../../persist/manifest.js';
import {
  readModelDirectory,
  readModelFile,
  writeModelDirectory,
  type FileContents,
} from '../../persist/model-dir.js';
import type { Classifier, Prediction } from '../classifier.js';

/** Loads a member model directory; passed in so that this module does not import the loader that imports it. */
export type MemberLoader = (dir: string) => Promise<Classifier>;

const MEMBERS_DIR = 'members';

/**
 * How an ensemble's weights were learnt, as its manifest records it (`hyperParameters.weighting`;
 * absent from ensembles saved before it was): from out-of-fold predictions over `folds` folds of the
 * training split, or on a held-out slice of it; `examples` the predictions they were learnt on.
 */
export type EnsembleWeighting =
  | {
      readonly method: 'out-of-fold';
      readonly folds: number;
      readonly seed: number;
      readonly examples: number;
    }
  | {
      readonly method: 'held-out';
      readonly validationSplit: number;
      readonly seed: number;
      readonly examples: number;
    };

/** Averages its members' probabilities with learnt weights; saved as one directory holding theirs. */
export class EnsembleClassifier implements Classifier {
  readonly kind = 'ensemble';

  constructor(
    readonly members: readonly Classifier[],
    readonly weights: readonly number[],
    readonly training: ModelManifest['training'],
    readonly metrics?: Readonly<Record<string, number>>,
    readonly weighting?: EnsembleWeighting,
  ) {
    if (members.length < 2) throw new ModelFormatError('an ensemble needs at least two members');
    if (weights.length !== members.length)
      throw new ModelFormatError('an ensemble needs one weight per member');
    const labels = members[0].labels.join('\u0000');
    const odd = members.find((m) => m.labels.join('\u0000') !== labels);
    if (odd) {
      throw new ModelFormatError(
        `ensemble members disagree on labels: ${members[0].labels.join(', ')} vs ${odd.labels.join(', ')}`,
      );
    }
  }

  get labels(): readonly string[] {
    return this.members[0].labels;
  }

  async predict(texts: readonly string[]): Promise<Prediction[]> {
    const perMember = await Promise.all(this.members.map((m) => m.predict(texts)));
    return texts.map((_, i) =>
      mixPredictions(
        this.labels,
        perMember.map((p) => p[i]),
        this.weights,
      ),
    );
  }

  async save(dir: string): Promise<void> {
    const scratch = await mkdtemp(join(tmpdir(), 'polarity-ensemble-'));
    try {
      const files: Record<string, FileContents> = {};
      for (const [i, member] of this.members.entries()) {
        const memberDir = join(scratch, String(i));
        await member.save(memberDir);
        for (const [name, data] of Object.entries(await readModelDirectory(memberDir))) {
          files[`${MEMBERS_DIR}/${i}/${name}`] = data;
        }
      }
      await writeModelDirectory(
        dir,
        {
          kind: this.kind,
          labels: this.labels,
          hyperParameters: {
            members: this.members.map((m) => m.kind),
            weights: [...this.weights],
            ...(this.weighting && { weighting: this.weighting }),
          },
          encoder: { members: this.members.map((_, i) => `${MEMBERS_DIR}/${i}`) },
          training: this.training,
          metrics: this.metrics,
        },
        files,
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Loads an ensemble saved in `dir` with each of its members, whose manifest has been read and checked. */
  static async load(
    dir: string,
    manifest: ModelManifest,
    loadMember: MemberLoader,
  ): Promise<EnsembleClassifier> {
    const { members, weights, weighting } = manifest.hyperParameters as {
      members?: unknown;
      weights?: unknown;
      weighting?: EnsembleWeighting;
    };
    if (!Array.isArray(members) || !Array.isArray(weights) || members.length !== weights.length) {
      throw new ModelFormatError('an ensemble manifest needs "members" and "weights" of equal length', dir);
    }
    // Check every member file against this manifest too: a member swapped for another model is caught here.
    await Promise.all(Object.keys(manifest.files).map((name) => readModelFile(dir, manifest, name)));
    const loaded: Classifier[] = [];
    try {
      for (let i = 0; i < members.length; i++)
        loaded.push(await loadMember(join(dir, MEMBERS_DIR, String(i))));
      return new EnsembleClassifier(
        loaded,
        weights as number[],
        manifest.training,
        manifest.metrics,
        weighting,
      );
    } catch (error) {
      loaded.forEach((m) => m.dispose());
      throw error;
    }
  }

  dispose(): void {
    this.members.forEach((m) => m.dispose());
  }
}

/** The weighted average of member probabilities, label by label. */
export function mixPredictions(
  labels: readonly string[],
  predictions: readonly Prediction[],
  weights: readonly number[],
): Prediction {
  const total = weights.reduce((a, b) => a + b, 0);
  const scores: Record<string, number> = {};
  let best = labels[0];
  for (const label of labels) {
    let sum = 0;
    predictions.forEach((p, m) => (sum += weights[m] * p.scores[label]));
    scores[label] = sum / total;
    if (scores[label] > scores[best]) best = label;
  }
  return { label: best, score: scores[best], scores };
}
