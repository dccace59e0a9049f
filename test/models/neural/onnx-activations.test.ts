/**
 * The networks' activations in an exported graph: each Keras name becomes the ONNX operator whose
 * values are the function the export works numbers out with (run in onnxruntime-node when it is
 * installed), `linear` and an absent activation add no node, and any other name is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionError } from '../../../src/errors.js';
import { OnnxGraphBuilder } from '../../../src/models/onnx-graph.js';
import { activation, activationOf } from '../../../src/models/neural/onnx/layers.js';
import { encodeOnnxModel } from '../../../src/persist/onnx/onnx-proto.js';
import { onnxRuntime } from '../../helpers/onnx.js';

const INPUTS = Float32Array.of(-30, -3, -0.5, 0, 0.25, 2, 40);

describe('ONNX activations', () => {
  for (const name of ['relu', 'sigmoid', 'tanh', 'linear']) {
    it(`${name}: the graph's operator computes what activationOf computes`, async (t) => {
      const graph = OnnxGraphBuilder.create();
      const y = activation(graph, 'x', name, 'y');
      if (name === 'linear') {
        assert.equal(y, 'x');
        assert.equal(graph.nodes.length, 0);
        assert.deepEqual([...INPUTS].map(activationOf(name)), [...INPUTS]);
        return;
      }
      assert.equal(graph.nodes.length, 1);
      const ort = await onnxRuntime();
      if (ort === null) return t.skip('onnxruntime-node is not installed');
      const bytes = encodeOnnxModel({
        irVersion: 8,
        opsets: [{ domain: '', version: 17 }],
        graph: {
          name: 'activation',
          nodes: [...graph.nodes],
          inputs: [{ name: 'x', type: 'float', shape: [INPUTS.length] }],
          outputs: [{ name: y, type: 'float', shape: [INPUTS.length] }],
        },
      });
      const session = await ort.InferenceSession.create(bytes);
      const out = (await session.run({ x: new ort.Tensor('float32', INPUTS, [INPUTS.length]) }))[y];
      const f = activationOf(name);
      INPUTS.forEach((x, i) => {
        const got = (out.data as Float32Array)[i];
        assert.ok(Math.abs(got - f(x)) <= 1e-6, `${name}(${x}): ${got} against ${f(x)}`);
      });
      await session.release();
    });
  }

  it('an absent activation is linear; softmax is a graph node only; any other name is refused', () => {
    for (const absent of [undefined, null]) {
      const graph = OnnxGraphBuilder.create();
      assert.equal(activation(graph, 'x', absent, 'y'), 'x');
      assert.equal(activationOf(absent)(1.5), 1.5);
    }
    const graph = OnnxGraphBuilder.create();
    activation(graph, 'x', 'softmax', 'p');
    assert.deepEqual(
      graph.nodes.map((n) => n.opType),
      ['Softmax'],
    );
    assert.throws(() => activationOf('softmax'), OptionError);
    for (const name of ['elu', 'constructor', '__proto__', 'toString']) {
      assert.throws(
        () => activation(OnnxGraphBuilder.create(), 'x', name, 'y'),
        (error: Error) => error instanceof OptionError && error.message.includes(`activation "${name}"`),
      );
    }
  });
});
