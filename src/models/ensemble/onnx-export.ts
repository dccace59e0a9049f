/**
 * An ensemble as one ONNX graph, raw text in: each member's own graph, built by its family's
 * export in a scope of its own (`member0_…`, `member1_…`), from the same text input; then the
 * weighted average of their probabilities as {@link mixPredictions} takes it, `Σ wᵢ·pᵢ / Σ wᵢ`.
 *
 * The members share one tokenizer (`OnnxGraphBuilder.tokensOf`): every family's front end starts
 * from the same word tokens, and in onnxruntime the regular-expression Tokenizer took about half of
 * an nbsvm + fastText graph's time when each member ran its own.
 */
import { OptionError } from '../../errors.js';
import type { OnnxGraphBuilder, OnnxGraphContext, OnnxGraphPart } from '../onnx-graph.js';
import type { EnsembleClassifier } from './ensemble.js';

/**
 * The ensemble's part of an ONNX graph, from raw texts `text` (a graph-wide name) to its
 * probabilities, names in `graph`'s scope.
 * @throws OptionError naming the member whose family has no export (and the families that have one).
 */
export async function ensembleOnnxGraph(
  classifier: EnsembleClassifier,
  graph: OnnxGraphBuilder,
  text: string,
  context: OnnxGraphContext,
): Promise<OnnxGraphPart> {
  const { members, weights } = classifier;
  const total = weights.reduce((a, b) => a + b, 0);
  const weighted: string[] = [];
  for (const [i, member] of members.entries()) {
    let probabilities: string;
    try {
      probabilities = await context.memberGraph(member, graph.scope(`member${i}`), text);
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      throw new OptionError(`ensemble member ${i + 1} of ${members.length}: ${error.message}`);
    }
    weighted.push(graph.node('Mul', [probabilities, graph.scalar(`weight${i}`, weights[i])], `weighted${i}`));
  }
  const sum = graph.node('Sum', weighted, 'weighted_sum');
  return {
    probabilities: graph.node('Div', [sum, graph.scalar('total_weight', total)], 'probabilities'),
    metadata: {
      'polarity.members': JSON.stringify(members.map((m) => m.kind)),
      'polarity.weights': JSON.stringify(weights),
    },
  };
}
