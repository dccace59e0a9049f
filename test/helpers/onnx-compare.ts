/**
 * Runs an exported graph in onnxruntime-node over texts in batches and returns its outputs, and says
 * which texts its tokenizer front end splits as `tokenize` does: what the export tests of several
 * families compare with Polarity's own predictions.
 */
import { tokenize } from '../../src/text/sequences/tokenize.js';
import { onnxRuntime, onnxTokenizer } from './onnx.js';

/** The graph's outputs for every text: probabilities row-major `[texts, labels]`, and labels. */
export interface GraphOutputs {
  readonly probabilities: Float32Array;
  readonly labels: string[];
  /** Whether the graph's tokens of each text are `tokenize`'s (apostrophe look-alikes read as `'`). */
  readonly tokensAgree: boolean[];
}

/**
 * Runs `bytes` over `texts`, `batchSize` at a time (64 unless given); null without onnxruntime-node.
 * @throws Error when a batch's probabilities are not `[batch, labelCount]`.
 */
export async function runGraph(
  bytes: Uint8Array,
  texts: readonly string[],
  labelCount: number,
  batchSize = 64,
): Promise<GraphOutputs | null> {
  const ort = await onnxRuntime();
  const tokens = await onnxTokenizer();
  if (ort === null || tokens === null) return null;
  const session = await ort.InferenceSession.create(bytes);
  const probabilities = new Float32Array(texts.length * labelCount);
  const labels: string[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts.slice(start, start + batchSize);
    const out = await session.run({ text: new ort.Tensor('string', batch, [batch.length]) });
    if (out.probabilities.dims.join() !== `${batch.length},${labelCount}`) {
      throw new Error(`probabilities of shape [${out.probabilities.dims.join(', ')}]`);
    }
    probabilities.set(out.probabilities.data as Float32Array, start * labelCount);
    labels.push(...(out.label.data as string[]));
  }
  const graphTokens = await tokens(texts);
  const tokensAgree = texts.map(
    (text, i) =>
      graphTokens[i].map((t) => t.replace(/[\u2019\u2018\u00b4`]/g, "'")).join(' ') ===
      tokenize(text).join(' '),
  );
  return { probabilities, labels, tokensAgree };
}
