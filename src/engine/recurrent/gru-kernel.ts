/**
 * The GRU layer of gru.wat as two calls, forward and backward over all steps, on plain arrays, as
 * lstm-kernel.ts does for the LSTM (see there for why): each call lays its arguments out in the
 * kernel memory (kernel-memory.ts), pads them to whole lanes, runs (a call per part of the batch's
 * rows: row-parts.ts), and hands its results back, views of that memory when there is one part
 * (overwritten by the next call: make tensors of them at once).
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

/** gru.wat's arguments after the shared ones (cell-call.ts): its state buffers and trace parts. */
type ForwardArguments = [
  ...ForwardHead,
  rec: number,
  rh: number,
  output: number,
  gates: number,
  states: number,
  resets: number,
];

type BackwardArguments = [
  ...BackwardHead,
  drh: number,
  dz: number,
  dr: number,
  db: number,
  gates: number,
  states: number,
  resets: number,
  ...BackwardTail,
];

/**
 * What the forward pass keeps for back-propagation, in a region of the kernel memory, padded: z, r
 * and h̃ `[time, rows, 3 × units]`, the state after each step read `[time + 1, rows, units]` (slot
 * 0: the initial zeros), r ⊙ h entering each step `[time, rows, units]`, and the layer's input
 * `[rows, time, features]`. Released by {@link gruBackward}, or when the handle is
 * garbage-collected.
 */
export type GruTrace = PartsTrace<Sizes>;

/** The padded sizes of a call and where the trace's parts start (in floats). */
class Sizes extends CellShape {
  readonly gates = 0;
  readonly states: number;
  readonly resets: number;
  readonly input: number;
  readonly trace: number;

  constructor(plan: StepPlan, units: number, kernelLength: number) {
    super(plan, 3, units, kernelLength);
    const { time } = plan;
    const state = this.rows * this.units;
    this.states = time * 3 * state;
    this.resets = this.states + (time + 1) * state;
    this.input = this.resets + time * state;
    this.trace = this.input + this.rows * time * this.features;
  }
}

/** How the GRU lays out a call of gru.wat's passes for one part of a batch's rows (row-parts.ts). */
const GRU_CALLS: CellCalls<Sizes> = {
  module: 'gru',
  shape: (plan, units, kernelLength) => new Sizes(plan, units, kernelLength),

  forward(input, weights, sizes, returnSequences, traceAt, start) {
    const { rows, units: padded } = sizes;
    const keep = traceAt !== undefined;
    const trace = traceAt ?? 0;
    // The GRU's own: the recurrent product h·R and r ⊙ h.
    const space = layOutForward(
      sizes,
      input,
      weights,
      returnSequences,
      keep ? sizes.at(trace, sizes.input) : undefined,
      [rows * 3 * padded, rows * padded],
      start,
    );
    const [recAt, rhAt] = space.own;
    space.layout.floats(rhAt, rows * padded).fill(0);
    if (keep) space.layout.floats(sizes.at(trace, sizes.states), rows * padded).fill(0);
    const args: ForwardArguments = [
      ...space.head,
      recAt,
      rhAt,
      space.outputAt,
      sizes.at(trace, sizes.gates),
      sizes.at(trace, sizes.states),
      sizes.at(trace, sizes.resets),
    ];
    return { args, space };
  },

  backward(dy, weights, sizes, returnSequences, traceAt, start) {
    const { rows, units: padded } = sizes;
    // The GRU's own scratch: d(r ⊙ h) and the gates' dz (the kernel writes both).
    const space = layOutBackward(
      sizes,
      dy,
      weights,
      returnSequences,
      sizes.at(traceAt, sizes.input),
      [rows * padded, rows * 3 * padded],
      start,
    );
    const [drhAt, dzAt] = space.own;
    const args: BackwardArguments = [
      ...space.head,
      drhAt,
      dzAt,
      space.drAt,
      space.dbAt,
      sizes.at(traceAt, sizes.gates),
      sizes.at(traceAt, sizes.states),
      sizes.at(traceAt, sizes.resets),
      ...space.tail,
    ];
    return { args, space };
  },
};

/**
 * The GRU's forward and backward passes over a batch, a call per part of its rows
 * (row-parts.ts); `CellPasses` there says what each takes and gives.
 */
export const { forward: gruForward, backward: gruBackward } = passesInParts(GRU_CALLS);
