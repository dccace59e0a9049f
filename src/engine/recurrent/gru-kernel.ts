/**
 * The GRU layer of gru.wat as two calls, forward and backward over all steps, on plain arrays, as
 * lstm-kernel.ts does for the LSTM (see there for why): each call lays its arguments out in the
 * kernel memory (kernel-memory.ts), pads them to whole lanes, runs, and hands its results back as
 * views of that memory (overwritten by the next call: make tensors of them at once).
 */
import { GRU_WASM } from './gru-wasm.js';
import {
  gather,
  instantiate,
  Layout,
  padGates,
  regions,
  roundUp,
  spread,
  transposeGates,
  writeInput,
  writeMask,
  type Region,
} from './kernel-memory.js';
import type { CellArrays, CellGradients } from './fused-layer.js';
import type { StepPlan } from './steps.js';

type Forward = (
  x: number,
  w: number,
  features: number,
  r: number,
  bias: number,
  mask: number,
  active: number,
  rows: number,
  time: number,
  units: number,
  backwards: number,
  sequences: number,
  keep: number,
  h: number,
  rec: number,
  rh: number,
  output: number,
  gates: number,
  states: number,
  resets: number,
) => void;

type Backward = (
  dy: number,
  rt: number,
  mask: number,
  active: number,
  rows: number,
  time: number,
  units: number,
  backwards: number,
  sequences: number,
  dh: number,
  drh: number,
  dz: number,
  dr: number,
  db: number,
  gates: number,
  states: number,
  resets: number,
  input: number,
  wt: number,
  features: number,
  dinput: number,
  dw: number,
) => void;

interface GruExports {
  readonly gru_forward: Forward;
  readonly gru_backward: Backward;
}

let kernel: GruExports | undefined;

function gruKernel(): GruExports {
  kernel ??= instantiate<GruExports>(GRU_WASM);
  return kernel;
}

/**
 * What the forward pass keeps for back-propagation, in a region of the kernel memory, padded: z, r
 * and h̃ `[time, rows, 3 × units]`, the state after each step read `[time + 1, rows, units]` (slot
 * 0: the initial zeros), r ⊙ h entering each step `[time, rows, units]`, and the layer's input
 * `[rows, time, features]`. Released by {@link gruBackward}, or when the handle is
 * garbage-collected.
 */
export interface GruTrace {
  readonly region: Region;
}

/** The padded sizes of a call and where the trace's parts start (in floats). */
class Sizes {
  readonly rows: number;
  readonly units: number;
  readonly features: number;
  readonly gates = 0;
  readonly states: number;
  readonly resets: number;
  readonly input: number;
  readonly trace: number;

  constructor(
    readonly plan: StepPlan,
    readonly realUnits: number,
    readonly realFeatures: number,
  ) {
    this.rows = roundUp(plan.batch, 4);
    this.units = roundUp(realUnits, 8);
    this.features = roundUp(realFeatures, 8);
    const { time } = plan;
    const state = this.rows * this.units;
    this.states = time * 3 * state;
    this.resets = this.states + (time + 1) * state;
    this.input = this.resets + time * state;
    this.trace = this.input + this.rows * time * this.features;
  }

  /** Byte offset of a trace part at float index `index` past `base`. */
  at(base: number, index: number): number {
    return base + 4 * index;
  }
}

/**
 * Runs the GRU over `input`, `[batch, time, features]`, from a zero state. Returns the last states
 * `[batch, units]` or, with `returnSequences`, every step's `[batch, time, units]` in reading order
 * (a view of the kernel memory); with `keep`, also the trace for {@link gruBackward}.
 */
