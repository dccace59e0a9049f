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
import type { KernelInvocation, KernelModule } from './kernel-modules.js';
import type { StepPlan } from './steps.js';

/** The fewest rows a part has: below that a second thread costs more than it saves. */
const MIN_PART_ROWS = 16;

/** A kernel call laid out and written in the kernel memory, to be run on any thread. */
interface PreparedCall<Result> {
  readonly invocation: KernelInvocation;
  /** Where the call's working space ends: the next part's starts there. */
  readonly end: number;
  /** The call's result, read once it has run (views of the kernel memory, see lstm-kernel.ts). */
  finish(): Result;
}

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
      const inputRow = input.length / plan.batch;
      const kernel = startTrace(
        keep,
        shapes.map((shape) => shape.trace),
      );
      const written = writeForwardWeights(shapes[0], cell, regions.top());
      const prepared = prepareParts(written.end, parts, (part, i, start) => {
        const { args, space } = calls.forward(
          input.subarray(part.begin * inputRow, part.end * inputRow),
          written.weights,
          shapes[i],
          returnSequences,
          kernel?.at[i],
          start,
        );
        return {
          invocation: { module: calls.module, pass: 'forward', args },
          end: space.layout.end,
          finish: () => forwardOutput(shapes[i], space, returnSequences),
        };
      });
      runKernelCalls(prepared.map((call) => call.invocation));
      const output = joinRows(
        prepared.map((call) => call.finish()),
        outputs,
      );
      return kernel === undefined
        ? { output }
        : { output, trace: { parts, shapes, returnSequences, kernel } };
    },

    backward(dy, { parts, shapes, returnSequences, kernel }, cell) {
      const dyRow = dy.length / parts[parts.length - 1].end;
      const written = writeBackwardWeights(shapes[0], cell, regions.top());
      const prepared = prepareParts(written.end, parts, (part, i, start) => {
        const { args, space } = calls.backward(
          dy.subarray(part.begin * dyRow, part.end * dyRow),
          written.weights,
          shapes[i],
          returnSequences,
          kernel.at[i],
          start,
        );
        return {
          invocation: { module: calls.module, pass: 'backward', args },
          end: space.layout.end,
          finish: () => backwardGradients(shapes[i], space),
        };
      });
      runKernelCalls(prepared.map((call) => call.invocation));
      regions.release(kernel.region, kernel);
      const gradients = prepared.map((call) => call.finish());
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

/** Each part's call, laid out one after the other from byte `start`. */
function prepareParts<Result>(
  start: number,
  parts: readonly RowPart[],
  prepare: (part: RowPart, index: number, start: number) => PreparedCall<Result>,
): PreparedCall<Result>[] {
  let next = start;
  return parts.map((part, i) => {
    const call = prepare(part, i, next);
    next = call.end;
    return call;
  });
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
