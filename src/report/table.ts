/** Tables of a report: typed columns, rows of plain values, written as CSV and shown as HTML. */
import { toCsv } from '../util/csv.js';

export type Cell = string | number | null;

export interface TableColumn {
  /** The row property this column shows. */
  readonly key: string;
  readonly title: string;
  /** Numbers: digits after the decimal point in the HTML table (the CSV keeps every digit). Default: as needed, at most 4. */
  readonly decimals?: number;
  /** Numbers: shown as a percentage (0.8765 → 87.65%, with `decimals` digits). */
  readonly percent?: boolean;
}

export interface Table {
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

/** The table as CSV: a header row of column titles, then the rows, numbers at full precision, `null` empty. */
export function tableToCsv(table: Table): string {
  return toCsv([
    table.columns.map((c) => c.title),
    ...table.rows.map((row) => table.columns.map((c) => row[c.key] ?? null)),
  ]);
}

/** A cell as the HTML table shows it: numbers with thousands separators and the column's decimals. */
export function formatCell(cell: Cell, column: TableColumn): string {
  if (cell === null) return '–';
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return String(cell);
  const value = column.percent ? cell * 100 : cell;
  const text = value.toLocaleString('en-US', {
    minimumFractionDigits: column.decimals ?? 0,
    maximumFractionDigits: column.decimals ?? 4,
  });
  return column.percent ? `${text}%` : text;
}
