/**
 * `polarity vectors`: word vectors from a user's own text (labels not needed), written in the
 * word2vec text format that `train --embeddings` reads, so that any network can start from vectors
 * of the user's domain.
 */
import { type Command, Option } from 'commander';
import { corpusTexts } from '../data/corpus-texts.js';
import { DATA_FORMATS } from '../data/rows.js';
import * as kit from '../models/options.js';
import { checkOutputFile } from '../persist/output-dir.js';
import { CorpusBuilder } from '../text/vectors/corpus.js';
import { trainWordVectors } from '../text/vectors/train-word-vectors.js';
import { isWordVectorFileStart, writeWordVectorsFile } from '../text/vectors/vector-file.js';
import {
  WORD_VECTOR_ARCHITECTURES,
  WORD_VECTOR_LIMITS,
  type WordVectorArchitecture,
} from '../text/vectors/word-vector-options.js';
import { argumentParser } from './options.js';
import { progressReporter } from './progress-bar.js';
import { maxRecordBytesOption } from './record-limit-option.js';

export interface VectorsFlags {
  data: string[];
  out: string;
  format?: (typeof DATA_FORMATS)[number] | 'lines';
  textColumn?: string;
  textField?: string;
  architecture: WordVectorArchitecture;
  dim: number;
  epochs: number;
  minCount: number;
  window: number;
  negative: number;
  sample: number;
  wordNgrams: number;
  threads: number;
  seed: number;
  overwrite: boolean;
  maxRecordBytes?: number;
}

const READING_TASK = 'reading texts';

/** `--dim` and the other sizes: integers within the trainer's own bounds. */
export function sizeParser(key: keyof typeof WORD_VECTOR_LIMITS): (value: string) => number {
  const [min, max] = WORD_VECTOR_LIMITS[key];
  return argumentParser(kit.integer({ min, max, expected: `an integer from ${min} to ${max}` }));
}

/** `--sample`: 0 (no subsampling) up to, not including, 1. */
export const sampleParser = argumentParser({
  expected: 'a number from 0 to below 1, such as 1e-3',
  argument: 't',
  parse: (text: string) => {
    const n = text.trim() === '' ? NaN : Number(text);
    return n >= 0 && n < 1 ? n : undefined;
  },
});

export function registerVectors(program: Command): void {
  program
    .command('vectors')
    .description(
      'learn word vectors from your own text (no labels needed): skip-gram or CBOW with negative sampling, as word2vec and fastText, written in the word2vec text format that train --embeddings reads',
    )
    .requiredOption(
      '--data <path>',
      'texts to learn from, in any data format (labels are ignored; IMDB: its training and train/unsup/ reviews, never test/); give it again for more sources',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .requiredOption(
      '--out <file>',
      'the vector file to write, atomically (an earlier word2vec text file is replaced; any other file needs --overwrite)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'format of --data (default: detected; lines: one text per line)',
      ).choices([...DATA_FORMATS, 'lines']),
    )
    .option('--text-column <name>', 'CSV/TSV: the text column (default "text")')
    .option('--text-field <name>', 'JSON Lines: the text field (default "text")')
    .addOption(
      new Option(
        '--architecture <name>',
        'skipgram: each word predicts its neighbours (better for rare words); cbow: the mean of the neighbours predicts the word (faster)',
      )
        .choices(WORD_VECTOR_ARCHITECTURES)
        .default('skipgram'),
    )
    .option('--dim <n>', 'numbers per vector', sizeParser('dim'), 100)
    .option(
      '--epochs <n>',
      'passes over the texts; the step size falls linearly to nearly 0 over them',
      sizeParser('epochs'),
      5,
    )
    .option(
      '--min-count <n>',
      'words seen fewer times get no vector and are dropped from the texts',
      sizeParser('minCount'),
      5,
    )
    .option(
      '--window <n>',
      'largest distance between a word and a neighbour it predicts (each position draws 1..N, so near words count more)',
      sizeParser('window'),
      5,
    )
    .option(
      '--negative <n>',
      'negative samples per neighbour: random words (by count^0.75) the model learns to tell apart from it',
      sizeParser('negative'),
      5,
    )
    .option(
      '--sample <t>',
      'subsampling: a word of frequency f is skipped with probability 1 - (√(f/t)+1)·t/f, so that "the" and "a" take less time and weigh less; 0: none',
      sampleParser,
      1e-3,
    )
    .option(
      '--word-ngrams <n>',
      'also learn vectors for word n-grams up to N words seen --min-count times, written as words joined by "_" (not_good); 1: none',
      sizeParser('wordNgrams'),
      1,
    )
    .option(
      '--threads <n>',
      'threads training at once on shared vectors without locks (Hogwild, as word2vec and fastText do); above 1 the vectors differ from run to run',
      sizeParser('threads'),
      1,
    )
    .option(
      '--seed <n>',
      'seed of the starting vectors, subsampling, windows and negative samples',
      argumentParser(kit.integer({ min: 0, expected: 'a non-negative integer' })),
      42,
    )
    .addOption(
      new Option(
        '--overwrite',
        'replace --out even when it is not a word2vec text file; never an input',
      ).default(false),
    )
    .addOption(maxRecordBytesOption())
    .action(async (flags: VectorsFlags) => {
      await checkOutputFile(flags.out, isWordVectorFileStart, {
        overwrite: flags.overwrite,
        inputs: flags.data,
        flag: '--out',
      });
      const progress = progressReporter();
      const started = Date.now();
      const corpus = new CorpusBuilder();
      for (const path of flags.data) {
        for await (const text of corpusTexts(path, flags)) {
          corpus.add(text);
          if (corpus.texts % 1000 === 0)
            progress.onProgress({ task: READING_TASK, done: corpus.texts, unit: 'texts' });
        }
      }
      progress.onProgress({ task: READING_TASK, done: corpus.texts, unit: 'texts' });
      const built = corpus.build(flags.minCount, flags.wordNgrams);
      progress.stop();
      process.stderr.write(
        `${corpus.texts.toLocaleString('en-US')} texts, ${built.tokens.length.toLocaleString('en-US')} tokens of ${built.words.toLocaleString('en-US')} words seen at least ${flags.minCount} times${built.units.length > built.words ? `, ${(built.units.length - built.words).toLocaleString('en-US')} n-grams` : ''}\n`,
      );
      const trained = await trainWordVectors(built, flags, progress.onProgress);
      progress.stop();
      const written = await writeWordVectorsFile(flags.out, trained);
      process.stderr.write(
        `wrote ${written.toLocaleString('en-US')} vectors of ${trained.dim} numbers to ${flags.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    });
}