export function gruForward(
  input: Float32Array,
  { w, r, bias }: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
  keep: boolean,
): { output: Float32Array; trace?: GruTrace } {
  const sizes = new Sizes(plan, units, w.length / (3 * units));
  const { rows, units: padded, features } = sizes;
  const { batch, time } = plan;
  const trace: GruTrace | undefined = keep ? ({} as { region: Region }) : undefined;
  if (trace !== undefined) (trace as { region: Region }).region = regions.allocate(4 * sizes.trace, trace);
  const traceAt = trace?.region.offset ?? 0;
  const layout = new Layout();
  // Without a trace the input goes to the working space.
  const inputAt = keep ? sizes.at(traceAt, sizes.input) : layout.reserve(rows * time * features);
  const wAt = layout.reserve(features * 3 * padded);
  const rAt = layout.reserve(padded * 3 * padded);
  const biasAt = layout.reserve(3 * padded);
  const hAt = layout.reserve(rows * padded);
  const recAt = layout.reserve(rows * 3 * padded);
  const rhAt = layout.reserve(rows * padded);
  const outputAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  writeInput(layout, inputAt, input, plan, rows, sizes.realFeatures, features);
  padGates(w, 3, units, layout.floats(wAt, features * 3 * padded), padded);
  padGates(r, 3, units, layout.floats(rAt, padded * 3 * padded), padded);
  padGates(bias, 3, units, layout.floats(biasAt, 3 * padded), padded);
  layout.floats(hAt, rows * padded).fill(0);
  layout.floats(rhAt, rows * padded).fill(0);
  writeMask(layout, plan, rows, maskAt, activeAt);
  if (keep) layout.floats(sizes.at(traceAt, sizes.states), rows * padded).fill(0);
  gruKernel().gru_forward(
    inputAt,
    wAt,
    features,
    rAt,
    biasAt,
    maskAt,
    activeAt,
    rows,
    time,
    padded,
    plan.goBackwards ? 1 : 0,
    returnSequences ? 1 : 0,
    keep ? 1 : 0,
    hAt,
    recAt,
    rhAt,
    outputAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.states),
    sizes.at(traceAt, sizes.resets),
  );
  const output = returnSequences
    ? gather(layout.floats(outputAt, rows * time * padded), batch * time, 1, units, padded)
    : gather(layout.floats(hAt, rows * padded), batch, 1, units, padded);
  return { output, trace };
}

/**
 * Back-propagates the gradient `dy` of {@link gruForward}'s output through its trace, with the same
 * weights, and releases the trace. Returns the gradients of the input, of the kernel, of the
 * recurrent kernel and of the bias: views of the kernel memory.
 */
export function gruBackward(
  dy: Float32Array,
  trace: GruTrace,
  { w, r }: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
): CellGradients {
  const realFeatures = w.length / (3 * units);
  const sizes = new Sizes(plan, units, realFeatures);
  const { rows, units: padded, features } = sizes;
  const { batch, time } = plan;
  const traceAt = trace.region.offset;
  const layout = new Layout();
  const rtAt = layout.reserve(3 * padded * padded);
  const wtAt = layout.reserve(3 * padded * features);
  const dyAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const dhAt = layout.reserve(rows * padded);
  const drhAt = layout.reserve(rows * padded);
  const dzAt = layout.reserve(rows * 3 * padded);
  const dInputAt = layout.reserve(rows * time * features);
  const dwAt = layout.reserve(features * 3 * padded);
  const drAt = layout.reserve(padded * 3 * padded);
  const dbAt = layout.reserve(3 * padded);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  transposeGates(r, units, 3, units, layout.floats(rtAt, 3 * padded * padded), padded);
  transposeGates(w, realFeatures, 3, units, layout.floats(wtAt, 3 * padded * features), features);
  layout.floats(dhAt, rows * padded).fill(0);
  if (returnSequences) {
    const dys = layout.floats(dyAt, rows * time * padded);
    if (padded !== units || rows !== batch) dys.fill(0);
    spread(dy, dys, batch * time, 1, units, padded);
  } else {
    spread(dy, layout.floats(dhAt, rows * padded), batch, 1, units, padded);
  }
  layout.floats(dInputAt, rows * time * features).fill(0);
  layout.floats(dwAt, features * 3 * padded).fill(0);
  layout.floats(drAt, padded * 3 * padded).fill(0);
  layout.floats(dbAt, 3 * padded).fill(0);
  writeMask(layout, plan, rows, maskAt, activeAt);
  gruKernel().gru_backward(
    dyAt,
    rtAt,
    maskAt,
    activeAt,
    rows,
    time,
    padded,
    plan.goBackwards ? 1 : 0,
    returnSequences ? 1 : 0,
    dhAt,
    drhAt,
    dzAt,
    drAt,
    dbAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.states),
    sizes.at(traceAt, sizes.resets),
    sizes.at(traceAt, sizes.input),
    wtAt,
    features,
    dInputAt,
    dwAt,
  );
  regions.release(trace.region, trace);
  return {
    dInput: gather(layout.floats(dInputAt, rows * time * features), batch * time, 1, realFeatures, features),
    dKernel: gather(layout.floats(dwAt, features * 3 * padded), realFeatures, 3, units, padded),
    dRecurrent: gather(layout.floats(drAt, padded * 3 * padded), units, 3, units, padded),
    dBias: gather(layout.floats(dbAt, 3 * padded), 1, 3, units, padded),
  };
}
