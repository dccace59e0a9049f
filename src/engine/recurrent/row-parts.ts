/**
 * A recurrent layer's forward and backward passes over a batch cut into parts of rows, each part one
 * call of the cell's kernel, the parts run at once on several threads (kernel-threads.ts).
 *
 * Why parts of rows: every row of a batch has its own state, so parts are independent; forward,
 * each part's output is exactly what the whole batch's call gives for its rows, and backward the
 * gradients of the weights are the sum of the parts' (in part order, so a little rounding apart
 * from one call over the whole batch). The cut depends on the batch size only, never on the number
 * of threads, so the results do not either. A part also skips the steps where all of its own rows
 * are padding.
 */
import { ScratchArray } from '../scratch-array.js';
import { regions, roundUp } from './kernel-memory.js';
import { runKernelCalls } from './kernel-threads.js';
import {
  backwardGradients,
  forwardOutput,
  startTrace,
  writeBackwardWeights,
  writeForwardWeights,
  type BackwardSpace,
  type BackwardWeights,
  type CellShape,
  type ForwardSpace,
  type ForwardWeights,
  type KernelTrace,
} from './cell-call.js';
import { MAX_PARTS } from './part-queue.js';
import type { CellArrays, CellGradients } from './fused-layer.js';
import type { KernelModule, KernelPass } from './kernel-modules.js';
import type { StepPlan } from './steps.js';

/** The fewest rows a part has: below that a second thread costs more than it saves. */
const MIN_PART_ROWS = 16;

/** What a cell's pass gives for a part: its kernel's arguments, and where it laid them out. */
export interface LaidOutCall<Space> {
  readonly args: readonly number[];
  readonly space: Space;
}

/** A call's padded sizes, as a cell computes them, with the floats its forward pass keeps. */
export interface TracedShape extends CellShape {
  readonly trace: number;
}

/** How a cell lays out its kernel's calls (lstm-kernel.ts, gru-kernel.ts). */
export interface CellCalls<Shape extends TracedShape> {
  readonly module: KernelModule;
  /** The padded sizes of a call over `plan`. */
  shape(plan: StepPlan, units: number, kernelLength: number): Shape;
  /**
   * A forward call over `input` `[plan.batch, time, features]` with the weights at `weights`, its
   * trace at byte `traceAt` (none: keep no trace), its working space from byte `start`; the
   * result: the output, as {@link CellPasses} forward's.
   */
  forward(
    input: Float32Array,
    weights: ForwardWeights,
    shape: Shape,
    returnSequences: boolean,
    traceAt: number | undefined,
    start: number,
  ): LaidOutCall<ForwardSpace>;
  /** A backward call through the trace at byte `traceAt`, its working space from byte `start`. */
  backward(
    dy: Float32Array,
    weights: BackwardWeights,
    shape: Shape,
    returnSequences: boolean,
    traceAt: number,
    start: number,
  ): LaidOutCall<BackwardSpace>;
}

/** Rows `begin` to `end` of a batch, and their plan. */
export interface RowPart {
  readonly begin: number;
  readonly end: number;
  readonly plan: StepPlan;
}

/**
 * The parts a batch is cut into: as many as {@link MAX_PARTS} of at least {@link MIN_PART_ROWS}
 * rows each, their sizes multiples of 4 (the kernels' lanes) but for the last.
 */
export function rowParts(plan: StepPlan): RowPart[] {
  const { batch } = plan;
  const count = Math.max(1, Math.min(MAX_PARTS, Math.floor(batch / MIN_PART_ROWS)));
  if (count === 1) return [{ begin: 0, end: batch, plan }];
  const size = roundUp(Math.ceil(batch / count), 4);
  const parts: RowPart[] = [];
  for (let begin = 0; begin < batch; begin += size) {
    const end = Math.min(batch, begin + size);
    parts.push({ begin, end, plan: plan.rows(begin, end) });
  }
  return parts;
}

/**
 * What a forward pass keeps for its backward pass: how the rows were cut, each part's padded sizes,
 * the flag the output was made with, and the kernel memory holding each part's trace.
 */
export interface PartsTrace<Shape extends TracedShape> {
  readonly parts: readonly RowPart[];
  readonly shapes: readonly Shape[];
  readonly returnSequences: boolean;
  readonly kernel: KernelTrace;
}

