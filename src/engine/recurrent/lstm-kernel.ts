/**
 * The LSTM layer of lstm.wat as two calls, forward and backward over all steps, on plain arrays:
 * each call lays its arguments out in the kernel memory (kernel-memory.ts), pads them to whole
 * lanes, runs, and hands its results back as views.
 *
 * Why a kernel of our own: per step the recurrence is one small product (h·R, 128 × 64 · 64 × 256
 * for bilstm) and a few thousand gate activations. Through the backend each product cost a tensor,
 * a dispatch and a read-back, and the gates ran as JavaScript loops of Math.exp and Math.tanh in
 * float64: about 2.3 ms a step forward and 3 ms backward. Here a step is a few products in SIMD
 * registers and the gates in float32 lanes, with no call out of WebAssembly. The input projection
 * x·W runs step by step beside h·R (and its gradients beside those of R), so the 4 × units-wide
 * projection of the whole batch is never stored, copied or transposed.
 */
import { LSTM_WASM } from './lstm-wasm.js';
import { lazyKernel } from './kernel-memory.js';
import {
  CellShape,
  finishBackward,
  forwardOutput,
  layOutBackward,
  layOutForward,
  startTrace,
  type BackwardHead,
  type BackwardTail,
  type ForwardHead,
  type KernelTrace,
} from './cell-call.js';
import type { CellArrays, CellGradients } from './fused-layer.js';
import type { StepPlan } from './steps.js';

/** lstm.wat's arguments after the shared ones (cell-call.ts): its state buffers and trace parts. */
type Forward = (
  ...args: [
    ...ForwardHead,
    c: number,
    rec: number,
    output: number,
    gates: number,
    cells: number,
    tanh: number,
    states: number,
  ]
) => void;

type Backward = (
  ...args: [
    ...BackwardHead,
    dc: number,
    dx: number,
    dr: number,
    db: number,
    gates: number,
    cells: number,
    tanh: number,
    states: number,
    ...BackwardTail,
  ]
) => void;

interface LstmExports {
  readonly lstm_forward: Forward;
  readonly lstm_backward: Backward;
}

const lstmKernel = lazyKernel<LstmExports>(LSTM_WASM);

/**
 * What the forward pass keeps for back-propagation, in a region of the kernel memory, in the
 * kernel's padded layout (`rows`, `units` and `features` padded): the activated gates `[time,
 * rows, 4 × units]`, the cell states after each step read `[time + 1, rows, units]` (slot 0: the
 * initial zeros), tanh of each new cell state `[time, rows, units]`, the output states after each
 * step read `[time + 1, rows, units]`, and the layer's input `[rows, time, features]`, one after
 * the other. Released by {@link lstmBackward}, or when the handle is garbage-collected.
 */
export type LstmTrace = KernelTrace;

/** The padded sizes of a call and where the trace's parts start (in floats). */
class Sizes extends CellShape {
  readonly gates = 0;
  readonly cells: number;
  readonly tanh: number;
  readonly states: number;
  readonly input: number;
  readonly trace: number;

  constructor(plan: StepPlan, units: number, kernelLength: number) {
    super(plan, 4, units, kernelLength);
    const { time } = plan;
    const state = this.rows * this.units;
    this.cells = time * 4 * state;
    this.tanh = this.cells + (time + 1) * state;
    this.states = this.tanh + time * state;
    this.input = this.states + (time + 1) * state;
    this.trace = this.input + this.rows * time * this.features;
  }
}

/**
 * Runs the LSTM over `input`, `[batch, time, features]`, from zero states. Returns the last states
 * `[batch, units]` or, with `returnSequences`, every step's `[batch, time, units]` in reading order
 * (a view of the kernel memory that the next call overwrites: make a tensor of it at once); with
 * `keep`, also the trace for {@link lstmBackward}.
 */
export function lstmForward(
  input: Float32Array,
  cell: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
  keep: boolean,
): { output: Float32Array; trace?: LstmTrace } {
  const sizes = new Sizes(plan, units, cell.w.length);
  const { rows, units: padded } = sizes;
  const trace = startTrace(keep, sizes.trace);
  const traceAt = trace?.region.offset ?? 0;
  // The LSTM's own: the cell state c and the recurrent product h·R.
  const space = layOutForward(
    sizes,
    input,
    cell,
    returnSequences,
    keep ? sizes.at(traceAt, sizes.input) : undefined,
    [rows * padded, rows * 4 * padded],
  );
  const [cAt, recAt] = space.own;
  space.layout.floats(cAt, rows * padded).fill(0);
  if (keep) {
    space.layout.floats(sizes.at(traceAt, sizes.cells), rows * padded).fill(0);
    space.layout.floats(sizes.at(traceAt, sizes.states), rows * padded).fill(0);
  }
  lstmKernel().lstm_forward(
    ...space.head,
    cAt,
    recAt,
    space.outputAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.cells),
    sizes.at(traceAt, sizes.tanh),
    sizes.at(traceAt, sizes.states),
  );
  return { output: forwardOutput(sizes, space, returnSequences), trace };
}

/**
 * Back-propagates the gradient `dy` of {@link lstmForward}'s output through its trace, with the
 * same weights, and releases the trace. Returns the gradients of the input, of the kernel, of the
 * recurrent kernel (Σ over rows and steps of h_prevᵀ · dz) and of the bias: views of the kernel
 * memory, like the forward output.
 */
export function lstmBackward(
  dy: Float32Array,
  trace: LstmTrace,
  cell: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
): CellGradients {
  const sizes = new Sizes(plan, units, cell.w.length);
  const { rows, units: padded } = sizes;
  const traceAt = trace.region.offset;
  // The LSTM's own: the cell state's gradient dc and the gates' dz.
  const space = layOutBackward(sizes, dy, cell, returnSequences, sizes.at(traceAt, sizes.input), [
    rows * padded,
    rows * 4 * padded,
  ]);
  const [dcAt, dxAt] = space.own;
  space.layout.floats(dcAt, rows * padded).fill(0);
  lstmKernel().lstm_backward(
    ...space.head,
    dcAt,
    dxAt,
    space.drAt,
    space.dbAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.cells),
    sizes.at(traceAt, sizes.tanh),
    sizes.at(traceAt, sizes.states),
    ...space.tail,
  );
  return finishBackward(sizes, space, trace);
}
