/**
 * What every family's ONNX export shares: a graph builder whose names carry a scope (so that an
 * ensemble can hold several members' graphs in one), and the model around a family's part.
 *
 * A family's part (its entry's `onnxGraph`) takes the string tensor of raw texts and adds the nodes
 * that end in its probabilities `[N, labels]`; {@link classifierOnnxModel} adds the `label` output
 * (ArgMax, then Gather from the labels), the metadata every export carries and the versions.
 *
 * IR version 8 with opset 17 and com.microsoft 1, for broad support: onnxruntime reads opset 17
 * from 1.13 on (by its compatibility table; not run here), onnx 1.12 (Debian's python3-onnx) checks
 * it. Run here: onnxruntime-node 1.31.1 and Python onnxruntime 1.30.0.
 */
import type { ModelManifest } from '../persist/manifest.js';
import {
  encodeOnnxModel,
  ONNX_PRODUCER,
  type OnnxAttributeValue,
  type OnnxNode,
  type OnnxTensor,
} from '../persist/onnx/onnx-proto.js';
import { onnxTokenizerNodes } from './onnx-tokenizer.js';
import { POLARITY_VERSION } from '../util/version.js';
import type { Classifier } from './classifier.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_MS_OPSET = 1;
/** The ai.onnx.ml opset (LabelEncoder and friends), imported by the exports that use it. */
export const ONNX_ML_OPSET = 3;

/** A named constant tensor of the graph. */
export type NamedTensor = OnnxTensor & { readonly name: string };

/** The lists a graph is built into, shared by every scope of one model. */
interface GraphParts {
  readonly nodes: OnnxNode[];
  readonly initializers: NamedTensor[];
  readonly names: Set<string>;
  /** The tokens already made of each text input, by the input's name. */
  readonly tokens: Map<string, string>;
}

/**
 * Builds one ONNX graph. Names given to {@link name}, {@link node} and {@link constant} are local to
 * the builder's scope: `scope('member0')` gives a builder whose names start with `member0_`, into
 * the same graph, so that two members never clash. A name used twice is an error, not a silent
 * rewiring.
 */
export class OnnxGraphBuilder {
  private constructor(
    private readonly parts: GraphParts,
    readonly prefix: string,
  ) {}

  /** An empty graph with names unprefixed. */
  static create(): OnnxGraphBuilder {
    return new OnnxGraphBuilder({ nodes: [], initializers: [], names: new Set(), tokens: new Map() }, '');
  }

  /** A builder into the same graph whose names start with `prefix_` (nested scopes join with `_`). */
  scope(prefix: string): OnnxGraphBuilder {
    return new OnnxGraphBuilder(this.parts, this.name(prefix));
  }

  /** The graph-wide name of local name `local`. */
  name(local: string): string {
    return this.prefix === '' ? local : `${this.prefix}_${local}`;
  }

  /**
   * Adds a node whose one output is local name `output`; returns the output's graph-wide name.
   * Inputs are graph-wide names (what earlier calls returned).
   */
  node(
    opType: string,
    inputs: readonly string[],
    output: string,
    attributes?: Readonly<Record<string, OnnxAttributeValue>>,
    domain?: string,
  ): string {
    const [name] = this.nodeWithOutputs(opType, inputs, [output], attributes, domain);
    return name;
  }

  /** As {@link node}, for a node with several outputs (local names); returns their graph-wide names. */
  nodeWithOutputs(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes?: Readonly<Record<string, OnnxAttributeValue>>,
    domain?: string,
  ): string[] {
    const names = outputs.map((output) => this.claim(output));
    this.parts.nodes.push({
      opType,
      name: `${names[0]}_${opType.toLowerCase()}`,
      inputs,
      outputs: names,
      ...(attributes === undefined ? {} : { attributes }),
      ...(domain === undefined ? {} : { domain }),
    });
    return names;
  }

  /**
   * The tokens `[N, T]` of the raw texts `text` (Polarity's tokenizer as ONNX nodes, models/onnx-tokenizer.ts),
   * made once per graph and input, outside any scope: the members of an ensemble, which all tokenize the
   * same texts, share one Tokenizer instead of running it once each.
   */
  tokensOf(text: string): string {
    let tokens = this.parts.tokens.get(text);
    if (tokens === undefined) {
      const local = text === 'text' ? '' : `${text}_`;
      const tokenizer = onnxTokenizerNodes(text, `${local}tokens`, `${local}tokenize`);
      this.addNodes(tokenizer.nodes);
      tokens = tokenizer.tokens;
      this.parts.tokens.set(text, tokens);
    }
    return tokens;
  }

  /** Adds nodes written with graph-wide names already (e.g. the tokenizer's), claiming their outputs. */
  addNodes(nodes: readonly OnnxNode[]): void {
    for (const node of nodes) {
      for (const output of node.outputs) this.claimGlobal(output);
      this.parts.nodes.push(node);
    }
  }

  /** Adds a constant tensor under local name `local`; returns its graph-wide name. */
  constant(local: string, tensor: OnnxTensor): string {
    const name = this.claim(local);
    this.parts.initializers.push({ ...tensor, name });
    return name;
  }

