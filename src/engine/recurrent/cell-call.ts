/**
 * The steps that a call of the LSTM kernel and a call of the GRU kernel share, with the gate count
 * (4 or 3) as the only difference: the padded sizes, the trace's region, laying out and writing
 * the weights, the input, the mask and the active steps, spreading dy, zeroing the gradient buffers
 * and gathering the results, and the arguments that both kernels take first (and, backward, last).
 * lstm-kernel.ts and gru-kernel.ts keep what is their own: the parts of their trace, their state
 * buffers and the rest of their kernel's argument list.
 *
 * A layer call's weights are written once, before the working spaces of the parts of its rows
 * (row-parts.ts), and every part's call reads them there.
 */
import {
  gather,
  Layout,
  padGates,
  regions,
  roundUp,
  spread,
  transposeGates,
  writeInput,
  writeMask,
} from './kernel-memory.js';
import type { Region } from './kernel-memory.js';
import type { CellArrays, CellGradients } from './fused-layer.js';
import type { StepPlan } from './steps.js';

/**
 * What a forward pass keeps for its backward pass: a region of the kernel memory, holding one trace
 * per part of the batch's rows (row-parts.ts), the part's at byte offset `at[part]`.
 */
export interface KernelTrace {
  readonly region: Region;
  readonly at: readonly number[];
}

/** The mask, the active steps, the padded sizes and the flags, in every kernel's arguments. */
type StepArguments = [
  mask: number,
  active: number,
  rows: number,
  time: number,
  units: number,
  backwards: number,
  sequences: number,
];

/**
 * The arguments that both cells' forward kernels take first, in the order lstm.wat and gru.wat
 * declare them (byte offsets, sizes and 0/1 flags); each cell's own follow.
 */
export type ForwardHead = [
  x: number,
  w: number,
  features: number,
  r: number,
  bias: number,
  ...StepArguments,
  keep: number,
  h: number,
];

/** The arguments that both cells' backward kernels take first, as {@link ForwardHead}. */
export type BackwardHead = [dy: number, rt: number, ...StepArguments, dh: number];

/** The arguments that both cells' backward kernels take last, after their trace's parts. */
export type BackwardTail = [input: number, wt: number, features: number, dinput: number, dw: number];

/**
 * The padded sizes of a call: the batch to a multiple of 4 rows, the units and the features to
 * multiples of 8 (the kernels run whole 128-bit lanes). A cell's kernel extends it with where its
 * trace's parts start.
 */
export class CellShape {
  readonly rows: number;
  readonly units: number;
  readonly features: number;
  /** The real (unpadded) features: the kernel `[features, gates × units]` tells them. */
  readonly realFeatures: number;

  constructor(
    readonly plan: StepPlan,
    readonly gateCount: number,
    readonly realUnits: number,
    kernelLength: number,
  ) {
    this.realFeatures = kernelLength / (gateCount * realUnits);
    this.rows = roundUp(plan.batch, 4);
    this.units = roundUp(realUnits, 8);
    this.features = roundUp(this.realFeatures, 8);
  }

  /** Byte offset of a trace part at float index `index` past `base`. */
  at(base: number, index: number): number {
    return base + 4 * index;
  }
}

/** The {@link StepArguments} of a call (units: padded). */
function stepArguments(
  { plan, rows, units }: CellShape,
  maskAt: number,
  activeAt: number,
  returnSequences: boolean,
): StepArguments {
  return [maskAt, activeAt, rows, plan.time, units, plan.goBackwards ? 1 : 0, returnSequences ? 1 : 0];
}

/**
 * With `keep`, a new trace of `floats[part]` values for each part, released with its handle if no
 * backward pass does.
 */
export function startTrace(keep: boolean, floats: readonly number[]): KernelTrace | undefined {
  if (!keep) return undefined;
  const bytes = floats.map((count) => roundUp(4 * count, 16));
  const trace = {} as { region: Region; at: number[] };
  trace.region = regions.allocate(
    bytes.reduce((total, part) => total + part, 0),
    trace,
  );
  // Each part's trace starts where the one before it ends.
  trace.at = [];
  let at = trace.region.offset;
  for (const part of bytes) {
    trace.at.push(at);
    at += part;
  }
  return trace;
}

