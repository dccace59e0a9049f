import { join } from 'node:path';
import type { Command } from 'commander';
import type { Report } from '../report/report.js';

export const REPORT_HELP =
  'also write a report into DIR: charts (SVG and PNG), tables (CSV) and an index.html showing them (an earlier report in DIR is replaced; anything else needs --overwrite)';

/**
 * The command line as the user gave it, options in their parsed form ("polarity stats --data x --report r"),
 * for the top of a report. Built from what commander parsed, so it needs no access to process.argv.
 */
export function commandLine(command: Command): string {
  const parts = ['polarity', command.name()];
  const done = new Set<string>();
  for (const option of command.options) {
    const key = option.attributeName();
    if (done.has(key) || command.getOptionValueSource(key) !== 'cli') continue;
    done.add(key);
    const value: unknown = command.getOptionValue(key);
    if (typeof value === 'boolean') {
      const flag = command.options.find((o) => o.attributeName() === key && o.negate === !value) ?? option;
      parts.push(flag.long ?? flag.flags);
    } else {
      parts.push(option.long ?? option.flags, Array.isArray(value) ? value.join(',') : String(value));
    }
  }
  return parts.map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes the report and tells the user, on stderr, where to look and what went wrong. The renderer
 * (Vega, Vega-Lite, resvg: about a third of a second to load) is imported only here, so that commands
 * run without --report do not pay for it.
 */
export async function writeReportForCli(dir: string, report: Report): Promise<void> {
  const { REPORT_INDEX, writeReport } = await import('../report/report.js');
  const written = await writeReport(dir, report);
  for (const warning of written.warnings) process.stderr.write(`warning: ${warning}\n`);
  const charts = written.files.filter((f) => f.endsWith('.svg')).length;
  const tables = written.files.filter((f) => f.endsWith('.csv')).length;
  process.stderr.write(
    `wrote report to ${dir}: ${count(charts, 'chart')} (SVG, PNG), ${count(tables, 'table')} (CSV); ` +
      `open ${join(dir, REPORT_INDEX)}\n`,
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
