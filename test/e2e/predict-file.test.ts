import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFile,
  cp,
  link,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { runPolarity, type CliResult } from '../helpers/cli.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-predict-file-'));
const model = join(root, 'model');
const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
const WORDS = ['great', 'awful', 'lovely', 'boring', 'moving', 'dull', 'film', 'plot', 'the', 'was'];

function polarity(...args: string[]): Promise<CliResult> {
  return runPolarity(args, { POLARITY_DATA: '' });
}

const file = (name: string) => join(root, name);

/** Text lines of words drawn by a fixed rule, so that the file is the same on every run. */
function reviewLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: 12 }, (_, j) => WORDS[(i * 7 + j * j * 3 + i * j) % WORDS.length]).join(' '),
  );
}

/** Temp files of predict left in the folder. */
async function partialFiles(): Promise<string[]> {
  return (await readdir(root)).filter((name) => name.endsWith('.partial'));
}

interface JsonRow {
  line: number;
  id?: unknown;
  label: string | null;
  score: number | null;
  scores: Record<string, number> | null;
  skipped?: string;
  fields?: Record<string, unknown>;
}

async function jsonRows(path: string): Promise<JsonRow[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonRow);
}

before(async () => {
  const rows = Array.from({ length: 60 }, (_, i) =>
    i % 2 ? `this film was great and lovely ${i},pos` : `this film was awful and boring ${i},neg`,
  );
  await writeFile(file('tiny.csv'), ['text,label', ...rows].join('\n') + '\n');
  // The issue's own command, so that the model is a real nb model directory with checksums.
  const train = await polarity(
    'train',
    '--data',
    file('tiny.csv'),
    '--test-split',
    '0.2',
    '--model',
    'nb',
    '--out',
    model,
  );
  assert.equal(train.code, 0, train.stderr);
});
after(() => rm(root, { recursive: true, force: true }));

describe('predict --output never destroys the input', () => {
  it('refuses --output naming the --input file, by the same name, a symbolic link, a hard link or stdin', async () => {
    const same = file('same.txt');
    await writeFile(same, 'a great film\nan awful film\n');
    await symlink(same, file('same-link.txt'));
    await link(same, file('same-hard.txt'));
    const before = await readFile(same, 'utf8');
    for (const output of [same, file('same-link.txt'), file('same-hard.txt')]) {
      const result = await polarity('predict', '--model', model, '--input', same, '--output', output);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /error: --output .* is the same file as --input .*same\.txt/);
      assert.equal(await readFile(same, 'utf8'), before);
    }
    // `--input - < same.txt`: standard input is the file itself.
    const redirected = await spawnWithStdin(same, [
      'predict',
      '--model',
      model,
      '--input',
      '-',
      '--output',
      same,
    ]);
    assert.equal(redirected.code, 1, redirected.stderr);
    assert.match(redirected.stderr, /is the same file as standard input/);
    assert.equal(await readFile(same, 'utf8'), before);
  });

  it('leaves the old output as it was when the input has a bad line in the middle, and no temp file', async () => {
    const input = file('bad-middle.jsonl');
    const good = reviewLines(3000).map((text) => JSON.stringify({ text }));
    good[1500] = '{"txt":"no text field"}';
    await writeFile(input, good.join('\n') + '\n');
    const output = file('kept.jsonl');
    await writeFile(output, 'the old predictions\n');
    const result = await polarity('predict', '--model', model, '--input', input, '--output', output);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /bad-middle\.jsonl:1501: expected a JSON object with a string "text" field/);
    assert.equal(await readFile(output, 'utf8'), 'the old predictions\n');
    assert.deepEqual(await partialFiles(), []);
  });

  it('leaves the old output as it was when a model file fails its checksum, before reading any input', async () => {
    const broken = file('broken-model');
    await cp(model, broken, { recursive: true });
    await appendFile(join(broken, 'weights.bin'), 'x');
    await writeFile(file('ten.txt'), reviewLines(10).join('\n') + '\n');
    const output = file('kept2.jsonl');
    await writeFile(output, 'the old predictions\n');
    const result = await polarity(
      'predict',
      '--model',
      broken,
      '--input',
      file('ten.txt'),
      '--output',
      output,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /weights\.bin: .*(checksum|truncated)/);
    assert.equal(await readFile(output, 'utf8'), 'the old predictions\n');
    assert.deepEqual(await partialFiles(), []);
  });

  it('names an --output it cannot create: a missing folder, a directory', async () => {
    await writeFile(file('one.txt'), 'a great film\n');
    const missing = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      file('one.txt'),
      '--output',
      file('nodir/out.jsonl'),
    );
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /error: --output .*nodir\/out\.jsonl: cannot write there \(the folder .*nodir does not exist\)/,
    );
    const folder = await polarity('predict', '--model', model, '--input', file('one.txt'), '--output', root);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /error: --output .*: is a directory, expected a file/);
  });

  it('writes through a symbolic link --output, keeping the link, and keeps the old file mode', async () => {
    await writeFile(file('two.txt'), 'a great film\nan awful film\n');
    const target = file('target.jsonl');
    await writeFile(target, 'old\n', { mode: 0o640 });
    await symlink(target, file('out-link.jsonl'));
    const result = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      file('two.txt'),
      '--output',
      file('out-link.jsonl'),
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok((await stat(file('out-link.jsonl'))).isFile());
    assert.equal((await jsonRows(target)).length, 2);
    assert.equal((await stat(target)).mode & 0o777, 0o640);
  });
});