/** Byte offsets of a forward call's arguments in the kernel memory. */
export interface ForwardSpace {
  readonly layout: Layout;
  /**
   * The kernel's first arguments (input, weights, mask, sizes, flags, h); `keep` is set when the
   * input went to a trace.
   */
  readonly head: ForwardHead;
  /** The state h, zeroed: the last states when the output is not every step's. */
  readonly hAt: number;
  /** The cell's own buffers, in the order asked for; not written. */
  readonly own: readonly number[];
  readonly outputAt: number;
}

/** Where a forward call's weights are, padded: written once, read by every part's call. */
export interface ForwardWeights {
  readonly wAt: number;
  readonly rAt: number;
  readonly biasAt: number;
}

/** Lays out and writes the padded weights of forward calls from byte `start`; returns where they end. */
export function writeForwardWeights(
  shape: CellShape,
  { w, r, bias }: CellArrays,
  start: number,
): { weights: ForwardWeights; end: number } {
  const { gateCount: gates, units: padded, features, realUnits: units } = shape;
  const layout = new Layout(start);
  const weights = {
    wAt: layout.reserve(features * gates * padded),
    rAt: layout.reserve(padded * gates * padded),
    biasAt: layout.reserve(gates * padded),
  };
  layout.commit();
  padGates(w, gates, units, layout.floats(weights.wAt, features * gates * padded), padded);
  padGates(r, gates, units, layout.floats(weights.rAt, padded * gates * padded), padded);
  padGates(bias, gates, units, layout.floats(weights.biasAt, gates * padded), padded);
  return { weights, end: layout.end };
}

/**
 * Lays out and writes a forward call's arguments but the weights (`weights`, written already):
 * the input (at `traceInputAt` in the trace when the call keeps one, else in the working space),
 * the zeroed state h, the cell's `own` buffers (float counts, left for the caller to write), the
 * output, the mask and the active steps, from byte `start`.
 */
export function layOutForward(
  shape: CellShape,
  input: Float32Array,
  { wAt, rAt, biasAt }: ForwardWeights,
  returnSequences: boolean,
  traceInputAt: number | undefined,
  own: readonly number[],
  start: number,
): ForwardSpace {
  const { plan, rows, units: padded, features } = shape;
  const { time } = plan;
  const layout = new Layout(start);
  // Without a trace the input goes to the working space.
  const inputAt = traceInputAt ?? layout.reserve(rows * time * features);
  const hAt = layout.reserve(rows * padded);
  const ownAt = own.map((floats) => layout.reserve(floats));
  const outputAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  writeInput(layout, inputAt, input, plan, rows, shape.realFeatures, features);
  layout.floats(hAt, rows * padded).fill(0);
  writeMask(layout, plan, rows, maskAt, activeAt);
  const head: ForwardHead = [
    inputAt,
    wAt,
    features,
    rAt,
    biasAt,
    ...stepArguments(shape, maskAt, activeAt, returnSequences),
    traceInputAt === undefined ? 0 : 1,
    hAt,
  ];
  return { layout, head, hAt, own: ownAt, outputAt };
}

/** A forward call's output, packed: every step's states or the last ones (see {@link gather}). */
export function forwardOutput(shape: CellShape, space: ForwardSpace, returnSequences: boolean): Float32Array {
  const { plan, rows, units: padded, realUnits: units } = shape;
  const { layout } = space;
  return returnSequences
    ? gather(
        layout.floats(space.outputAt, rows * plan.time * padded),
        plan.batch * plan.time,
        1,
        units,
        padded,
      )
    : gather(layout.floats(space.hAt, rows * padded), plan.batch, 1, units, padded);
}

/** Byte offsets of a backward call's arguments in the kernel memory. */
export interface BackwardSpace {
  readonly layout: Layout;
  /** The kernel's first arguments (dy, the transposed recurrent kernel, mask, sizes, flags, dh). */
  readonly head: BackwardHead;
  /** The cell's own buffers, in the order asked for; not written. */
  readonly own: readonly number[];
  /** The gradients, zeroed. */
  readonly dInputAt: number;
  readonly dwAt: number;
  readonly drAt: number;
  readonly dbAt: number;
  /** The kernel's last arguments (the trace's input, the transposed kernel, dInput and dw). */
  readonly tail: BackwardTail;
}

