/**
 * The LSTM recurrence of lstm.wat as two calls, forward and backward over all steps, on plain
 * arrays: each call lays its arguments out in the kernel memory (kernel-memory.ts), pads them to
 * whole lanes, runs, and copies its results out.
 *
 * Why a kernel of our own: per step the recurrence is one small product (h·R, 128 × 64 · 64 × 256
 * for bilstm) and a few thousand gate activations. Through the backend each product cost a tensor,
 * a dispatch and a read-back, and the gates ran as JavaScript loops of Math.exp and Math.tanh in
 * float64: about 2.3 ms a step forward and 3 ms backward. Here a step is the product in SIMD
 * registers and the gates in float32 lanes, with no call out of WebAssembly.
 */
import { LSTM_WASM } from './lstm-wasm.js';
import { gather, instantiate, Layout, regions, roundUp, spread, type Region } from './kernel-memory.js';
import type { StepPlan } from './steps.js';

type Forward = (
  x: number,
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
 * kernel's padded layout (`rows` and `units` padded): the activated gates `[time, rows, 4 × units]`,
 * the cell states after each step read `[time + 1, rows, units]` (slot 0: the initial zeros), tanh
 * of each new cell state `[time, rows, units]`, and the output states after each step read `[time +
 * 1, rows, units]`, one after the other. Released by {@link lstmBackward}, or when the handle is
 * garbage-collected.
 */
export interface LstmTrace {
  readonly region: Region;
}

/** The padded sizes of a call and where the trace's parts start (in floats). */
class Sizes {
  readonly rows: number;
  readonly units: number;
  readonly gates = 0;
  readonly cells: number;
  readonly tanh: number;
  readonly states: number;
  readonly trace: number;

  constructor(
    readonly plan: StepPlan,
    readonly realUnits: number,
  ) {
    this.rows = roundUp(plan.batch, 4);
    this.units = roundUp(realUnits, 8);
    const { time } = plan;
    const state = this.rows * this.units;
    this.cells = time * 4 * state;
    this.tanh = this.cells + (time + 1) * state;
    this.states = this.tanh + time * state;
    this.trace = this.states + (time + 1) * state;
  }

  /** Byte offset of a trace part at float index `index` past `base`. */
  at(base: number, index: number): number {
    return base + 4 * index;
  }

  /** The mask (non-zero: real) and the active steps, as the kernel reads them. */
  writeMask(layout: Layout, maskAt: number, activeAt: number): void {
    const { plan, rows } = this;
    const mask = layout.bytes(maskAt, rows * plan.time);
    if (plan.mask === undefined) {
      mask.fill(1, 0, plan.batch * plan.time);
      mask.fill(0, plan.batch * plan.time);
    } else {
      mask.set(plan.mask);
      mask.fill(0, plan.mask.length);
    }
    layout.bytes(activeAt, plan.time).set(plan.active);
  }
}

/**
 * Runs the LSTM over `x` = x·W, `[batch, time, 4 × units]` (gate order i, f, g, o), with the bias
 * `bias`, `[4 × units]`, and the recurrent kernel `r`, `[units, 4 × units]`, from zero states. Returns the last states `[batch,
 * units]` or, with `returnSequences`, every step's `[batch, time, units]` in reading order (a view
 * of the kernel memory that the next call overwrites: make a tensor of it at once); with `keep`,
 * also the trace for {@link lstmBackward}.
 */
export function lstmForward(
  x: Float32Array,
  r: Float32Array,
  bias: Float32Array,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
  keep: boolean,
): { output: Float32Array; trace?: LstmTrace } {
  const sizes = new Sizes(plan, units);
  const { rows, units: padded } = sizes;
  const { batch, time } = plan;
  const trace: LstmTrace | undefined = keep ? ({} as { region: Region }) : undefined;
  if (trace !== undefined) (trace as { region: Region }).region = regions.allocate(4 * sizes.trace, trace);
  const traceAt = trace?.region.offset ?? 0;
  const layout = new Layout();
  const xAt = layout.reserve(rows * time * 4 * padded);
  const rAt = layout.reserve(padded * 4 * padded);
  const biasAt = layout.reserve(4 * padded);
  const hAt = layout.reserve(rows * padded);
  const cAt = layout.reserve(rows * padded);
  const recAt = layout.reserve(rows * 4 * padded);
  const outputAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  const xs = layout.floats(xAt, rows * time * 4 * padded);
  if (padded !== units) xs.fill(0);
  spread(x, xs, batch * time, 4, units, padded);
  const rs = layout.floats(rAt, padded * 4 * padded);
  rs.fill(0);
  spread(r, rs, units, 4, units, padded);
  const biases = layout.floats(biasAt, 4 * padded);
  biases.fill(0);
  spread(bias, biases, 1, 4, units, padded);
  // h, c and h·R start at zero.
  layout.floats(hAt, rows * padded).fill(0);
  layout.floats(cAt, rows * padded).fill(0);
  layout.floats(recAt, rows * 4 * padded).fill(0);
  sizes.writeMask(layout, maskAt, activeAt);
  if (keep) {
    layout.floats(sizes.at(traceAt, sizes.cells), rows * padded).fill(0);
    layout.floats(sizes.at(traceAt, sizes.states), rows * padded).fill(0);
  }
  lstmKernel().lstm_forward(
    xAt,
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
 * Back-propagates the gradient `dy` of {@link lstmForward}'s output through its trace, and releases
 * the trace; `input`, `[batch, time, features]`, and `w`, `[features, 4 × units]`, are the layer's
 * input and kernel, whose product was {@link lstmForward}'s `x`. Returns the gradients of the
 * input, of the kernel, of the recurrent kernel (Σ over rows and steps of h_prevᵀ · dz) and of the
 * bias: views of the kernel memory, like the forward output.
 */
export function lstmBackward(
  dy: Float32Array,
  trace: LstmTrace,
  r: Float32Array,
  input: Float32Array,
  w: Float32Array,
  plan: StepPlan,
  units: number,
  returnSequences: boolean,
): { dInput: Float32Array; dKernel: Float32Array; dRecurrent: Float32Array; dBias: Float32Array } {
  const sizes = new Sizes(plan, units);
  const { rows, units: padded } = sizes;
  const { batch, time } = plan;
  const features = w.length / (4 * units);
  const wide = roundUp(features, 8);
  const traceAt = trace.region.offset;
  const layout = new Layout();
  const rtAt = layout.reserve(4 * padded * padded);
  const wtAt = layout.reserve(4 * padded * wide);
  const inputAt = layout.reserve(rows * time * wide);
  const dyAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const dhAt = layout.reserve(rows * padded);
  const dcAt = layout.reserve(rows * padded);
  const dxAt = layout.reserve(rows * time * 4 * padded);
  const dInputAt = layout.reserve(rows * time * wide);
  const dwAt = layout.reserve(wide * 4 * padded);
  const drAt = layout.reserve(padded * 4 * padded);
  const dbAt = layout.reserve(4 * padded);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  transposeInto(r, units, units, layout.floats(rtAt, 4 * padded * padded), padded);
  transposeInto(w, features, units, layout.floats(wtAt, 4 * padded * wide), wide);
  const inputs = layout.floats(inputAt, rows * time * wide);
  if (wide !== features || rows !== batch) inputs.fill(0);
  spread(input, inputs, batch * time, 1, features, wide);
  layout.floats(dhAt, rows * padded).fill(0);
  layout.floats(dcAt, rows * padded).fill(0);
  if (returnSequences) {
    const dys = layout.floats(dyAt, rows * time * padded);
    if (padded !== units || rows !== batch) dys.fill(0);
    spread(dy, dys, batch * time, 1, units, padded);
  } else {
    spread(dy, layout.floats(dhAt, rows * padded), batch, 1, units, padded);
  }
  layout.floats(dxAt, rows * time * 4 * padded).fill(0);
  layout.floats(dInputAt, rows * time * wide).fill(0);
  layout.floats(dwAt, wide * 4 * padded).fill(0);
  layout.floats(drAt, padded * 4 * padded).fill(0);
  layout.floats(dbAt, 4 * padded).fill(0);
  sizes.writeMask(layout, maskAt, activeAt);
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
    inputAt,
    wtAt,
    wide,
    dInputAt,
    dwAt,
  );
  regions.release(trace.region, trace);
  return {
    dInput: gather(layout.floats(dInputAt, rows * time * wide), batch * time, 1, features, wide),
    dKernel: gather(layout.floats(dwAt, wide * 4 * padded), features, 4, units, padded),
    dRecurrent: gather(layout.floats(drAt, padded * 4 * padded), units, 4, units, padded),
    dBias: gather(layout.floats(dbAt, 4 * padded), 1, 4, units, padded),
  };
}

/**
 * Writes the transpose of a kernel `[inputs, 4 × units]` (gate blocks of `units` columns) into
 * `target`, `[4 × padded, width]`: row q·padded + j holds column q·units + j; the padding is zero.
 */
function transposeInto(
  kernel: Float32Array,
  inputs: number,
  units: number,
  target: Float32Array,
  width: number,
): void {
  const padded = target.length / (4 * width);
  target.fill(0);
  for (let q = 0; q < 4; q++) {
    for (let j = 0; j < units; j++) {
      const row = (q * padded + j) * width;
      for (let k = 0; k < inputs; k++) target[row + k] = kernel[k * 4 * units + q * units + j];
    }
  }
}