/** A cell's two passes over a batch, cut in parts of rows: what `fusedLayer` runs (fused-layer.ts). */
export interface CellPasses<Shape extends TracedShape> {
  /**
   * Runs the cell over `input`, `[batch, time, features]`, from zero states. Returns the last states
   * `[batch, units]` or, with `returnSequences`, every step's `[batch, time, units]` in reading
   * order (may be a view of the kernel memory that the next call overwrites: make a tensor of it
   * at once); with `keep`, also the trace for `backward`.
   */
  forward(
    input: Float32Array,
    cell: CellArrays,
    plan: StepPlan,
    units: number,
    returnSequences: boolean,
    keep: boolean,
  ): { output: Float32Array; trace?: PartsTrace<Shape> };
  /**
   * Back-propagates the gradient `dy` of `forward`'s output through its trace, with the same
   * weights, and releases the trace. Returns the gradients of the input, of the kernel, of the
   * recurrent kernel (Σ over rows and steps of h_prevᵀ · dz) and of the bias (may be views of the
   * kernel memory, like the forward output).
   */
  backward(dy: Float32Array, trace: PartsTrace<Shape>, cell: CellArrays): CellGradients;
}

/** The two passes of the cell whose kernel calls `calls` lays out. */
export function passesInParts<Shape extends TracedShape>(calls: CellCalls<Shape>): CellPasses<Shape> {
  return {
    forward(input, cell, plan, units, returnSequences, keep) {
      const parts = rowParts(plan);
      const shapes = parts.map((part) => calls.shape(part.plan, units, cell.w.length));
      const kernel = startTrace(
        keep,
        shapes.map((shape) => shape.trace),
      );
      const written = writeForwardWeights(shapes[0], cell, regions.top());
      const outputsOfParts = runInParts(
        calls.module,
        'forward',
        written.end,
        parts,
        input,
        (rows, i, start) =>
          calls.forward(rows, written.weights, shapes[i], returnSequences, kernel?.at[i], start),
        (space, i) => forwardOutput(shapes[i], space, returnSequences),
      );
      const output = joinRows(outputsOfParts, outputs);
      return kernel === undefined
        ? { output }
        : { output, trace: { parts, shapes, returnSequences, kernel } };
    },

    backward(dy, { parts, shapes, returnSequences, kernel }, cell) {
      const written = writeBackwardWeights(shapes[0], cell, regions.top());
      const gradients = runInParts(
        calls.module,
        'backward',
        written.end,
        parts,
        dy,
        (rows, i, start) =>
          calls.backward(rows, written.weights, shapes[i], returnSequences, kernel.at[i], start),
        (space, i) => backwardGradients(shapes[i], space),
      );
      regions.release(kernel.region, kernel);
      if (gradients.length === 1) return gradients[0];
      return {
        dInput: joinRows(
          gradients.map((g) => g.dInput),
          inputGradients,
        ),
        dKernel: sum(gradients.map((g) => g.dKernel)),
        dRecurrent: sum(gradients.map((g) => g.dRecurrent)),
        dBias: sum(gradients.map((g) => g.dBias)),
      };
    },
  };
}

/**
 * Lays each part's call out after the one before, from byte `start` (`layOut`, given the part's rows
 * of the pass's `[batch, …]` input `rows`), runs them all at once, and gives each part's result
 * (`finish`: views of the kernel memory, read once every call has run).
 */
function runInParts<Space extends { readonly layout: { readonly end: number } }, Result>(
  module: KernelModule,
  pass: KernelPass,
  start: number,
  parts: readonly RowPart[],
  rows: Float32Array,
  layOut: (partRows: Float32Array, index: number, start: number) => LaidOutCall<Space>,
  finish: (space: Space, index: number) => Result,
): Result[] {
  const row = rows.length / parts[parts.length - 1].end;
  let next = start;
  const laidOut = parts.map((part, i) => {
    const call = layOut(rows.subarray(part.begin * row, part.end * row), i, next);
    next = call.space.layout.end;
    return call;
  });
  runKernelCalls(laidOut.map(({ args }) => ({ module, pass, args })));
  return laidOut.map(({ space }, i) => finish(space, i));
}

/**
 * Where the parts' outputs, and their input gradients, are joined. The caller makes a tensor of a
 * joined result at once, as of a kernel memory view.
 */
const outputs = new ScratchArray();
const inputGradients = new ScratchArray();

/** The parts' rows one after the other, in `scratch` (the only part itself when there is one). */
function joinRows(parts: readonly Float32Array[], scratch: ScratchArray): Float32Array {
  if (parts.length === 1) return parts[0];
  const joined = scratch.take(parts.reduce((length, part) => length + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/** The element-wise sum of equally long arrays, added in order. */
function sum(arrays: readonly Float32Array[]): Float32Array {
  const total = Float32Array.from(arrays[0]);
  for (const array of arrays.slice(1)) {
    for (let i = 0; i < total.length; i++) total[i] += array[i];
  }
  return total;
}
