import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RowEvent } from '../../src/data/rows.js';

/** A temp folder for one test file's fixtures, and a writer of files (text or raw bytes) into it. */
export async function fixtureDir(): Promise<{
  dir: string;
  write: (name: string, content: string | Uint8Array) => Promise<string>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'polarity-own-data-'));
  return {
    dir,
    write: async (name, content) => {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Everything a reader yields, rows as `line:label:text` and problems as `line:kind`. */
export async function readAll(events: AsyncIterable<RowEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) {
    out.push(
      'row' in event
        ? `${event.row.line}:${event.row.label}:${event.row.text}`
        : `${event.problem.line}:${event.problem.kind}`,
    );
  }
  return out;
}

/** The problems a reader yields, with their reasons. */
export async function problemsOf(
  events: AsyncIterable<RowEvent>,
): Promise<{ line: number; kind: string; reason: string }[]> {
  const out: { line: number; kind: string; reason: string }[] = [];
  for await (const event of events) {
    if ('problem' in event)
      out.push({ line: event.problem.line, kind: event.problem.kind, reason: event.problem.reason });
  }
  return out;
}

/** Bytes that are not valid UTF-8 (a lone continuation byte), inside otherwise plain text. */
export function withInvalidByte(before: string, after: string): Uint8Array {
  return Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
}

/**
 * A three-label problem: each label has its own words, and every text is unique. `perLabel` rows of each
 * label, in label order round robin.
 */
export function threeLabelRows(perLabel: number): { text: string; label: string }[] {
  const words: Record<string, string[]> = {
    neg: ['bad', 'awful', 'boring', 'dull'],
    mixed: ['uneven', 'okay', 'middling', 'patchy'],
    pos: ['good', 'great', 'lovely', 'superb'],
  };
  const rows: { text: string; label: string }[] = [];
  for (let i = 0; i < perLabel; i++) {
    for (const label of ['neg', 'mixed', 'pos']) {
      const w = words[label];
      rows.push({ text: `a ${w[i % 4]} film, ${w[(i + 1) % 4]} acting, take ${i}`, label });
    }
  }
  return rows;
}
