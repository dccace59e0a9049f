/**
 * How the docs' examples run on fixtures. A command not listed here runs exactly as written, in a
 * workspace holding `reviews.csv`, `reviews.jsonl` and the IMDB sample as `aclImdb_v1.tar.gz`
 * (example-workspace.ts). `polarity serve` is started on a free port for the examples after it
 * and stopped with SIGTERM; `localhost:8080` in those examples becomes its address.
 *
 * Keys are the commands as `commandKey` writes them. An entry whose command no page holds any
 * more fails the test, so this list cannot outlive the examples it describes.
 */

export type Plan =
  /** Run with these arguments added (a network trained for one short epoch, not the page's two). */
  | { readonly append: string; readonly why: string }
  /** Run this command in its place. */
  | { readonly instead: string; readonly why: string }
  /** Not run. Keep this short: each entry is a claim nobody checks. */
  | { readonly skip: string };

/** A network's training on the IMDB sample, cut to seconds: one epoch over the first 100 ids. */
const SHORT_NETWORK = '--epochs 1 --max-len 100';

export const PLANS: ReadonlyMap<string, Plan> = new Map<string, Plan>([
  // The set-up commands of the README.
  [
    'npm install && npm start',
    {
      skip: 'installs packages (network) and builds dist/; what npm start then runs is `polarity demo`, run from docs/cli.md',
    },
  ],
  ['npm test', { skip: 'the whole test suite, this test included' }],
  [
    'npm install onnxruntime-node',
    {
      skip: "its install script fetches binaries from the network; the examples use the project's own copy (a devDependency)",
    },
  ],

  // Networks trained as the pages write them take minutes on the sample; one short epoch shows the command works.
  [
    'polarity train --data aclImdb_v1.tar.gz --model cnn --out models/imdb-cnn',
    { append: SHORT_NETWORK, why: 'the tutorial CNN: two full epochs cost a minute of CPU' },
  ],
  [
    'polarity train --data aclImdb_v1.tar.gz --model mlp --validation-split 0.2 --early-stopping 1 --out models/imdb-mlp',
    { append: SHORT_NETWORK, why: 'the tutorial MLP: two full epochs cost 10 s of CPU' },
  ],

  [
    'polarity train --model docvec --data aclImdb_v1.tar.gz --out models/imdb-docvec',
    {
      append: '--epochs 1 --infer-epochs 1 --dim 10',
      why: 'document vectors: ten epochs of 100 dims over the sample cost a minute of CPU',
    },
  ],

  // Downloads and full-IMDB runs.
  [
    'polarity train --data aclImdb_v1.labeled.tar.gz --model nbsvm --out models/imdb-nbsvm',
    { skip: 'the full IMDB split, for the ONNX measurements after it; the export tests train on fixtures' },
  ],
  [
    'npm run bench:onnx -- --models models/imdb-nbsvm --data aclImdb_v1.labeled.tar.gz',
    { skip: 'scores the 25,000 IMDB test reviews eight times and builds dist/: minutes' },
  ],
  [
    'npm run bench:onnx-parity -- --model models/imdb-nbsvm --data aclImdb_v1.labeled.tar.gz --out bench/results/onnx-parity-nbsvm.json',
    {
      skip: 'scores the 25,000 IMDB test reviews both ways; test/models/*/onnx-export.test.ts check parity on fixtures',
    },
  ],
  [
    'polarity download imdb',
    { skip: 'downloads 84 MB from Stanford; test/cli/download.test.ts serves a local copy' },
  ],
  [
    'POLARITY_DATA=path/to/aclImdb_v1.labeled.tar.gz npm run reproduce',
    { skip: 'trains every model on the full IMDB split, three seeds: hours' },
  ],
  [
    'POLARITY_DATA=path/to/aclImdb_v1.labeled.tar.gz npm run bench',
    { skip: 'times each stage on the full IMDB split and builds dist/: minutes' },
  ],
]);
