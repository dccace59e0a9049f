export type CsvCell = string | number | boolean | null | undefined;

/**
 * Rows as CSV (RFC 4180 quoting: a cell with a comma, quote or line break is quoted, quotes
 * doubled), one line per row, each ended by "\n". Null and undefined are empty cells; numbers keep
 * full precision.
 */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',') + '\n').join('');
}

function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
