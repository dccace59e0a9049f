/**
 * A network's text front end as ONNX operators: raw texts `[N]` to the ids its embedding reads,
 * for a batch of texts of any lengths, as `SequenceEncoder.encode` computes them.
 *
 *   text ─ tokenizer nodes (models/onnx-tokenizer.ts) ─ LabelEncoder (word → id; an unknown word →
 *     the OOV id, or "none" when the vocabulary skips unknown words; the tokenizer's pad → "none")
 *   ─ the start id before each row ─ (skip mode only) the real ids moved to the front by TopK
 *   ─ cut and padded to maxLen by index arithmetic (Range, Add, Where, GatherElements).
 *
 * "None" is −1: never an id. Each row's real ids then form a prefix of the row, of length L, and
 * the row Polarity's `padSequences` makes is, at position i, the id at i + from − offset of that
 * prefix, where from = L − K when truncating "pre" (else 0), offset = maxLen − K when padding "pre"
 * (else 0) and K = min(L, maxLen); positions outside [offset, offset + K) are padding (0).
 *
 * A recurrent network masks its padding (Keras semantics: a masked step carries the state over),
 * which is the same as running it on the kept ids alone; so for it the front end gives the kept
 * ids left-aligned, as wide as the longest row of the batch, with their counts K as the
 * `sequence_lens` the ONNX LSTM and GRU take. The mlp, cnn and cnn-global get the rows cropped: laid out
 * as Polarity pads them but only the last W positions ("pre" padding; the first W for "post"), W the
 * batch's longest row plus a margin of padding (so that a convolution's windows that reach into a
 * text are all kept), at most maxLen, the positions cut off a whole number of pooling steps. Every
 * position cut off is padding in every row, which the network then accounts for as one constant
 * (layers.ts).
 */
import type { SequenceOptions } from '../../../text/sequences/encoder.js';
import type { Vocabulary } from '../../../text/sequences/vocabulary.js';
import type { OnnxGraphBuilder } from '../../onnx-graph.js';
import { apostropheVariants, ONNX_PAD } from '../../onnx-tokenizer.js';

/** Not an id: the tokenizer's padding, and unknown words where the vocabulary drops them. */
const NONE = -1;

/**
 * How the ids are laid out: as Polarity pads them (maxLen wide), cropped to the batch's longest row
 * (on the side away from the padding), or the kept ids left-aligned (for a masking network).
 */
export type IdsLayout = 'padded' | 'cropped' | 'left-aligned';

/** What the front end gives the network. */
export interface FrontEnd {
  /** Ids `[N, W]` (int64), laid out as asked. */
  readonly ids: string;
  /** Left-aligned: each row's count of real ids `[N, 1]` (int64), at most maxLen. */
  readonly lengths?: string;
  /** Cropped: W, the width of the rows (a scalar int64, from 1 to maxLen). */
  readonly width?: string;
}

/** The LabelEncoder's keys and values: each word with an id, in each apostrophe spelling. */
function vocabularyTable(vocabulary: Vocabulary): { keys: string[]; values: number[] } {
  const keys: string[] = [ONNX_PAD];
  const values: number[] = [NONE];
  const { skipTop } = vocabulary.options;
  vocabulary.words.forEach((word, i) => {
    if (i < skipTop) return; // encodes as unknown: the default value
    const id = vocabulary.wordIndex(word);
    if (id === undefined) return;
    for (const [spelling] of apostropheVariants([word])) {
      keys.push(spelling);
      values.push(id);
    }
  });
  return { keys, values };
}

/**
 * How cropped rows are cut: keeping at least `margin` positions of padding beyond the batch's longest
 * row (when there are that many), and cutting off a multiple of `step` positions.
 */
export interface Crop {
  readonly margin: number;
  readonly step: number;
}

