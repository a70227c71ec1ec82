import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { importLimits } from '@crewdeck/shared/imports';
import { ValidationError } from '../http/errors.ts';

export interface ParsedTable {
  format: 'csv' | 'xlsx';
  headers: string[];
  /** Data rows (after the header), each cut or padded to the header's width. */
  rows: string[][];
}

const MAX_CELL = 2000;

/** XLSX files are zip archives: `PK\x03\x04`. The extension and the declared type are not trusted. */
const isZip = (bytes: Buffer) => bytes.length > 4 && bytes.readUInt32LE(0) === 0x04034b50;

/**
 * CSV from Excel in Russia is often Windows-1251: bytes that are not valid UTF-8 are read as
 * that instead of turning into U+FFFD.
 */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

/** The delimiter Excel used: `;` in locales with a decimal comma, `,` or tab elsewhere. */
function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [';', ',', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][0];
}

// The text policy refuses control characters in one-line fields: drop them here, once, so a
// stray character from a spreadsheet does not fail a whole row.
// eslint-disable-next-line no-control-regex -- removes the control characters the text policy refuses
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const cleanCell = (value: string) => value.replace(CONTROL, '').toWellFormed().trim().slice(0, MAX_CELL);

function table(format: ParsedTable['format'], records: string[][]): ParsedTable {
  const nonEmpty = records.filter((r) => r.some((cell) => cell.trim() !== ''));
  const [head, ...rows] = nonEmpty;
  if (!head) throw new ValidationError({ file: 'The file has no header row' });
  if (head.length > importLimits.maxColumns)
    throw new ValidationError({ file: `At most ${importLimits.maxColumns} columns` });
  if (rows.length > importLimits.maxRows) throw new ValidationError({ file: `At most ${importLimits.maxRows} rows` });
  const headers = head.map(cleanCell);
  const width = headers.length;
  const fit = (row: string[]) => Array.from({ length: width }, (_, i) => cleanCell(row[i] ?? ''));
  return { format, headers, rows: rows.map(fit) };
}

function parseCsv(bytes: Buffer): ParsedTable {
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  try {
    const records = parse(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 1_000_000,
    }) as string[][];
    return table('csv', records);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError({ file: `Not a readable CSV file: ${error instanceof Error ? error.message : ''}` });
  }
}

async function parseXlsx(bytes: Buffer): Promise<ParsedTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError({ file: 'Not a readable XLSX file' });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ValidationError({ file: 'The workbook has no sheet' });
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cell.text ?? '';
    });
    records.push(Array.from(cells, (c) => c ?? ''));
  });
  return table('xlsx', records);
}

/** Reads the first sheet of an XLSX file or a CSV file (delimiter and encoding guessed) into a table. */
export async function parseTable(bytes: Buffer): Promise<ParsedTable> {
  return isZip(bytes) ? parseXlsx(bytes) : parseCsv(bytes);
}
