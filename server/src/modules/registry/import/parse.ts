// Read an uploaded spreadsheet into headers and rows of trimmed strings.
// XLSX through exceljs (first worksheet), CSV through csv-parse after guessing the encoding:
// UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise GB18030 (a superset of
// GBK, what Excel on a Chinese Windows writes as "CSV").
import type ExcelJS from 'exceljs';
import { exceljs, iconvLite } from '../../../kernel/lazy.js';
import { parse as parseCsvText } from 'csv-parse/sync';

import { AppError } from '../../../kernel/http/errors.js';
import { sniff } from '../../../kernel/files/index.js';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_DATA_ROWS = 100_000;

export interface SheetRow {
  /** Row number as the spreadsheet shows it (header row = 1 in a plain file). */
  n: number;
  cells: string[];
}

export interface Sheet {
  headers: string[];
  rows: SheetRow[];
  encoding: 'xlsx' | 'utf-8' | 'gb18030';
}

export const formatMb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
const unreadable = () => new AppError(422, 'import.unreadable');

/** A number as plain digits (no exponent, no grouping). */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 10 });
}

const isoDate = (d: Date) => (Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10));

/** An exceljs cell value as a trimmed string. */
export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v == null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return isoDate(v);
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return (o.richText as { text: string }[])
        .map((x) => x.text)
        .join('')
        .trim();
    if ('result' in o || 'formula' in o || 'sharedFormula' in o) return o.result === undefined ? '' : cellText(o.result as ExcelJS.CellValue);
    if ('text' in o) return cellText(o.text as ExcelJS.CellValue); // hyperlink
    if ('error' in o) return '';
  }
  return String(v).trim();
}

/** First non-empty row = headers; blank headers are named by position; duplicates get a suffix. */
function finish(raw: SheetRow[], encoding: Sheet['encoding']): Sheet {
  const nonEmpty = raw.filter((r) => r.cells.some((c) => c !== ''));
  if (!nonEmpty.length) throw new AppError(422, 'import.empty');
  const [head, ...rows] = nonEmpty;
  if (rows.length > MAX_DATA_ROWS) throw new AppError(413, 'import.too_many_rows', { limit: MAX_DATA_ROWS, rows: rows.length });
  if (!rows.length) throw new AppError(422, 'import.empty');
  const width = Math.max(head.cells.length, ...rows.slice(0, 1000).map((r) => r.cells.length));
  const seen = new Map<string, number>();
  const headers: string[] = [];
  for (let i = 0; i < width; i++) {
    let h = (head.cells[i] ?? '').replace(/\s+/g, ' ').trim() || `列${i + 1}`;
    const k = seen.get(h) ?? 0;
    seen.set(h, k + 1);
    if (k) h = `${h} (${k + 1})`;
    headers.push(h);
  }
  return { headers, rows, encoding };
}

export async function parseXlsx(data: Buffer): Promise<Sheet> {
  const wb = new (exceljs().Workbook)();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw unreadable();
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError(422, 'import.empty');
  const raw: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    // row.values is 1-based with a hole at 0
    const values = row.values as ExcelJS.CellValue[];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
    raw.push({ n: row.number, cells });
  });
  return finish(raw, 'xlsx');
}

/** Decode CSV bytes: UTF-8 if they are valid UTF-8 (BOM dropped), else GB18030/GBK. */
export function decodeText(data: Buffer): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    return { text: iconvLite().decode(data, 'gb18030'), encoding: 'gb18030' };
  }
}

/** Comma, semicolon or tab: whichever occurs most in the first line (outside quotes, roughly). */
function guessDelimiter(text: string): string {
  const line = text.slice(0, Math.max(0, text.indexOf('\n')) || Math.min(text.length, 4096)).replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, line.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

export function parseCsv(data: Buffer): Sheet {
  const { text, encoding } = decodeText(data);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsvText(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
    }) as never;
  } catch {
    throw unreadable();
  }
  // the line where the record ends = the row Excel shows for a one-line record
  const raw = records.map((r) => ({ n: r.info.lines, cells: r.record.map((c) => String(c ?? '').trim()) }));
  return finish(raw, encoding);
}

/** Size check, then parse by content (never by file name). */
export async function readSheet(data: Buffer, name: string): Promise<Sheet> {
  if (data.length > MAX_FILE_BYTES) throw new AppError(413, 'files.too_large', { limit: formatMb(MAX_FILE_BYTES) });
  if (data.length === 0) throw new AppError(422, 'import.empty');
  const t = sniff(data, name);
  if (!t) throw new AppError(415, 'files.bad_type');
  if (t.kind === 'xlsx') return parseXlsx(data);
  if (t.kind === 'csv' || t.kind === 'text') return parseCsv(data);
  throw new AppError(415, 'files.bad_type');
}