/** Adds the front end from raw texts `text` to ids laid out as `layout` says, names in `graph`'s scope. */
export function textToIds(
  graph: OnnxGraphBuilder,
  text: string,
  vocabulary: Vocabulary,
  sequence: SequenceOptions,
  layout: IdsLayout,
  crop: Crop = { margin: 0, step: 1 },
): FrontEnd {
  const { startChar, oovChar, unknown } = vocabulary.options;
  const typed = graph.tokensOf(text);
  const table = vocabularyTable(vocabulary);
  const looked = graph.node(
    'LabelEncoder',
    [typed],
    'word_ids',
    {
      keys_strings: { strings: table.keys },
      values_int64s: { ints: table.values },
      default_int64: { int: unknown === 'oov' ? oovChar : NONE },
    },
    'ai.onnx.ml',
  );

  // [N, 1] columns: the start id before each row (when the vocabulary has one), and one "none"
  // after it, so that a row is never zero wide (a batch of texts without a token).
  const lookedShape = graph.node('Shape', [looked], 'word_ids_shape');
  const oneVector = graph.int64s('one_1', [1]);
  const rows = graph.node('Slice', [lookedShape, graph.int64s('zero_1', [0]), oneVector], 'rows');
  const columnShape = graph.node('Concat', [rows, oneVector], 'column_shape', { axis: { int: 0 } });
  const column = (local: string, value: number) =>
    graph.node('Expand', [graph.int64s(`${local}_value`, [value]), columnShape], local);
  const parts = [
    ...(startChar === null ? [] : [column('start_column', startChar)]),
    looked,
    column('none_column', NONE),
  ];
  let ids = graph.node('Concat', parts, 'with_start', { axis: { int: 1 } });

  const minusOne = graph.constant('none', { type: 'int64', dims: [], data: [NONE] });
  let real = graph.node('Greater', [ids, minusOne], 'real');
  if (unknown === 'skip') {
    ids = compact(graph, ids, real);
    real = graph.node('Greater', [ids, minusOne], 'real_compacted');
  }
  const realCount = graph.node('Cast', [real], 'real_int', { to: { int: 7 } });
  const length = graph.node('ReduceSum', [realCount, graph.int64s('axis_1', [1])], 'length', {
    keepdims: { int: 1 },
  });
  const maxLen = graph.constant('max_len', { type: 'int64', dims: [], data: [sequence.maxLen] });
  const kept = graph.node('Min', [length, maxLen], 'kept');
  // The first of the prefix's ids kept: the last K when truncating "pre", the first K otherwise.
  const zero = graph.constant('zero', { type: 'int64', dims: [], data: [0] });
  const from = sequence.truncating === 'pre' ? graph.node('Sub', [length, kept], 'from') : zero;

  const oneScalar = graph.constant('one', { type: 'int64', dims: [], data: [1] });
  let width = maxLen;
  if (layout !== 'padded') {
    const longest = graph.node('ReduceMax', [kept], 'longest', { keepdims: { int: 0 } });
    // At least one position: a recurrent op needs a step, and a tensor of width 0 helps no one.
    const longestOrOne = graph.node(
      'Max',
      [longest, oneScalar],
      layout === 'cropped' ? 'longest_or_one' : 'width',
    );
    width = longestOrOne;
    if (layout === 'cropped') {
      // Cut off: padding in every row, at least `margin` of it kept, in whole steps.
      const spare = graph.node(
        'Sub',
        [graph.node('Sub', [maxLen, longestOrOne], 'padding_in_all'), graph.int64('margin', crop.margin)],
        'spare',
      );
      const step = graph.int64('step', crop.step);
      const steps = graph.node('Div', [graph.node('Max', [spare, zero], 'spare_or_none'), step], 'steps_cut');
      width = graph.node('Sub', [maxLen, graph.node('Mul', [steps, step], 'cut')], 'width');
    }
  }
  const offset =
    layout !== 'left-aligned' && sequence.padding === 'pre'
      ? graph.node('Sub', [width, kept], 'offset')
      : zero;
  const positions = graph.node('Range', [zero, width, oneScalar], 'positions');
  // Position i of the output row, relative to the first kept id: i − offset, [N, W].
  const relative = graph.node('Sub', [positions, offset], 'relative');
  const inRange = graph.node(
    'And',
    [
      graph.node('GreaterOrEqual', [relative, zero], 'after_start'),
      graph.node('Less', [relative, kept], 'before_end'),
    ],
    'in_range',
  );
  const source = graph.node('Add', [relative, from], 'source');
  const safeSource = graph.node('Where', [inRange, source, zero], 'safe_source');
  const gathered = graph.node('GatherElements', [ids, safeSource], 'gathered', { axis: { int: 1 } });
  const padded = graph.node('Where', [inRange, gathered, zero], 'ids');
  if (layout === 'left-aligned') return { ids: padded, lengths: kept };
  return layout === 'cropped' ? { ids: padded, width } : { ids: padded };
}

/**
 * The real ids of each row moved to its front, in order (TopK on a key that ranks real ids by
 * position before every "none"): a vocabulary that drops unknown words leaves gaps.
 */
function compact(graph: OnnxGraphBuilder, ids: string, real: string): string {
  const shape = graph.node('Shape', [ids], 'gapped_shape');
  const widthVector = graph.node(
    'Slice',
    [shape, graph.int64s('one_s', [1]), graph.int64s('two_s', [2])],
    'gapped_width',
  );
  const width = graph.node('Squeeze', [widthVector], 'gapped_width_scalar');
  const positions = graph.node(
    'Range',
    [
      graph.constant('gap_zero', { type: 'int64', dims: [], data: [0] }),
      width,
      graph.constant('gap_one', { type: 'int64', dims: [], data: [1] }),
    ],
    'gapped_positions',
  );
  const position = graph.node('Cast', [positions], 'gapped_positions_float', { to: { int: 1 } });
  const widthFloat = graph.node('Cast', [width], 'gapped_width_float', { to: { int: 1 } });
  const twice = graph.node('Mul', [widthFloat, graph.scalar('two', 2)], 'twice_width');
  // Real: 2W − j (> W), none: −j (≤ 0); descending order is real ids by position, then the rest.
  const realKey = graph.node('Sub', [twice, position], 'real_key');
  const noneKey = graph.node('Neg', [position], 'none_key');
  const key = graph.node('Where', [real, realKey, noneKey], 'key');
  const [, order] = graph.nodeWithOutputs('TopK', [key, widthVector], ['key_sorted', 'order'], {
    axis: { int: 1 },
    largest: { int: 1 },
    sorted: { int: 1 },
  });
  return graph.node('GatherElements', [ids, order], 'compacted', { axis: { int: 1 } });
}