/** Where a backward call's transposed weights are: written once, read by every part's call. */
export interface BackwardWeights {
  readonly rtAt: number;
  readonly wtAt: number;
}

/** Lays out and writes the transposed weights of backward calls from byte `start`; returns where they end. */
export function writeBackwardWeights(
  shape: CellShape,
  { w, r }: CellArrays,
  start: number,
): { weights: BackwardWeights; end: number } {
  const { gateCount: gates, units: padded, features, realUnits: units } = shape;
  const layout = new Layout(start);
  const weights = {
    rtAt: layout.reserve(gates * padded * padded),
    wtAt: layout.reserve(gates * padded * features),
  };
  layout.commit();
  transposeGates(r, units, gates, units, layout.floats(weights.rtAt, gates * padded * padded), padded);
  transposeGates(
    w,
    shape.realFeatures,
    gates,
    units,
    layout.floats(weights.wtAt, gates * padded * features),
    features,
  );
  return { weights, end: layout.end };
}

/**
 * Lays out and writes a backward call's arguments but the transposed weights (`weights`, written
 * already): dy spread over every step or into the state gradient dh, the cell's `own` buffers
 * (float counts, left for the caller to write), the zeroed gradients, the mask and the active
 * steps; `traceInputAt` is where the trace holds the layer's input; from byte `start`.
 */
export function layOutBackward(
  shape: CellShape,
  dy: Float32Array,
  { rtAt, wtAt }: BackwardWeights,
  returnSequences: boolean,
  traceInputAt: number,
  own: readonly number[],
  start: number,
): BackwardSpace {
  const { plan, gateCount: gates, rows, units: padded, features, realUnits: units } = shape;
  const { batch, time } = plan;
  const layout = new Layout(start);
  const dyAt = layout.reserve(returnSequences ? rows * time * padded : 0);
  const dhAt = layout.reserve(rows * padded);
  const ownAt = own.map((floats) => layout.reserve(floats));
  const dInputAt = layout.reserve(rows * time * features);
  const dwAt = layout.reserve(features * gates * padded);
  const drAt = layout.reserve(padded * gates * padded);
  const dbAt = layout.reserve(gates * padded);
  const maskAt = layout.reserve(rows * time, 1);
  const activeAt = layout.reserve(time, 1);
  layout.commit();

  layout.floats(dhAt, rows * padded).fill(0);
  if (returnSequences) {
    const dys = layout.floats(dyAt, rows * time * padded);
    if (padded !== units || rows !== batch) dys.fill(0);
    spread(dy, dys, batch * time, 1, units, padded);
  } else {
    spread(dy, layout.floats(dhAt, rows * padded), batch, 1, units, padded);
  }
  layout.floats(dInputAt, rows * time * features).fill(0);
  layout.floats(dwAt, features * gates * padded).fill(0);
  layout.floats(drAt, padded * gates * padded).fill(0);
  layout.floats(dbAt, gates * padded).fill(0);
  writeMask(layout, plan, rows, maskAt, activeAt);
  const head: BackwardHead = [dyAt, rtAt, ...stepArguments(shape, maskAt, activeAt, returnSequences), dhAt];
  const tail: BackwardTail = [traceInputAt, wtAt, features, dInputAt, dwAt];
  return { layout, head, own: ownAt, dInputAt, dwAt, drAt, dbAt, tail };
}

/** A backward call's four gradients, packed (see {@link gather}). */
export function backwardGradients(shape: CellShape, space: BackwardSpace): CellGradients {
  const { plan, gateCount: gates, rows, units: padded, features, realUnits: units, realFeatures } = shape;
  const { layout } = space;
  return {
    dInput: gather(
      layout.floats(space.dInputAt, rows * plan.time * features),
      plan.batch * plan.time,
      1,
      realFeatures,
      features,
    ),
    dKernel: gather(layout.floats(space.dwAt, features * gates * padded), realFeatures, gates, units, padded),
    dRecurrent: gather(layout.floats(space.drAt, padded * gates * padded), units, gates, units, padded),
    dBias: gather(layout.floats(space.dbAt, gates * padded), 1, gates, units, padded),
  };
}
