/**
 * A float array reused from call to call for results that are copied out at once (into a tensor,
 * see `tensorOf` in tensor-io.ts). Why not a fresh array each time: one of the sizes a training
 * step needs (16 MB for bilstm's states) costs several times more to map, page by page, than to fill.
 */
export class ScratchArray {
  private array = new Float32Array(0);

  /** The first `length` floats, as the last user left them; the array is grown when needed. */
  take(length: number): Float32Array {
    if (this.array.length < length) this.array = new Float32Array(length);
    return this.array.subarray(0, length);
  }

  /** The first `length` floats, set to zero. */
  zeroed(length: number): Float32Array {
    const view = this.take(length);
    view.fill(0);
    return view;
  }
}