describe('predict --input: one output row per input row', () => {
  it('gives a blank line and an empty text an explicit skipped row, in JSON Lines and CSV', async () => {
    await writeFile(file('blank.txt'), 'a great film\n\nan awful film\n   \nlovely\n');
    const jsonl = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      file('blank.txt'),
      '--output',
      file('blank.jsonl'),
    );
    assert.equal(jsonl.code, 0, jsonl.stderr);
    assert.match(jsonl.stderr, /predicted 3 texts and skipped 2 empty in /);
    const rows = await jsonRows(file('blank.jsonl'));
    assert.deepEqual(
      rows.map((row) => row.line),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(rows[1], { line: 2, label: null, score: null, scores: null, skipped: 'empty text' });
    assert.deepEqual(rows[3], { line: 4, label: null, score: null, scores: null, skipped: 'empty text' });
    assert.deepEqual(Object.keys(rows[0]), ['line', 'label', 'score', 'scores']);
    assert.equal(rows[0].label, 'pos');
    assert.equal(rows[2].label, 'neg');

    await writeFile(
      file('empty.csv'),
      'id,text,gold\nr1,a great film,pos\nr2,,neg\nr3,"  ",pos\nr4,"an awful\nfilm",neg\n',
    );
    const csv = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      file('empty.csv'),
      '--output',
      file('empty.out.csv'),
      '--id-column',
      'id',
      '--keep-fields',
      'gold',
    );
    assert.equal(csv.code, 0, csv.stderr);
    const text = await readFile(file('empty.out.csv'), 'utf8');
    assert.equal(text.split('\n')[0], 'line,id,label,score,scores.neg,scores.pos,skipped,fields.gold');
    const records = parse(text, { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      records.map((r) => [r.line, r.id, r.label, r.skipped, r['fields.gold']]),
      [
        ['2', 'r1', 'pos', '', 'pos'],
        ['3', 'r2', '', 'empty text', 'neg'],
        ['4', 'r3', '', 'empty text', 'pos'],
        ['6', 'r4', 'neg', '', 'neg'],
      ],
    );
    assert.equal(records[1].score, '');
  });

  it('passes ids and kept fields through unchanged from JSON Lines, and names a row without its id', async () => {
    const input = file('ids.jsonl');
    await writeFile(
      input,
      [
        '{"text":"a great film","key":7,"gold":"pos","meta":{"a":[1]}}',
        '',
        '{"text":"","key":"x-2","gold":"neg"}',
        '{"text":"an awful film","key":null}',
      ].join('\n') + '\n',
    );
    const result = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      input,
      '--output',
      file('ids.out.jsonl'),
      '--id-field',
      'key',
      '--keep-fields',
      'gold,meta',
    );
    assert.equal(result.code, 0, result.stderr);
    const rows = await jsonRows(file('ids.out.jsonl'));
    assert.deepEqual(
      rows.map((row) => [row.line, row.id, row.label, row.skipped, row.fields]),
      [
        [1, 7, 'pos', undefined, { gold: 'pos', meta: { a: [1] } }],
        [2, null, null, 'empty text', { gold: null, meta: null }],
        [3, 'x-2', null, 'empty text', { gold: 'neg', meta: null }],
        [4, null, 'neg', undefined, { gold: null, meta: null }],
      ],
    );
    assert.deepEqual(Object.keys(rows[0]), ['line', 'id', 'label', 'score', 'scores', 'fields']);

    await writeFile(file('no-id.jsonl'), '{"text":"a great film","key":1}\n{"text":"dull"}\n');
    const missing = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      file('no-id.jsonl'),
      '--id-field',
      'key',
    );
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-id\.jsonl:2: no "key" field; every row needs its id field/);

    const header = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      file('empty.csv'),
      '--id-column',
      'key',
    );
    assert.equal(header.code, 1);
    assert.match(header.stderr, /empty\.csv:1: no "key" column; the header has "id", "text", "gold"/);

    const lines = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      file('blank.txt'),
      '--id-field',
      'id',
    );
    assert.equal(lines.code, 1);
    assert.match(
      lines.stderr,
      /blank\.txt:1: an id field or kept fields were asked for, but the input is one text per line/,
    );

    const both = await polarity(
      'predict',
      '--model',
      model,
      '--input',
      input,
      '--id-field',
      'a',
      '--id-column',
      'b',
    );
    assert.equal(both.code, 1);
    assert.match(both.stderr, /--id-field a and --id-column b name the same thing/);
  });

  it('keeps rows aligned on two workers: the same bytes as on one, blank rows where the blank lines are', async () => {
    const texts = reviewLines(2400).map((text, i) => (i % 97 === 5 ? '' : text));
    const input = file('many.jsonl');
    await writeFile(input, texts.map((text, i) => JSON.stringify({ text, id: `r${i}` })).join('\n') + '\n');
    const outputs: string[] = [];
    for (const workers of ['1', '2']) {
      const output = file(`many-${workers}.jsonl`);
      const result = await polarity(
        'predict',
        '--model',
        model,
        '--input',
        input,
        '--output',
        output,
        '--id-field',
        'id',
        '--workers',
        workers,
      );
      assert.equal(result.code, 0, result.stderr);
      outputs.push(await readFile(output, 'utf8'));
    }
    assert.equal(outputs[1], outputs[0]);
    const rows = await jsonRows(file('many-2.jsonl'));
    assert.equal(rows.length, texts.length);
    rows.forEach((row, i) => {
      assert.equal(row.line, i + 1);
      assert.equal(row.id, `r${i}`);
      assert.equal(row.skipped === 'empty text', texts[i] === '');
    });
  });
});

