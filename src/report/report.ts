/**
 * A report: sections of charts and tables, written as one directory — `NAME.svg`, `NAME.png` and
 * `NAME.vl.json` for each chart, `NAME.csv` for each table, and an `index.html` that shows them all.
 */
import { writeDirectoryAtomically, type FileContents } from '../persist/atomic-dir.js';
import { MANIFEST_FILE } from '../persist/manifest.js';
import { outputMarker } from '../persist/output-dir.js';
import { reportPage, type PageChart, type PageSection, type PageTable } from './html.js';
import { fontsAvailable, renderChart, type RenderOptions } from './render.js';
import { tableToCsv, type Table } from './table.js';
import type { ChartSpec } from './theme.js';

export interface ChartItem {
  readonly kind: 'chart';
  /** File name without extension: lower-case letters, digits and dashes. */
  readonly name: string;
  readonly spec: ChartSpec;
  /** A sentence under the chart: what to look for in it. */
  readonly caption?: string;
}

export interface TableItem {
  readonly kind: 'table';
  readonly name: string;
  readonly title: string;
  readonly table: Table;
  readonly caption?: string;
}

export type ReportItem = ChartItem | TableItem;

export interface ReportSection {
  readonly heading: string;
  /** A paragraph under the heading. */
  readonly text?: string;
  readonly items: readonly ReportItem[];
}

export interface Report {
  readonly title: string;
  /** The command line that made the report, shown at the top of the page. */
  readonly command?: string;
  /** Default: now. */
  readonly created?: Date;
  readonly sections: readonly ReportSection[];
}

export interface WrittenReport {
  readonly dir: string;
  /** Names of the files written, `index.html` first. */
  readonly files: readonly string[];
  /** What a reader should know: charts Vega warned about, PNGs drawn without a font. */
  readonly warnings: readonly string[];
}

export const REPORT_INDEX = 'index.html';

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Renders every chart and writes the report directory atomically (a temp directory beside `dir`, then a
 * rename). A report is rewritten whole each time, but only over an earlier report (or nothing, or an
 * empty directory; anything else needs the command's --overwrite: see output-dir.ts). Its
 * `polarity.json` marks it as a report and lists its files.
 */
export async function writeReport(
  dir: string,
  report: Report,
  options: RenderOptions = {},
): Promise<WrittenReport> {
  checkNames(report);
  const files: Record<string, FileContents> = {};
  const warnings: string[] = [];
  const sections: PageSection[] = [];
  for (const section of report.sections) {
    const items: (PageChart | PageTable)[] = [];
    for (const item of section.items) {
      if (item.kind === 'table') {
        files[`${item.name}.csv`] = tableToCsv(item.table);
        items.push(item);
        continue;
      }
      const chart = await renderChart(item.spec, options);
      files[`${item.name}.svg`] = chart.svg;
      files[`${item.name}.png`] = chart.png;
      files[`${item.name}.vl.json`] = JSON.stringify(item.spec, null, 2) + '\n';
      warnings.push(...chart.warnings.map((w) => `${item.name}: ${w}`));
      const scale = options.pngScale ?? 2;
      items.push({
        kind: 'chart',
        name: item.name,
        title: chartTitle(item.spec) ?? item.name,
        caption: item.caption,
        width: chart.width / scale,
        height: chart.height / scale,
      });
    }
    sections.push({ heading: section.heading, text: section.text, items });
  }
  if (Object.keys(files).some((f) => f.endsWith('.png')) && !fontsAvailable(options)) {
    warnings.push(
      'no font found to draw text with: the PNG charts have no text (the SVGs and index.html are fine); ' +
        'install one, e.g. the fonts-dejavu-core package on Debian or Ubuntu',
    );
  }
  const page = reportPage({
    title: report.title,
    command: report.command,
    created: report.created ?? new Date(),
    sections,
  });
  const names = [REPORT_INDEX, ...Object.keys(files)];
  await writeDirectoryAtomically(
    dir,
    { [REPORT_INDEX]: page, ...files, [MANIFEST_FILE]: outputMarker('report', names) },
    'report',
  );
  return { dir, files: [...names, MANIFEST_FILE], warnings };
}

function checkNames(report: Report): void {
  // A chart and a table may share a name (their files differ: .svg/.png/.vl.json and .csv).
  const seen = new Set<string>();
  for (const item of report.sections.flatMap((s) => s.items)) {
    if (!NAME.test(item.name)) {
      throw new RangeError(`report item name "${item.name}" must be lower-case letters, digits and dashes`);
    }
    const key = `${item.kind} ${item.name}`;
    if (seen.has(key)) throw new RangeError(`two report ${item.kind}s are named "${item.name}"`);
    seen.add(key);
  }
}

function chartTitle(spec: ChartSpec): string | undefined {
  const title = spec.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && 'text' in title) {
    return Array.isArray(title.text) ? title.text.join(' ') : String(title.text);
  }
  return undefined;
}
