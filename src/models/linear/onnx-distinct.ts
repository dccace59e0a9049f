/**
 * The distinct values of a list of int64 keys, and how often each occurs, as ONNX operators (opset
 * 17): what the sparse linear graph (onnx-sparse.ts) needs to weight each n-gram of a text once.
 * Mostly by hashing, with a sort for the few keys whose slot another key took.
 */
import type { OnnxGraphBuilder } from '../onnx-graph.js';
import { gatherValues } from './onnx-lookup.js';

/** TensorProto's data types, for Cast. */
const INT32 = 6;
const INT64 = 7;

/** The distinct keys of a list and, when asked, how often each occurs (`counts` empty when not). */
export interface DistinctKeys {
  readonly distinct: string;
  readonly counts: string;
}

/**
 * The distinct values of int64 `keys` `[L]` (each ≥ 0) and, when `withCounts`, how often each
 * occurs, by sorting: TopK sorts them, a value unlike the one before starts a run, and a run's
 * length is the distance to the next start. (ONNX's Unique does this in one node, but onnxruntime
 * 1.31's took more than half of the whole graph's time on IMDB.) Node names start with `prefix`.
 */
function sortedDistinctKeys(
  graph: OnnxGraphBuilder,
  keys: string,
  withCounts: boolean,
  prefix: string,
): DistinctKeys {
  const length = graph.node('Shape', [keys], `${prefix}_length`);
  const [sorted] = graph.nodeWithOutputs('TopK', [keys, length], [`${prefix}_sorted`, `${prefix}_order`], {
    axis: { int: 0 },
    largest: { int: 0 },
    sorted: { int: 1 },
  });
  const before = graph.node(
    'Concat',
    [
      graph.int64s('no_key', [-1]),
      graph.node(
        'Slice',
        [sorted, graph.int64s('before_start', [0]), graph.int64s('before_end', [-1])],
        `${prefix}_shifted`,
      ),
    ],
    `${prefix}_before`,
    { axis: { int: 0 } },
  );
  const starts = graph.node(
    'Not',
    [graph.node('Equal', [sorted, before], `${prefix}_same_as_before`)],
    `${prefix}_run_starts`,
  );
  const distinct = graph.node('Compress', [sorted, starts], `${prefix}_distinct`, { axis: { int: 0 } });
  if (!withCounts) return { distinct, counts: '' };
  const first = graph.node('Compress', [positionsOf(graph, length, prefix), starts], `${prefix}_run_first`, {
    axis: { int: 0 },
  });
  const next = graph.node(
    'Concat',
    [
      graph.node(
        'Slice',
        [first, graph.int64s('next_run_start', [1]), graph.int64s('next_run_end', [Number.MAX_SAFE_INTEGER])],
        `${prefix}_run_next_first`,
      ),
      length,
    ],
    `${prefix}_run_end`,
    { axis: { int: 0 } },
  );
  return { distinct, counts: graph.node('Sub', [next, first], `${prefix}_run_length`) };
}

/** 0, 1, …, length − 1 (int64), from `length` `[1]`. */
function positionsOf(graph: OnnxGraphBuilder, length: string, prefix: string): string {
  return graph.node(
    'Range',
    [
      graph.constant(`${prefix}_position_start`, { type: 'int64', dims: [], data: [0] }),
      graph.node('Squeeze', [length], `${prefix}_length_scalar`),
      graph.constant(`${prefix}_position_step`, { type: 'int64', dims: [], data: [1] }),
    ],
    `${prefix}_positions`,
  );
}

/**
 * The distinct values of int64 `keys` `[L]` (each ≥ 0) and, when `withCounts`, how often each occurs,
 * mostly without sorting: each key's position is scattered into a table of 4L + 1 slots at `key mod
 * (4L + 1)`, and read back. A key whose slot holds one of its own positions is settled: the one
 * position that won the slot stands for it, and (`withCounts`) a second scatter adds up the settled
 * positions per slot. The keys that lost their slot to another key (9.1% of the n-grams found in
 * IMDB's test reviews, batches of 64) are deduplicated by sorting them alone.
 *
 * Exact whichever of a slot's positions wins: ScatterElements leaves the order of duplicate
 * indices to the runtime, but any order leaves exactly one position per slot, so each settled key is
 * counted once. (On IMDB the sort of every key was a quarter of nbsvm's graph.)
 */
export function distinctKeys(graph: OnnxGraphBuilder, keys: string, withCounts: boolean): DistinctKeys {
  const length = graph.node('Shape', [keys], 'keys_length');
  // Positions and tables in int32, half the memory to clear and copy of int64 (a batch holds far
  // fewer than 2^31 keys).
  const positions = graph.node(
    'Range',
    [
      graph.constant('slot_position_start', { type: 'int32', dims: [], data: [0] }),
      graph.node('Cast', [graph.node('Squeeze', [length], 'keys_count')], 'keys_count_int32', {
        to: { int: INT32 },
      }),
      graph.constant('slot_position_step', { type: 'int32', dims: [], data: [1] }),
    ],
    'key_positions',
  );
  const slotCount = graph.node(
    'Add',
    [
      graph.node('Mul', [length, graph.int64s('slots_per_key', [4])], 'slots_for_keys'),
      graph.int64s('one_slot', [1]),
    ],
    'slot_count',
  );
  const slots = graph.node('Mod', [keys, slotCount], 'key_slots');
  const empty = graph.node('ConstantOfShape', [slotCount], 'slots_empty', {
    value: { tensor: { type: 'int32', dims: [1], data: [0] } },
  });
  const table = graph.node('ScatterElements', [empty, slots, positions], 'slot_winners', {
    axis: { int: 0 },
  });
  const winner = gatherValues(graph, table, slots, 'key_winner');
  const wins = graph.node('Equal', [winner, positions], 'key_wins');
  const settled = graph.node('Equal', [gatherValues(graph, keys, winner, 'winner_key'), keys], 'key_settled');
  const hashed = graph.node('Compress', [keys, wins], 'hashed_distinct', { axis: { int: 0 } });
  const lost = graph.node('Compress', [keys, graph.node('Not', [settled], 'key_lost')], 'lost_keys', {
    axis: { int: 0 },
  });
  const sorted = sortedDistinctKeys(graph, lost, withCounts, 'lost');
  const distinct = graph.node('Concat', [hashed, sorted.distinct], 'distinct', { axis: { int: 0 } });
  if (!withCounts) return { distinct, counts: '' };
  const settledCounts = graph.node(
    'ScatterElements',
    [empty, slots, graph.node('Cast', [settled], 'settled_one', { to: { int: INT32 } })],
    'slot_counts',
    { axis: { int: 0 }, reduction: { string: 'add' } },
  );
  const hashedCounts = gatherValues(
    graph,
    settledCounts,
    graph.node('Compress', [slots, wins], 'winning_slots', { axis: { int: 0 } }),
    'hashed_counts_int32',
  );
  return {
    distinct,
    counts: graph.node(
      'Concat',
      [graph.node('Cast', [hashedCounts], 'hashed_counts', { to: { int: INT64 } }), sorted.counts],
      'distinct_counts',
      { axis: { int: 0 } },
    ),
  };
}