/** Runs polarity with the file `path` as its standard input, as the shell's `< path` does. */
async function spawnWithStdin(
  path: string,
  args: string[],
): Promise<{ code: number | null; stderr: string }> {
  const input = await open(path, 'r');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
      stdio: [input.fd, 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stderr };
  } finally {
    await input.close();
  }
}

describe('predict --output when the process is stopped', () => {
  const input = file('big.txt');
  const output = file('big.jsonl');
  const reference = file('big.reference.jsonl');
  const OLD = 'the old predictions, complete\n'.repeat(1000);
  const args = ['--import', 'tsx', BIN, 'predict', '--model', model, '--input', input, '--workers', '1'];

  /** Runs predict of the whole input into `out`, on one thread, to the end. */
  const predictInto = (out: string) =>
    polarity('predict', '--model', model, '--input', input, '--workers', '1', '--output', out);

  before(async () => {
    await writeFile(input, reviewLines(100_000).join('\n') + '\n');
    const result = await predictInto(reference);
    assert.equal(result.code, 0, result.stderr);
  });

  /** Starts predict into `output` (holding the old file), waits for `moment`, then sends `signal`. */
  async function stopAt(moment: () => Promise<void>, signal: NodeJS.Signals): Promise<NodeJS.Signals | null> {
    await writeFile(output, OLD);
    const child = spawn(process.execPath, [...args, '--output', output], { stdio: 'ignore' });
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    running = true;
    try {
      await Promise.race([moment(), closed]);
    } finally {
      running = false;
    }
    child.kill(signal);
    const [, killedBy] = await closed;
    return killedBy;
  }

  /** Whether a child started by stopAt has not been stopped yet: `until` gives up when it has. */
  let running = false;

  /** Resolves once `test` holds, looking every few milliseconds. */
  async function until(test: () => Promise<boolean>): Promise<void> {
    while (running && !(await test())) await new Promise((resolve) => setTimeout(resolve, 3));
  }
  const partialSize = async () => {
    const [name] = await partialFiles();
    return name === undefined ? -1 : ((await stat(file(name)).catch(() => undefined))?.size ?? -1);
  };

  it('removes its temp file on SIGTERM and SIGINT and leaves the old output as it was', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const killedBy = await stopAt(() => until(async () => (await partialSize()) > 0), signal);
      assert.equal(killedBy, signal, 'the process ends by the signal, after its clean-up');
      assert.equal(await readFile(output, 'utf8'), OLD);
      assert.deepEqual(await partialFiles(), []);
    }
  });

  it('leaves the complete old file or the complete new one when killed with SIGKILL at any moment', async () => {
    const complete = (await stat(reference)).size;
    const moments: Record<string, () => Promise<void>> = {
      'while starting': () => new Promise((resolve) => setTimeout(resolve, 300)),
      'as the temp file appears': () => until(async () => (await partialSize()) >= 0),
      'half way through': () => until(async () => (await partialSize()) >= complete / 2),
      'with every row written': () => until(async () => (await partialSize()) >= complete),
    };
    const seen: string[] = [];
    for (const [name, moment] of Object.entries(moments)) {
      await stopAt(moment, 'SIGKILL');
      const after = await readFile(output, 'utf8');
      const whole = after === OLD ? 'old' : after === (await readFile(reference, 'utf8')) ? 'new' : 'broken';
      assert.notEqual(whole, 'broken', `killed ${name}: the output is neither the old file nor the new one`);
      seen.push(`${name}: ${whole}`);
    }
    assert.ok(seen.includes('half way through: old'), seen.join('; '));
    // The next run clears what a killed run left behind, and finishes.
    const result = await predictInto(output);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await readFile(output, 'utf8'), await readFile(reference, 'utf8'));
    assert.deepEqual(await partialFiles(), []);
  });
});
