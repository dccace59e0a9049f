import { OptionError } from '../../errors.js';
import { padSequences } from './pad.js';
import { TOKENIZER_ID, tokenize } from './tokenize.js';
import { Vocabulary, type VocabularyJSON, type VocabularyOptions } from './vocabulary.js';

/** How reviews become fixed-length id sequences: the Keras `pad_sequences` options. */
export interface SequenceOptions {
  readonly maxLen: number;
  readonly padding: 'pre' | 'post';
  readonly truncating: 'pre' | 'post';
}

export const DEFAULT_SEQUENCE_OPTIONS: SequenceOptions = { maxLen: 500, padding: 'pre', truncating: 'pre' };

/** The full preprocessing configuration, saved in a model directory so predictions re-encode identically. */
export interface EncoderConfig {
  /** Names the tokenizer's rules; a model trained with other rules must not be fed by this one. */
  readonly tokenizer: typeof TOKENIZER_ID;
  readonly sequence: SequenceOptions;
}

export interface EncodedBatch {
  /** Row-major ids, `shape[0]` rows of `shape[1]` ids. */
  readonly data: Int32Array;
  readonly shape: [number, number];
}

/**
 * Raw text to padded id sequences: tokenize, look up in the vocabulary, cut or pad. (Named
 * `SequenceEncoder` rather than `TextEncoder` so as not to shadow the Web API global.)
 */
export class SequenceEncoder {
  readonly config: EncoderConfig;

  constructor(
    readonly vocabulary: Vocabulary,
    sequence: Partial<SequenceOptions> = {},
  ) {
    const merged: SequenceOptions = {
      maxLen: sequence.maxLen ?? DEFAULT_SEQUENCE_OPTIONS.maxLen,
      padding: sequence.padding ?? DEFAULT_SEQUENCE_OPTIONS.padding,
      truncating: sequence.truncating ?? DEFAULT_SEQUENCE_OPTIONS.truncating,
    };
    if (!Number.isInteger(merged.maxLen) || merged.maxLen < 1) {
      throw new OptionError(`maxLen must be a positive integer, got ${merged.maxLen}`);
    }
    this.config = { tokenizer: TOKENIZER_ID, sequence: merged };
  }

  /** Builds the vocabulary from training texts (already tokenized, to tokenize once per run). */
  static fit(
    tokenized: Iterable<readonly string[]>,
    vocabulary: Partial<VocabularyOptions> = {},
    sequence: Partial<SequenceOptions> = {},
  ): SequenceEncoder {
    return new SequenceEncoder(Vocabulary.fit(tokenized, vocabulary), sequence);
  }

  /** Ids of one text, start char included, before padding. */
  ids(text: string): number[] {
    return this.vocabulary.encode(tokenize(text));
  }

  encodeTokens(tokenized: readonly (readonly string[])[]): EncodedBatch {
    return this.pad(tokenized.map((tokens) => this.vocabulary.encode(tokens)));
  }

  encode(texts: readonly string[]): EncodedBatch {
    return this.pad(texts.map((text) => this.ids(text)));
  }

  pad(sequences: readonly (readonly number[])[]): EncodedBatch {
    const { maxLen, padding, truncating } = this.config.sequence;
    return padSequences(sequences, { maxLen, padding, truncating, value: 0 });
  }

  toJSON(): { config: EncoderConfig; vocabulary: VocabularyJSON } {
    return { config: this.config, vocabulary: this.vocabulary.toJSON() };
  }
}
