/**
 * Whether other members lift document vectors (issue 19: "members for the ensemble"), measured on a
 * validation slice of the training split only. Every member is trained with its defaults on 80% of
 * the training split (the slice bench/unlabelled.ts holds out for the same seed; docvec learns from
 * the unlabelled reviews too) and predicts the other 20%. Each combination is then mixed as an
 * ensemble mixes its members (a weighted mean of probabilities, weights on a simplex grid chosen by
 * log loss, `learnEnsembleWeights`), with the weights chosen by 5-fold cross-validation over the
 * held-out slice, so that every accuracy printed is of texts that neither the members nor the
 * weights learnt from.
 *
 *   node --import tsx bench/ensemble-validation.ts --data aclImdb_v1.labeled.tar.gz \
 *     --unlabelled aclImdb_v1.unsup.tar.gz [--members docvec,gru,cnn-global] [--seed 1] [--threads 2] \
 *     [--out bench/results/ensemble-validation.json]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadImdb } from '../src/data/imdb.js';
import { loadUnlabelled } from '../src/data/unlabelled.js';
import { initBackend } from '../src/engine/index.js';
import { stratifiedKFold } from '../src/fit/stratified-folds.js';
import { splitForValidation } from '../src/fit/validation-split.js';
import { learnEnsembleWeights } from '../src/models/ensemble/ensemble-weights.js';
import { probabilityRows } from '../src/models/ensemble/out-of-fold.js';
import { familyOfModel } from '../src/models/families.js';
import { createTrainer } from '../src/models/trainers.js';
import { Random } from '../src/util/random.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    unlabelled: { type: 'string' },
    members: { type: 'string', default: 'docvec,gru,cnn-global' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
    folds: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});
if (args.data === undefined) throw new Error('--data PATH (the IMDB archive) is required');
const seed = Number(args.seed);
const folds = Number(args.folds);
const names = args.members.split(',');
const started = performance.now();
const log = (line: string) =>
  console.error(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${line}`);

await initBackend();
const imdb = await loadImdb(args.data, { splits: ['train'] });
const { train, validation } = splitForValidation([...imdb.train], 0.2, new Random(seed));
const unlabelled = args.unlabelled ? await loadUnlabelled(args.unlabelled) : undefined;
log(`${train.length} training, ${validation.length} held out, ${unlabelled?.texts.length ?? 0} unlabelled`);

const labels = [...imdb.labels];
const truth = Int32Array.from(validation, (e) => labels.indexOf(e.label));
const probabilities: Float64Array[] = [];
const seconds: Record<string, number> = {};
for (const name of names) {
  const since = performance.now();
  const trainer = await createTrainer(name, { docvec: { threads: Number(args.threads) } });
  const classifier = await trainer.fit(
    { ...imdb, train, test: [] },
    {
      seed,
      // Only the families that learn from unlabelled texts receive them, as in `polarity train`.
      ...(unlabelled && familyOfModel(name)?.learnsFromUnlabelled ? { unlabelled } : {}),
      onEpochEnd: (r) => log(`${name} epoch ${r.epoch}: ${r.seconds.toFixed(0)} s`),
    },
  );
  probabilities.push(await probabilityRows(classifier, validation, labels));
  classifier.dispose();
  seconds[name] = (performance.now() - since) / 1000;
  log(`${name} trained and scored in ${seconds[name].toFixed(0)} s`);
}

/** Indices 0..n-1. */
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** The rows `indices` of row-major two-label probabilities. */
const rowsOf = (p: Float64Array, indices: readonly number[]) =>
  Float64Array.from(indices.flatMap((i) => [p[2 * i], p[2 * i + 1]]));
/** Every subset of the members with at least two, in order. */
const subsets = range(2 ** names.length - 1)
  .map((mask) => range(names.length).filter((m) => ((mask + 1) >> m) & 1))
  .filter((s) => s.length >= 2);

const heldFolds = stratifiedKFold(validation, folds, new Random(seed));
const rows = names.map((name, m) => ({
  members: name,
  accuracy: learnEnsembleWeights([probabilities[m]], truth, 2).accuracy,
  weights: [1],
}));
for (const subset of subsets) {
  let right = 0;
  for (const held of heldFolds) {
    const heldSet = new Set(held);
    const fitting = range(validation.length).filter((i) => !heldSet.has(i));
    const chosen = learnEnsembleWeights(
      subset.map((m) => rowsOf(probabilities[m], fitting)),
      Int32Array.from(fitting, (i) => truth[i]),
      2,
    ).weights;
    for (const i of held) {
      // Two labels: the second is chosen when its mixed probability is over one half.
      const second = subset.reduce((sum, m, k) => sum + chosen[k] * probabilities[m][2 * i + 1], 0);
      if ((second > 0.5 ? 1 : 0) === truth[i]) right++;
    }
  }
  const whole = learnEnsembleWeights(
    subset.map((m) => probabilities[m]),
    truth,
    2,
  );
  rows.push({
    members: subset.map((m) => names[m]).join(' + '),
    accuracy: right / validation.length,
    weights: whole.weights,
  });
}

console.log(`| members (seed ${seed}) | held-out accuracy | weights on the whole slice |`);
console.log('| --- | ---: | --- |');
for (const row of rows)
  console.log(`| ${row.members} | ${(100 * row.accuracy).toFixed(2)}% | ${row.weights.join(' / ')} |`);
if (args.out) {
  const result = { seed, folds, train: train.length, heldOut: validation.length, seconds, rows };
  await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
}
