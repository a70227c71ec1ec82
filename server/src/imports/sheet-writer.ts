import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export type SheetFormat = 'csv' | 'xlsx';
export type Cell = string | number;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, and tab or carriage return
 * before them) gets a leading `'`, the OWASP advice against CSV injection: a client named
 * `=HYPERLINK(…)` is shown, never evaluated.
 */
export function safeCell(value: Cell): Cell {
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** CSV with a BOM, so Excel opens UTF-8 (Cyrillic, Persian) correctly. */
export function csvOf(columns: string[], rows: Cell[][]): Buffer {
  const text = stringify([columns, ...rows.map((row) => row.map(safeCell))], { record_delimiter: '\r\n' });
  return Buffer.from(`\uFEFF${text}`, 'utf8');
}

/** XLSX: cells are typed strings (never formulas), so nothing in them is evaluated. */
export async function xlsxOf(sheetName: string, columns: string[], rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31) || 'Sheet 1');
  sheet.addRow(columns).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 20;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const contentTypes: Record<SheetFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A download of a table in the asked format. */
export async function sheetFile(format: SheetFormat, name: string, columns: string[], rows: Cell[][]) {
  const buffer = format === 'csv' ? csvOf(columns, rows) : await xlsxOf(name, columns, rows);
  return { buffer, contentType: contentTypes[format], filename: `${name}.${format}` };
}
