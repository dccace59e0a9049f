/**
 * The GRU layer of gru.wat as two calls, forward and backward over all steps, on plain arrays, as
 * lstm-kernel.ts does for the LSTM (see there for why): each call lays its arguments out in the
 * kernel memory (kernel-memory.ts), pads them to whole lanes, runs, and hands its results back as
 * views of that memory (overwritten by the next call: make tensors of them at once).
 */
import { GRU_WASM } from './gru-wasm.js';
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

/** gru.wat's arguments after the shared ones (cell-call.ts): its state buffers and trace parts. */
type Forward = (
  ...args: [
    ...ForwardHead,
    rec: number,
    rh: number,
    output: number,
    gates: number,
    states: number,
    resets: number,
  ]
) => void;

type Backward = (
  ...args: [
    ...BackwardHead,
    drh: number,
    dz: number,
    dr: number,
    db: number,
    gates: number,
    states: number,
    resets: number,
    ...BackwardTail,
  ]
) => void;

interface GruExports {
  readonly gru_forward: Forward;
  readonly gru_backward: Backward;
}

const gruKernel = lazyKernel<GruExports>(GRU_WASM);

/**
 * What the forward pass keeps for back-propagation, in a region of the kernel memory, padded: z, r
 * and h̃ `[time, rows, 3 × units]`, the state after each step read `[time + 1, rows, units]` (slot
 * 0: the initial zeros), r ⊙ h entering each step `[time, rows, units]`, and the layer's input
 * `[rows, time, features]`. Released by {@link gruBackward}, or when the handle is
 * garbage-collected.
 */
export type GruTrace = KernelTrace;

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

/**
 * Runs the GRU over `input`, `[batch, time, features]`, from a zero state. Returns the last states
 * `[batch, units]` or, with `returnSequences`, every step's `[batch, time, units]` in reading order
 * (a view of the kernel memory); with `keep`, also the trace for {@link gruBackward}.
 */
export function gruForward(
  input: Float32Array,
  cell: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
  keep: boolean,
): { output: Float32Array; trace?: GruTrace } {
  const sizes = new Sizes(plan, units, cell.w.length);
  const { rows, units: padded } = sizes;
  const trace = startTrace(keep, sizes.trace);
  const traceAt = trace?.region.offset ?? 0;
  // The GRU's own: the recurrent product h·R and r ⊙ h.
  const space = layOutForward(
    sizes,
    input,
    cell,
    returnSequences,
    keep ? sizes.at(traceAt, sizes.input) : undefined,
    [rows * 3 * padded, rows * padded],
  );
  const [recAt, rhAt] = space.own;
  space.layout.floats(rhAt, rows * padded).fill(0);
  if (keep) space.layout.floats(sizes.at(traceAt, sizes.states), rows * padded).fill(0);
  gruKernel().gru_forward(
    ...space.head,
    recAt,
    rhAt,
    space.outputAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.states),
    sizes.at(traceAt, sizes.resets),
  );
  return { output: forwardOutput(sizes, space, returnSequences), trace };
}

/**
 * Back-propagates the gradient `dy` of {@link gruForward}'s output through its trace, with the same
 * weights, and releases the trace. Returns the gradients of the input, of the kernel, of the
 * recurrent kernel and of the bias: views of the kernel memory.
 */
export function gruBackward(
  dy: Float32Array,
  trace: GruTrace,
  cell: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
): CellGradients {
  const sizes = new Sizes(plan, units, cell.w.length);
  const { rows, units: padded } = sizes;
  const traceAt = trace.region.offset;
  // The GRU's own scratch: d(r ⊙ h) and the gates' dz (the kernel writes both).
  const space = layOutBackward(sizes, dy, cell, returnSequences, sizes.at(traceAt, sizes.input), [
    rows * padded,
    rows * 3 * padded,
  ]);
  const [drhAt, dzAt] = space.own;
  gruKernel().gru_backward(
    ...space.head,
    drhAt,
    dzAt,
    space.drAt,
    space.dbAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.states),
    sizes.at(traceAt, sizes.resets),
    ...space.tail,
  );
  return finishBackward(sizes, space, trace);
}
