/**
 * A report's `index.html`: one page, no script, no server, that shows every chart (the SVG files beside it,
 * referenced relatively, so the page opens from a file manager or an archive) and every table, with links
 * to the PNG, SVG, Vega-Lite and CSV files.
 */
import { formatCell, type Table } from './table.js';

export interface PageChart {
  readonly kind: 'chart';
  readonly name: string;
  /** Alternative text of the image. */
  readonly title: string;
  readonly caption?: string;
  /** Size of the SVG in CSS pixels. */
  readonly width: number;
  readonly height: number;
}

export interface PageTable {
  readonly kind: 'table';
  readonly name: string;
  readonly title: string;
  readonly caption?: string;
  readonly table: Table;
}

export interface PageSection {
  readonly heading: string;
  readonly text?: string;
  readonly items: readonly (PageChart | PageTable)[];
}

export interface Page {
  readonly title: string;
  readonly command?: string;
  readonly created: Date;
  readonly sections: readonly PageSection[];
}

const STYLE = `
  :root { color-scheme: light; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
    background: #fafafa; margin: 0; }
  main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
  h1 { font-size: 26px; margin: 0 0 4px; }
  h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
  h3 { font-size: 16px; margin: 20px 0 6px; }
  .meta { color: #555; margin: 0 0 12px; }
  code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #eee; padding: 1px 4px;
    border-radius: 3px; overflow-wrap: anywhere; }
  nav ul { margin: 0; padding-left: 20px; }
  figure { display: inline-block; vertical-align: top; margin: 12px 20px 12px 0; padding: 8px;
    background: white; border: 1px solid #e2e2e2; border-radius: 4px; max-width: 100%; box-sizing: border-box; }
  figure img { display: block; max-width: 100%; height: auto; }
  figcaption, .caption { color: #555; font-size: 13px; margin-top: 6px; max-width: 640px; }
  a { color: #1f5fa8; }
  .table { margin: 12px 0 20px; max-width: 100%; overflow-x: auto; }
  table { border-collapse: collapse; background: white; font-variant-numeric: tabular-nums; }
  th, td { padding: 4px 12px; border-bottom: 1px solid #e6e6e6; text-align: left; }
  th { background: #f0f0f0; font-weight: 600; }
  td.number, th.number { text-align: right; }
  footer { color: #888; font-size: 12px; margin-top: 40px; }
`;

/** The page's HTML. Every text from the report is escaped; nothing in it runs. */
export function reportPage(page: Page): string {
  const sections = page.sections.map((section, i) => sectionHtml(section, `section-${i + 1}`)).join('\n');
  const contents =
    page.sections.length > 1
      ? `<nav><ul>${page.sections
          .map((s, i) => `<li><a href="#section-${i + 1}">${escapeHtml(s.heading)}</a></li>`)
          .join('')}</ul></nav>`
      : '';
  const written = `Written ${escapeHtml(formatDate(page.created))}${
    page.command ? ` by <code>${escapeHtml(page.command)}</code>` : ''
  }.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p class="meta">${written}</p>
${contents}
${sections}
<footer>Charts drawn with Vega-Lite; each is also here as PNG and as its Vega-Lite specification.</footer>
</main>
</body>
</html>
`;
}

function sectionHtml(section: PageSection, id: string): string {
  const parts = [`<section id="${id}">`, `<h2>${escapeHtml(section.heading)}</h2>`];
  if (section.text) parts.push(`<p>${escapeHtml(section.text)}</p>`);
  for (const item of section.items) parts.push(item.kind === 'chart' ? chartHtml(item) : tableHtml(item));
  parts.push('</section>');
  return parts.join('\n');
}

function chartHtml(chart: PageChart): string {
  const name = escapeHtml(chart.name);
  const links = [
    `<a href="${name}.png">PNG</a>`,
    `<a href="${name}.svg">SVG</a>`,
    `<a href="${name}.vl.json">Vega-Lite</a>`,
  ];
  const caption = chart.caption ? `${escapeHtml(chart.caption)} ` : '';
  return (
    `<figure><img src="${name}.svg" alt="${escapeHtml(chart.title)}" width="${Math.round(chart.width)}" ` +
    `height="${Math.round(chart.height)}"><figcaption>${caption}${links.join(' · ')}</figcaption></figure>`
  );
}

function tableHtml(item: PageTable): string {
  const numeric = item.table.columns.map((c) => item.table.rows.some((r) => typeof r[c.key] === 'number'));
  const cls = (i: number) => (numeric[i] ? ' class="number"' : '');
  const head = item.table.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c.title)}</th>`).join('');
  const body = item.table.rows
    .map(
      (row) =>
        `<tr>${item.table.columns
          .map((c, i) => `<td${cls(i)}>${escapeHtml(formatCell(row[c.key] ?? null, c))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const caption = item.caption ? `${escapeHtml(item.caption)} ` : '';
  return (
    `<div class="table"><h3>${escapeHtml(item.title)}</h3>\n<table><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>\n` +
    `<p class="caption">${caption}<a href="${escapeHtml(item.name)}.csv">CSV</a></p></div>`
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "2026-11-29 04:45 UTC": the same on every machine, whatever its time zone. */
function formatDate(date: Date): string {
  return `on ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
