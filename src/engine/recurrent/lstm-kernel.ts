/**
 * The LSTM layer of lstm.wat as two calls, forward and backward over all steps, on plain arrays:
 * each call lays its arguments out in the kernel memory (kernel-memory.ts), pads them to whole
 * lanes, runs (a call per part of the batch's rows, the parts on several threads: row-parts.ts),
 * and hands its results back.
 *
 * Why a kernel of our own: per step the recurrence is one small product (h·R, 128 × 64 · 64 × 256
 * for bilstm) and a few thousand gate activations. Through the backend each product cost a tensor,
 * a dispatch and a read-back, and the gates ran as JavaScript loops of Math.exp and Math.tanh in
 * float64: about 2.3 ms a step forward and 3 ms backward. Here a step is a few products in SIMD
 * registers and the gates in float32 lanes, with no call out of WebAssembly. The input projection
 * x·W runs step by step beside h·R (and its gradients beside those of R), so the 4 × units-wide
 * projection of the whole batch is never stored, copied or transposed.
 */
import {
  CellShape,
  layOutBackward,
  layOutForward,
  type BackwardHead,
  type BackwardTail,
  type ForwardHead,
} from './cell-call.js';
import { passesInParts, type CellCalls, type PartsTrace } from './row-parts.js';
import type { StepPlan } from './steps.js';

/** lstm.wat's arguments after the shared ones (cell-call.ts): its state buffers and trace parts. */
type ForwardArguments = [
  ...ForwardHead,
  c: number,
  rec: number,
  output: number,
  gates: number,
  cells: number,
  tanh: number,
  states: number,
];

type BackwardArguments = [
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
];

/**
 * What the forward pass keeps for back-propagation, in a region of the kernel memory, in the
 * kernel's padded layout (`rows`, `units` and `features` padded): the activated gates `[time,
 * rows, 4 × units]`, the cell states after each step read `[time + 1, rows, units]` (slot 0: the
 * initial zeros), tanh of each new cell state `[time, rows, units]`, the output states after each
 * step read `[time + 1, rows, units]`, and the layer's input `[rows, time, features]`, one after
 * the other, for each part of the rows. Released by {@link lstmBackward}, or when the handle is
 * garbage-collected.
 */
export type LstmTrace = PartsTrace<Sizes>;

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

/** How the LSTM lays out a call of lstm.wat's passes for one part of a batch's rows (row-parts.ts). */
const LSTM_CALLS: CellCalls<Sizes> = {
  module: 'lstm',
  shape: (plan, units, kernelLength) => new Sizes(plan, units, kernelLength),

  forward(input, weights, sizes, returnSequences, traceAt, start) {
    const { rows, units: padded } = sizes;
    const keep = traceAt !== undefined;
    const trace = traceAt ?? 0;
    // The LSTM's own: the cell state c and the recurrent product h·R.
    const space = layOutForward(
      sizes,
      input,
      weights,
      returnSequences,
      keep ? sizes.at(trace, sizes.input) : undefined,
      [rows * padded, rows * 4 * padded],
      start,
    );
    const [cAt, recAt] = space.own;
    space.layout.floats(cAt, rows * padded).fill(0);
    if (keep) {
      space.layout.floats(sizes.at(trace, sizes.cells), rows * padded).fill(0);
      space.layout.floats(sizes.at(trace, sizes.states), rows * padded).fill(0);
    }
    const args: ForwardArguments = [
      ...space.head,
      cAt,
      recAt,
      space.outputAt,
      sizes.at(trace, sizes.gates),
      sizes.at(trace, sizes.cells),
      sizes.at(trace, sizes.tanh),
      sizes.at(trace, sizes.states),
    ];
    return { args, space };
  },

  backward(dy, weights, sizes, returnSequences, traceAt, start) {
    const { rows, units: padded } = sizes;
    // The LSTM's own: the cell state's gradient dc and the gates' dz.
    const space = layOutBackward(
      sizes,
      dy,
      weights,
      returnSequences,
      sizes.at(traceAt, sizes.input),
      [rows * padded, rows * 4 * padded],
      start,
    );
    const [dcAt, dxAt] = space.own;
    space.layout.floats(dcAt, rows * padded).fill(0);
    const args: BackwardArguments = [
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
    ];
    return { args, space };
  },
};

/**
 * The LSTM's forward and backward passes over a batch, a call per part of its rows
 * (row-parts.ts); `CellPasses` there says what each takes and gives.
 */
export const { forward: lstmForward, backward: lstmBackward } = passesInParts(LSTM_CALLS);
