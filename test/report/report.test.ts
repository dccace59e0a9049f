import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PolarityError } from '../../src/errors.js';
import { labelBalanceChart } from '../../src/report/dataset-charts.js';
import { confusionMatrixChart } from '../../src/report/evaluation-charts.js';
import { writeReport, type Report } from '../../src/report/report.js';
import { formatCell, tableToCsv, type Table } from '../../src/report/table.js';
import { parseSvg, pngSize } from './helpers.js';

const root = await mkdtemp(join(tmpdir(), 'polarity-report-'));
after(() => rm(root, { recursive: true, force: true }));

const table: Table = {
  columns: [
    { key: 'name', title: 'name' },
    { key: 'value', title: 'value, rounded', decimals: 2 },
    { key: 'share', title: 'share', percent: true, decimals: 1 },
  ],
  rows: [
    { name: 'plain', value: 1234.5678, share: 0.5 },
    { name: 'with "quotes", comma', value: null, share: 0.12345 },
  ],
};

const report: Report = {
  title: 'A <test> report',
  command: 'polarity stats --report "x"',
  created: new Date(Date.UTC(2026, 0, 2, 3, 4)),
  sections: [
    {
      heading: 'Labels & counts',
      text: 'Some <b>text</b>.',
      items: [
        {
          kind: 'chart',
          name: 'balance',
          spec: labelBalanceChart([{ split: 'train', label: 'neg', count: 3 }]),
          caption: 'A caption.',
        },
        { kind: 'table', name: 'numbers', title: 'Numbers', table },
      ],
    },
    {
      heading: 'Errors',
      items: [
        {
          kind: 'chart',
          name: 'confusion',
          spec: confusionMatrixChart(
            ['neg', 'pos'],
            [
              [1, 2],
              [3, 4],
            ],
          ),
        },
      ],
    },
  ],
};

describe('writeReport', () => {
  it('writes SVG, PNG and Vega-Lite per chart, CSV per table, and an index.html referring to each', async () => {
    const dir = join(root, 'report');
    const written = await writeReport(dir, report);
    assert.deepEqual(written.warnings, []);
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, [
      'balance.png',
      'balance.svg',
      'balance.vl.json',
      'confusion.png',
      'confusion.svg',
      'confusion.vl.json',
      'index.html',
      'numbers.csv',
      'polarity.json',
    ]);
    assert.deepEqual([...written.files].sort(), files);
    const marker = JSON.parse(await readFile(join(dir, 'polarity.json'), 'utf8')) as {
      format: string;
      files: string[];
    };
    assert.equal(marker.format, 'polarity-report');
    assert.deepEqual([...marker.files, 'polarity.json'].sort(), files);
    assert.equal(written.files[0], 'index.html');

    for (const name of ['balance', 'confusion']) {
      parseSvg(await readFile(join(dir, `${name}.svg`), 'utf8'));
      const { width, height } = pngSize(await readFile(join(dir, `${name}.png`)));
      assert.ok(width >= 100 && height >= 100, `${name}.png is ${width}×${height}`);
      const spec = JSON.parse(await readFile(join(dir, `${name}.vl.json`), 'utf8')) as { $schema: string };
      assert.match(spec.$schema, /vega-lite\/v6/);
    }

    const html = await readFile(join(dir, 'index.html'), 'utf8');
    const references = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      new Set(references),
      new Set(files.filter((f) => f !== 'index.html' && f !== 'polarity.json')),
    );
    assert.match(html, /<img src="balance\.svg" alt="Label balance" width="\d+" height="\d+">/);
    assert.match(html, /A caption\./);
    assert.match(html, /on 2026-01-02 03:04 UTC/);
  });

  it('escapes every text of the report in the page', async () => {
    const dir = join(root, 'escaped');
    await writeReport(dir, report);
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    assert.ok(!html.includes('<test>') && !html.includes('<b>text</b>'), 'no markup from the report texts');
    assert.match(html, /<title>A &#60;test&#62; report<\/title>/);
    assert.match(html, /Labels &#38; counts/);
    assert.match(html, /<code>polarity stats --report &#34;x&#34;<\/code>/);
    assert.match(
      html,
      /<td>with &#34;quotes&#34;, comma<\/td><td class="number">–<\/td><td class="number">12\.3%<\/td>/,
    );
    assert.match(html, /<td class="number">1,234\.57<\/td><td class="number">50\.0%<\/td>/);
  });

  it('replaces an earlier report whole, and leaves no temp directory', async () => {
    const dir = join(root, 'replaced');
    await writeReport(dir, report);
    await writeReport(dir, {
      title: 'Only a table',
      sections: [{ heading: 'T', items: [{ kind: 'table', name: 't', title: 'T', table }] }],
    });
    assert.deepEqual((await readdir(dir)).sort(), ['index.html', 'polarity.json', 't.csv']);
    assert.deepEqual(
      (await readdir(root)).filter((f) => f.startsWith('.polarity-')),
      [],
    );
  });

  it('writes into an empty directory, and refuses one holding a file it did not write', async () => {
    const dir = join(root, 'foreign');
    const onlyTable: Report = {
      title: 'Only a table',
      sections: [{ heading: 'T', items: [{ kind: 'table', name: 't', title: 'T', table }] }],
    };
    await mkdir(dir);
    await writeReport(dir, onlyTable);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await assert.rejects(
      writeReport(dir, onlyTable),
      (e: Error) => e instanceof PolarityError && /foreign.*notes\.txt.*--overwrite/.test(e.message),
    );
    assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'mine');
  });

  it('rejects file names that are not plain, and two charts of one name', async () => {
    const chart = { kind: 'chart' as const, spec: labelBalanceChart([{ split: 's', label: 'l', count: 1 }]) };
    await assert.rejects(
      writeReport(join(root, 'bad'), {
        title: 'x',
        sections: [{ heading: 'x', items: [{ ...chart, name: '../escape' }] }],
      }),
      /lower-case letters, digits and dashes/,
    );
    await assert.rejects(
      writeReport(join(root, 'bad'), {
        title: 'x',
        sections: [
          {
            heading: 'x',
            items: [
              { ...chart, name: 'a' },
              { ...chart, name: 'a' },
            ],
          },
        ],
      }),
      /two report charts are named "a"/,
    );
    await assert.rejects(readdir(join(root, 'bad')), { code: 'ENOENT' });
  });
});

describe('tables', () => {
  it('CSV: titles as header, numbers in full, empty for null, quotes where needed', () => {
    assert.equal(
      tableToCsv(table),
      'name,"value, rounded",share\nplain,1234.5678,0.5\n"with ""quotes"", comma",,0.12345\n',
    );
  });

  it('HTML cells: separators, fixed or needed decimals, percentages, a dash for null', () => {
    assert.equal(formatCell(1234567, { key: 'n', title: 'n' }), '1,234,567');
    assert.equal(formatCell(0.123456789, { key: 'n', title: 'n' }), '0.1235');
    assert.equal(formatCell(2, { key: 'n', title: 'n', decimals: 2 }), '2.00');
    assert.equal(formatCell(0.8766, { key: 'n', title: 'n', percent: true, decimals: 1 }), '87.7%');
    assert.equal(formatCell(null, { key: 'n', title: 'n' }), '–');
    assert.equal(formatCell('text', { key: 'n', title: 'n', decimals: 2 }), 'text');
  });
});
