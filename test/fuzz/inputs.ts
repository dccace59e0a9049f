/**
 * Inputs for the fuzz targets: random bytes, and valid samples with a few edits, which reach much further
 * into a parser than noise does (noise rarely gets past the first check). The edits insert the bytes
 * that mean something to the formats: quotes, delimiters, line endings, a byte order mark, bytes that
 * are not UTF-8, label prefixes, and long runs that pass a small record limit.
 */
import fc from 'fast-check';

/** Bytes with meaning to some format. */
const TOKENS: readonly string[] = [
  '"',
  '""',
  ',',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\uFEFF',
  '{',
  '}',
  '[',
  ']',
  ':',
  '\\',
  '"text":',
  '"label":',
  '__label__',
  '__label__pos ',
  ' ',
  '0',
  '-1',
  '1e999',
  'NaN',
  'null',
  '\u0000',
  'é',
  '😀',
  'x'.repeat(300),
];
const RAW_TOKENS: readonly Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0x1f, 0x8b]),
  Buffer.alloc(512),
];

export type Edit =
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'token'; readonly at: number; readonly token: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number; readonly times: number }
  | { readonly kind: 'truncate'; readonly at: number };

const ALL_TOKENS = [...TOKENS.map((token) => Buffer.from(token)), ...RAW_TOKENS];

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: fc.nat(ALL_TOKENS.length - 1) }),
  fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: fc.nat(ALL_TOKENS.length - 1) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 64 }),
    times: fc.integer({ min: 2, max: 20 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** One to eight edits, for {@link applyEdits}. */
export const byteEdits: fc.Arbitrary<Edit[]> = fc.array(edit, { minLength: 1, maxLength: 8 });

/** `bytes` with `edits` applied in order (positions wrap around the current length). */
export function applyEdits(bytes: Uint8Array, edits: readonly Edit[]): Buffer {
  let out = Buffer.from(bytes);
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    switch (e.kind) {
      case 'insert':
        out = Buffer.concat([out.subarray(0, at), e.bytes, out.subarray(at)]);
        break;
      case 'token':
        out = Buffer.concat([out.subarray(0, at), ALL_TOKENS[e.token], out.subarray(at)]);
        break;
      case 'delete':
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + e.length)]);
        break;
      case 'flip':
        if (at < out.length) out[at] ^= 1 << e.bit;
        break;
      case 'repeat': {
        const piece = out.subarray(at, at + e.length);
        out = Buffer.concat([out.subarray(0, at), ...Array<Buffer>(e.times).fill(piece), out.subarray(at)]);
        break;
      }
      case 'truncate':
        out = out.subarray(0, at);
        break;
    }
  }
  return out;
}

/** Random bytes, or one of `samples` (valid input) with up to eight edits: mostly the latter. */
export function bytesLike(samples: readonly (string | Buffer)[]): fc.Arbitrary<Buffer> {
  const bases = samples.map((sample) => (typeof sample === 'string' ? Buffer.from(sample) : sample));
  return fc.oneof(
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }).map((text) => Buffer.from(text)) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...bases), byteEdits)
        .map(([base, edits]) => applyEdits(base, edits)),
    },
  );
}

/** A record limit: usually the default, sometimes small enough for the edits to pass it. */
export const recordLimit: fc.Arbitrary<number | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }) },
);
