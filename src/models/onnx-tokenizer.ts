/**
 * `tokenize` (text/sequences/tokenize.ts) as ONNX operators, for exported models that take raw text: a string tensor
 * `[N]` in, tokens `[N, T]` out (rows padded with {@link ONNX_PAD}), with onnxruntime's
 * `StringNormalizer` (lower-casing) and its `com.microsoft` `Tokenizer`, whose separators are RE2
 * regular expressions: the text between two separator matches is a token.
 *
 * What is the same as `tokenize`: HTML tags are separators (steps 1 and 6 together: a bigram
 * across a tag is kept), tokens are runs of Unicode letters and digits with combining marks after
 * their first character, joined by single apostrophes, and every other character separates them.
 *
 * Where it can differ (count them with bench/onnx-parity.ts):
 * - Character references (step 2) are not decoded: each one is a separator, so `&amp;` and `&quot;`
 *   split as their characters would, but a numeric reference to a letter (`Dvo&#345;ák`) splits a
 *   word that `tokenize` keeps whole, and an unknown name (`&foo;`) drops a token `tokenize` keeps.
 * - Lower-casing is the runtime's per-character mapping (`towlower` under C.UTF-8), not
 *   `String.prototype.toLowerCase`: the few characters whose lower case is longer (`İ`) differ.
 * - No NFC normalisation (step 4): a letter typed as base + combining mark stays two code points,
 *   so it does not match the vocabulary's precomposed form.
 * - Apostrophe look-alikes (step 5: ’ ‘ ´ `) are kept inside tokens as written, not replaced:
 *   {@link apostropheVariants} gives the vocabulary entries a spelling for each, which covers an
 *   n-gram written with one kind of apostrophe throughout, not one that mixes two kinds.
 */
import type { OnnxModel, OnnxNode } from '../persist/onnx/onnx-proto.js';

/** What pads a row of tokens; never a token (it has no letter or digit). */
export const ONNX_PAD = '#';

/** TensorProto's data type `STRING`, for the Cast. */
const ONNX_STRING = 8;

/** The characters step 5 of `tokenize` turns into `'`, and `'` itself. */
export const APOSTROPHES = ["'", '\u2019', '\u2018', '\u00b4', '`'] as const;

const QUOTE = "['\\x{2019}\\x{2018}\\x{00b4}`]";
const TAG = '<\\/?[A-Za-z][^<>]*>';
const REFERENCE = '&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z]{2,6});';
/** A character that is neither part of a word nor an apostrophe. */
const OTHER = "[^\\p{L}\\p{N}\\p{M}'\\x{2019}\\x{2018}\\x{00b4}`]";
/** What may follow the start of a gap between tokens: anything up to the next letter or digit. */
const REST = `(?:${TAG}|${REFERENCE}|[^\\p{L}\\p{N}])*`;

/**
 * One RE2 expression for the gaps between tokens. A gap starts with a tag, a character reference,
 * a character that is no part of a word, an apostrophe that no letter or digit follows (one that
 * ends a token), or an apostrophe or combining mark at the very start; it then takes everything up
 * to the next letter or digit, apostrophes and marks included, so that a token never starts with
 * either. An apostrophe between two letters is never the start of a gap, so it stays in its token.
 */
export const ONNX_SEPARATOR = `(?:${TAG}|${REFERENCE}|${OTHER}|${QUOTE}(?:${TAG}|[^\\p{L}\\p{N}]|$)|^(?:${QUOTE}|\\p{M}))${REST}`;

/** The tokenizer's nodes, and the name of the tokens that further nodes take. */
export interface OnnxTokenizerNodes {
  readonly nodes: OnnxNode[];
  /** The Cast's output: the tokens `[N, T]`, typed string for onnx's checker. */
  readonly tokens: string;
}

/**
 * The nodes from `input` (string `[N]`) to the tokens (string `[N, T]`), node names prefixed with
 * `prefix`. The com.microsoft Tokenizer writes `output` (the name as given), which a string → string
 * Cast copies to `typed` (by default `<output>_typed`): later nodes take `typed`, the `tokens` returned.
 * Needs opset 10 or later of the default domain and `com.microsoft` version 1 (onnxruntime).
 */
export function onnxTokenizerNodes(
  input: string,
  output: string,
  prefix = 'tokenize',
  typed = `${output}_typed`,
): OnnxTokenizerNodes {
  const nodes: OnnxNode[] = [
    {
      opType: 'StringNormalizer',
      name: `${prefix}_lower`,
      inputs: [input],
      outputs: [`${prefix}_lowered`],
      // Without a locale onnxruntime asks for en_US.UTF-8, which many machines lack.
      attributes: {
        case_change_action: { string: 'LOWER' },
        is_case_sensitive: { int: 1 },
        locale: { string: 'C.UTF-8' },
      },
    },
    {
      opType: 'Tokenizer',
      domain: 'com.microsoft',
      name: `${prefix}_split`,
      inputs: [`${prefix}_lowered`],
      outputs: [output],
      attributes: {
        mark: { int: 0 },
        mincharnum: { int: 1 },
        pad_value: { string: ONNX_PAD },
        separators: { strings: [ONNX_SEPARATOR] },
      },
    },
    // The Tokenizer is com.microsoft's, unknown to onnx's checker, so its output has no type there,
    // and onnx 1.12's LabelEncoder shape inference crashes (a segmentation fault) on an input
    // without one: a Cast to string (a copy in onnxruntime) gives the tokens a type, for every family.
    {
      opType: 'Cast',
      name: `${prefix}_typed`,
      inputs: [output],
      outputs: [typed],
      attributes: { to: { int: ONNX_STRING } },
    },
  ];
  return { nodes, tokens: typed };
}

/**
 * The spellings of a token sequence with each apostrophe look-alike in place of `'` (one kind per
 * spelling), the sequence itself first; just the sequence when it has no apostrophe.
 */
export function apostropheVariants(tokens: readonly string[]): string[][] {
  if (!tokens.some((t) => t.includes("'"))) return [tokens.slice()];
  return APOSTROPHES.map((a) => tokens.map((t) => t.replaceAll("'", a)));
}

/**
 * A model of the tokenizer nodes alone (text `[N]` in, tokens `[N, T]` out, padded with
 * {@link ONNX_PAD}): what tests and bench/onnx-parity.ts compare with `tokenize`.
 */
export function onnxTokenizerModel(): OnnxModel {
  return {
    irVersion: 8,
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    graph: {
      name: 'polarity_tokenizer',
      // The Cast's output is the graph's `tokens`, the name test/helpers/onnx.ts and the bench read.
      nodes: onnxTokenizerNodes('text', 'untyped_tokens', 'tokenize', 'tokens').nodes,
      inputs: [{ name: 'text', type: 'string', shape: ['N'] }],
      outputs: [{ name: 'tokens', type: 'string', shape: ['N', 'T'] }],
    },
  };
}
