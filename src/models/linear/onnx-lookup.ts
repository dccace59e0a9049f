/**
 * Lookups by index in a 1-D table for the linear graphs, by GatherElements rather than Gather: the
 * same values, but onnxruntime 1.31's Gather copies each looked-up element as a block of its own.
 * In nbsvm's graph over IMDB's 25,000 test reviews (`bench/onnx-profile.ts`, one thread) the slot
 * and key lookups took 82 and 61 ms by Gather and 23 and 17 ms by GatherElements, and the weights'
 * 246 ms by Gather of `[columns, 1]`, 293 ms by GatherElements of `[columns, 1]` and 75 ms by
 * GatherElements of `[columns]`: one dimension is what makes it fast.
 */
import type { OnnxGraphBuilder } from '../onnx-graph.js';

/** `vector[indices]`, the shape of `indices` (1-D, or any rank when `flatten` is set), named `local`. */
export function gatherValues(
  graph: OnnxGraphBuilder,
  vector: string,
  indices: string,
  local: string,
  flatten = false,
): string {
  if (!flatten) return graph.node('GatherElements', [vector, indices], local, { axis: { int: 0 } });
  const flat = graph.node(
    'Reshape',
    [indices, graph.int64s(`${local}_flat_shape`, [-1])],
    `${local}_indices`,
  );
  const values = graph.node('GatherElements', [vector, flat], `${local}_flat`, { axis: { int: 0 } });
  // allowzero: a batch without tokens has a dimension 0, which Reshape otherwise reads as "keep".
  return graph.node('Reshape', [values, graph.node('Shape', [indices], `${local}_shape`)], local, {
    allowzero: { int: 1 },
  });
}
