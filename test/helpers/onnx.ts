/**
 * What the ONNX tests share: a Python with the `onnx` package (Debian's python3-onnx, which .ci/run
 * installs) to check exported files with `onnx.checker.check_model(full_check=True)` and read them
 * back, and onnxruntime-node (a dev dependency) to run them. Each is optional: a test without it is
 * skipped with a message saying what is missing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { encodeOnnxModel } from '../../src/persist/onnx/onnx-proto.js';
import { ONNX_PAD, onnxTokenizerModel } from '../../src/models/onnx-tokenizer.js';

const run = promisify(execFile);

let python: string | null | undefined;

/**
 * A Python interpreter that imports `onnx`: $POLARITY_ONNX_PYTHON, else python3 on the PATH, else
 * /usr/bin/python3 (Debian's, where python3-onnx installs, when another python3 comes first).
 */
export function onnxPython(): string | null {
  if (python !== undefined) return python;
  const candidates = [process.env.POLARITY_ONNX_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (c): c is string => !!c,
  );
  python = null;
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['-c', 'import onnx'], { stdio: 'ignore' });
      python = candidate;
      break;
    } catch {
      // not this one
    }
  }
  return python;
}

/** Why an ONNX check is skipped, or false when python3-onnx is there. */
export function skipWithoutOnnxPython(): string | false {
  return onnxPython() === null
    ? 'python3 with the onnx package not found (apt-get install python3-onnx, or set POLARITY_ONNX_PYTHON)'
    : false;
}

/** What Python's onnx reads back from a file (initializers as lists; strings decoded). */
export interface OnnxReadBack {
  readonly irVersion: number;
  readonly opsets: Record<string, number>;
  readonly producer: string;
  readonly metadata: Record<string, string>;
  readonly nodes: { op: string; domain: string; inputs: string[]; outputs: string[]; attributes: string[] }[];
  readonly initializers: Record<string, { dims: number[]; type: number; values: (number | string)[] }>;
  readonly inputs: { name: string; type: number; shape: (number | string)[] }[];
  readonly outputs: { name: string; type: number; shape: (number | string)[] }[];
}

const READ_BACK = String.raw`
import json, sys, onnx
from onnx import numpy_helper
out = []
for path in sys.argv[1:]:
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    def vi(v):
        t = v.type.tensor_type
        return {"name": v.name, "type": t.elem_type,
                "shape": [d.dim_param if d.HasField("dim_param") else d.dim_value for d in t.shape.dim]}
    def values(t):
        a = numpy_helper.to_array(t).reshape(-1).tolist()
        return [x.decode("utf-8") if isinstance(x, bytes) else x for x in a]
    out.append({
        "irVersion": m.ir_version,
        "opsets": {o.domain: o.version for o in m.opset_import},
        "producer": m.producer_name,
        "metadata": {p.key: p.value for p in m.metadata_props},
        "nodes": [{"op": n.op_type, "domain": n.domain, "inputs": list(n.input), "outputs": list(n.output),
                   "attributes": [a.name for a in n.attribute]} for n in m.graph.node],
        "initializers": {t.name: {"dims": list(t.dims), "type": t.data_type, "values": values(t)}
                         for t in m.graph.initializer},
        "inputs": [vi(v) for v in m.graph.input],
        "outputs": [vi(v) for v in m.graph.output],
    })
print(json.dumps(out))
`;

/**
 * Loads each file with Python's onnx, runs the full checker (type and shape inference included) and
 * returns what it read. Rejects with the checker's message when a file fails.
 */
export async function checkWithPythonOnnx(files: readonly string[]): Promise<OnnxReadBack[]> {
  const interpreter = onnxPython();
  if (interpreter === null) throw new Error('python3-onnx is not available');
  const { stdout } = await run(interpreter, ['-c', READ_BACK, ...files], { maxBuffer: 1 << 28 });
  return JSON.parse(stdout) as OnnxReadBack[];
}

type Ort = typeof import('onnxruntime-node');
let ort: Ort | null | undefined;

/** onnxruntime-node, or null when it is not installed. */
export async function onnxRuntime(): Promise<Ort | null> {
  if (ort === undefined) ort = await import('onnxruntime-node').catch(() => null);
  return ort;
}

/** The tokens of each text as an exported graph's front end splits them. */
export type OnnxTokenizer = (texts: readonly string[]) => Promise<string[][]>;

/** The tokenizer nodes alone in a graph, run by onnxruntime-node; null without it. */
export async function onnxTokenizer(): Promise<OnnxTokenizer | null> {
  const runtime = await onnxRuntime();
  if (runtime === null) return null;
  const bytes = encodeOnnxModel(onnxTokenizerModel());
  const session = await runtime.InferenceSession.create(bytes);
  return async (texts) => {
    const { tokens } = await session.run({ text: new runtime.Tensor('string', [...texts], [texts.length]) });
    const width = tokens.dims[1];
    const data = tokens.data as string[];
    return texts.map((_, i) => data.slice(i * width, (i + 1) * width).filter((t) => t !== ONNX_PAD));
  };
}
