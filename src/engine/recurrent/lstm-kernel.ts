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
  c: number,
  rec: number,
  output: number,
  gates: number,
  cells: number,
  tanh: number,
  states: number,
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
  dc: number,
  dx: number,
  dr: number,
  db: number,
  gates: number,
  cells: number,
  tanh: number,
  states: number,
  input: number,
  wt: number,
  features: number,
  dinput: number,
  dw: number,
) => void;

interface LstmExports {
  readonly lstm_forward: Forward;
  readonly lstm_backward: Backward;
}

let kernel: LstmExports | undefined;

function lstmKernel(): LstmExports {
  kernel ??= instantiate<LstmExports>(LSTM_WASM);
  return kernel;
}

/**
 * What the forward pass keeps for back-propagation, in a region of the kernel memory, in the
 * kernel's padded layout (`rows`, `units` and `features` padded): the activated gates `[time,
 * rows, 4 × units]`, the cell states after each step read `[time + 1, rows, units]` (slot 0: the
 * initial zeros), tanh of each new cell state `[time, rows, units]`, the output states after each
 * step read `[time + 1, rows, units]`, and the layer's input `[rows, time, features]`, one after
 * the other. Released by {@link lstmBackward}, or when the handle is garbage-collected.
 */
export interface LstmTrace {
  readonly region: Region;
}

/** The padded sizes of a call and where the trace's parts start (in floats). */
class Sizes {
  readonly rows: number;
  readonly units: number;
  readonly features: number;
  readonly gates = 0;
  readonly cells: number;
  readonly tanh: number;
  readonly states: number;
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
    this.cells = time * 4 * state;
    this.tanh = this.cells + (time + 1) * state;
    this.states = this.tanh + time * state;
    this.input = this.states + (time + 1) * state;
    this.trace = this.input + this.rows * time * this.features;
  }

  /** Byte offset of a trace part at float index `index` past `base`. */
  at(base: number, index: number): number {
    return base + 4 * index;
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
  { w, r, bias }: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
  keep: boolean,
): { output: Float32Array; trace?: LstmTrace } {
  const sizes = new Sizes(plan, units, w.length / (4 * units));
  const { rows, units: padded, features } = sizes;
  const { batch, time } = plan;
  const trace: LstmTrace | undefined = keep ? ({} as { region: Region }) : undefined;
  if (trace !== undefined) (trace as { region: Region }).region = regions.allocate(4 * sizes.trace, trace);
  const traceAt = trace?.region.offset ?? 0;
  const layout = new Layout();
  // Without a trace the input goes to the working space.
  const inputAt = keep ? sizes.at(traceAt, sizes.input) : layout.reserve(rows * time * features);
  const wAt = layout.reserve(features * 4 * padded);
  const rAt = layout.reserve(padded * 4 * padded);
  const biasAt = layout.reserve(4 * padded);
  const hAt = layout.reserve(rows * padded);
  const cAt = layout.reserve(rows * padded);
  const recAt = layout.reserve(rows * 4 * padded);
  const outputAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  writeInput(layout, inputAt, input, plan, rows, sizes.realFeatures, features);
  padGates(w, 4, units, layout.floats(wAt, features * 4 * padded), padded);
  padGates(r, 4, units, layout.floats(rAt, padded * 4 * padded), padded);
  padGates(bias, 4, units, layout.floats(biasAt, 4 * padded), padded);
  layout.floats(hAt, rows * padded).fill(0);
  layout.floats(cAt, rows * padded).fill(0);
  writeMask(layout, plan, rows, maskAt, activeAt);
  if (keep) {
    layout.floats(sizes.at(traceAt, sizes.cells), rows * padded).fill(0);
    layout.floats(sizes.at(traceAt, sizes.states), rows * padded).fill(0);
  }
  lstmKernel().lstm_forward(
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
    cAt,
    recAt,
    outputAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.cells),
    sizes.at(traceAt, sizes.tanh),
    sizes.at(traceAt, sizes.states),
  );
  const output = returnSequences
    ? gather(layout.floats(outputAt, rows * time * padded), batch * time, 1, units, padded)
    : gather(layout.floats(hAt, rows * padded), batch, 1, units, padded);
  return { output, trace };
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
  { w, r }: CellArrays,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
): CellGradients {
  const realFeatures = w.length / (4 * units);
  const sizes = new Sizes(plan, units, realFeatures);
  const { rows, units: padded, features } = sizes;
  const { batch, time } = plan;
  const traceAt = trace.region.offset;
  const layout = new Layout();
  const rtAt = layout.reserve(4 * padded * padded);
  const wtAt = layout.reserve(4 * padded * features);
  const dyAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const dhAt = layout.reserve(rows * padded);
  const dcAt = layout.reserve(rows * padded);
  const dxAt = layout.reserve(rows * 4 * padded);
  const dInputAt = layout.reserve(rows * time * features);
  const dwAt = layout.reserve(features * 4 * padded);
  const drAt = layout.reserve(padded * 4 * padded);
  const dbAt = layout.reserve(4 * padded);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  transposeGates(r, units, 4, units, layout.floats(rtAt, 4 * padded * padded), padded);
  transposeGates(w, realFeatures, 4, units, layout.floats(wtAt, 4 * padded * features), features);
  layout.floats(dhAt, rows * padded).fill(0);
  layout.floats(dcAt, rows * padded).fill(0);
  if (returnSequences) {
    const dys = layout.floats(dyAt, rows * time * padded);
    if (padded !== units || rows !== batch) dys.fill(0);
    spread(dy, dys, batch * time, 1, units, padded);
  } else {
    spread(dy, layout.floats(dhAt, rows * padded), batch, 1, units, padded);
  }
  layout.floats(dInputAt, rows * time * features).fill(0);
  layout.floats(dwAt, features * 4 * padded).fill(0);
  layout.floats(drAt, padded * 4 * padded).fill(0);
  layout.floats(dbAt, 4 * padded).fill(0);
  writeMask(layout, plan, rows, maskAt, activeAt);
  lstmKernel().lstm_backward(
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
    dcAt,
    dxAt,
    drAt,
    dbAt,
    sizes.at(traceAt, sizes.gates),
    sizes.at(traceAt, sizes.cells),
    sizes.at(traceAt, sizes.tanh),
    sizes.at(traceAt, sizes.states),
    sizes.at(traceAt, sizes.input),
    wtAt,
    features,
    dInputAt,
    dwAt,
  );
  regions.release(trace.region, trace);
  return {
    dInput: gather(layout.floats(dInputAt, rows * time * features), batch * time, 1, realFeatures, features),
    dKernel: gather(layout.floats(dwAt, features * 4 * padded), realFeatures, 4, units, padded),
    dRecurrent: gather(layout.floats(drAt, padded * 4 * padded), units, 4, units, padded),
    dBias: gather(layout.floats(dbAt, 4 * padded), 1, 4, units, padded),
  };
}