  /** A float scalar constant. */
  scalar(local: string, value: number): string {
    return this.constant(local, { type: 'float', dims: [], data: [value] });
  }

  /** An int64 scalar constant (a length, an index). */
  int64(local: string, value: number): string {
    return this.constant(local, { type: 'int64', dims: [], data: [value] });
  }

  /** An int64 vector constant (axes, shapes, indices). */
  int64s(local: string, values: readonly number[]): string {
    return this.constant(local, { type: 'int64', dims: [values.length], data: values });
  }

  get nodes(): readonly OnnxNode[] {
    return this.parts.nodes;
  }

  get initializers(): readonly NamedTensor[] {
    return this.parts.initializers;
  }

  private claim(local: string): string {
    return this.claimGlobal(this.name(local));
  }

  private claimGlobal(name: string): string {
    if (this.parts.names.has(name)) throw new Error(`onnx graph: the name "${name}" is used twice`);
    this.parts.names.add(name);
    return name;
  }
}

/** What a family's `onnxGraph` may ask of the export: the graph of another loaded model (an ensemble's member). */
export interface OnnxGraphContext {
  /** Adds `member`'s graph from raw texts `text` into `graph`; returns its probabilities' name. */
  memberGraph(member: Classifier, graph: OnnxGraphBuilder, text: string): Promise<string>;
}

/** A family's part of the graph: the name of its probabilities `[N, labels]`, and metadata of its own. */
export interface OnnxGraphPart {
  readonly probabilities: string;
  /** Entries for `metadata_props` beyond the ones every export writes (keys `polarity.*`). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The metadata every export writes: labels, Polarity's version, kind, data fingerprint, options. */
export function commonOnnxMetadata(manifest: ModelManifest): Record<string, string> {
  return {
    'polarity.labels': JSON.stringify(manifest.labels),
    'polarity.version': POLARITY_VERSION,
    'polarity.kind': manifest.kind,
    'polarity.data_fingerprint': manifest.training.dataFingerprint ?? '',
    'polarity.options': JSON.stringify(manifest.hyperParameters),
  };
}

const OPSETS: Readonly<Record<string, number>> = {
  '': ONNX_OPSET,
  'com.microsoft': ONNX_MS_OPSET,
  'ai.onnx.ml': ONNX_ML_OPSET,
};

/** The default domain's opset, and the opset of each other domain the nodes use. */
function opsetsOf(nodes: readonly OnnxNode[]): { domain: string; version: number }[] {
  const domains = new Set(['', ...nodes.map((node) => node.domain ?? '')]);
  return [...domains].map((domain) => {
    const version = OPSETS[domain];
    if (version === undefined) throw new Error(`onnx graph: no opset chosen for domain "${domain}"`);
    return { domain, version };
  });
}

/** The graph's input: raw texts. */
export const ONNX_TEXT_INPUT = 'text';

/**
 * The `.onnx` file of a classifier whose part of the graph ends in `part.probabilities`: adds the
 * `label` output and the metadata, and encodes the model.
 */
export function classifierOnnxModel(
  graph: OnnxGraphBuilder,
  part: OnnxGraphPart,
  manifest: ModelManifest,
): Uint8Array {
  const { labels, kind } = manifest;
  const best = graph.node('ArgMax', [part.probabilities], 'best', {
    axis: { int: 1 },
    keepdims: { int: 0 },
  });
  const labelPool = graph.constant('labels', { type: 'string', dims: [labels.length], data: [...labels] });
  const label = graph.node('Gather', [labelPool, best], 'label', { axis: { int: 0 } });
  // The graph's outputs have fixed names; a part whose probabilities are named otherwise gets an Identity.
  const probabilities =
    part.probabilities === 'probabilities'
      ? part.probabilities
      : graph.node('Identity', [part.probabilities], 'probabilities');
  if (label !== 'label' || probabilities !== 'probabilities') {
    throw new Error('onnx graph: the outputs must be built in the unprefixed scope');
  }
  return encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opsets: opsetsOf(graph.nodes),
    producerName: ONNX_PRODUCER,
    producerVersion: POLARITY_VERSION,
    doc: `Polarity ${kind} model: raw text in, probabilities of ${labels.join(', ')} out`,
    graph: {
      name: `polarity_${kind.replace(/[^A-Za-z0-9_]/g, '_')}`,
      nodes: [...graph.nodes],
      inputs: [{ name: ONNX_TEXT_INPUT, type: 'string', shape: ['N'], doc: 'raw texts, UTF-8' }],
      outputs: [
        {
          name: 'probabilities',
          type: 'float',
          shape: ['N', labels.length],
          doc: `probabilities of ${labels.join(', ')}`,
        },
        { name: 'label', type: 'string', shape: ['N'], doc: 'the most probable label' },
      ],
      initializers: [...graph.initializers],
    },
    metadata: { ...commonOnnxMetadata(manifest), ...part.metadata },
  });
}
