/**
 * The one line splitter of every line-based reader (CSV, TSV, JSON Lines, fastText and one text per line,
 * through `utf8-file.ts`, and word-vector text): bytes in, runs of whole lines out, with a ceiling on the
 * length of a line. Node's readline has none, and a reader that holds "the rest of the line" until a
 * newline comes holds all of `/dev/zero`; this one holds at most the limit and then fails naming the
 * file and the line.
 *
 * It hands out blocks of whole lines rather than single lines, so that a reader can decode and scan a
 * block at native speed; `utf8Lines` (`utf8-file.ts`) is the line-at-a-time form.
 */
import { recordTooLong } from './record-limit.js';

const NEWLINE = 0x0a;

/** Whole lines: every line ends with `\n` except, in the last block of a file, the last line. */
export interface LineBlock {
  readonly bytes: Buffer;
  /** Number of the block's first line, from 1. */
  readonly firstLine: number;
}

/** What the splitter needs to know: the ceiling, and the file to name when a line passes it. */
export interface LineLimit {
  readonly file: string;
  /** Bytes a line may hold, its line ending not counted. */
  readonly maxLineBytes: number;
}

/** A push-based splitter, for readers fed chunk by chunk (see {@link lineBlocks} for streams). */
export class LineSplitter {
  /** The start of a line whose end has not arrived yet. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Number of the line `held` belongs to. */
  private line = 1;

  constructor(private readonly limit: LineLimit) {}

  /**
   * The whole lines `chunk` completes, with the held start of the first before them; undefined when the
   * chunk holds no line ending.
   * @throws DatasetError when a line is longer than the limit, as soon as that is known.
   */
  push(chunk: Buffer): LineBlock | undefined {
    const cut = chunk.lastIndexOf(NEWLINE);
    if (cut < 0) {
      this.hold(chunk);
      return undefined;
    }
    const firstLine = this.line;
    let start = 0;
    let carried = this.heldBytes;
    for (let end = chunk.indexOf(NEWLINE); end >= 0 && end <= cut; end = chunk.indexOf(NEWLINE, start)) {
      if (carried + end - start > this.limit.maxLineBytes) this.fail();
      carried = 0;
      start = end + 1;
      this.line++;
    }
    const head = chunk.subarray(0, cut + 1);
    const bytes = this.held.length === 0 ? head : Buffer.concat([...this.held, head]);
    this.held = [];
    this.heldBytes = 0;
    if (cut + 1 < chunk.length) this.hold(chunk.subarray(cut + 1));
    return { bytes, firstLine };
  }

  /** The last line, when the input did not end with a line ending. */
  end(): LineBlock | undefined {
    if (this.held.length === 0) return undefined;
    const bytes = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    return { bytes, firstLine: this.line };
  }

  private hold(bytes: Buffer): void {
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    if (this.heldBytes > this.limit.maxLineBytes) this.fail();
  }

  private fail(): never {
    throw recordTooLong(this.limit.file, this.line, this.limit.maxLineBytes);
  }
}

/** The blocks of whole lines of a byte stream (a file, standard input). */
export async function* lineBlocks(
  source: AsyncIterable<Buffer>,
  limit: LineLimit,
): AsyncGenerator<LineBlock> {
  const splitter = new LineSplitter(limit);
  for await (const chunk of source) {
    const block = splitter.push(chunk);
    if (block) yield block;
  }
  const last = splitter.end();
  if (last) yield last;
}
