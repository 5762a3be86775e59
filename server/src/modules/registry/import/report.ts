// The rejected-rows report of an import: the original columns, then 行号 (the row number the
// sheet shows) and 原因, so the rows can be found and fixed in the source file. ID numbers and
// phones are masked (`110***********123X`, `138****5678`) like everywhere staff see them: the
// report is a file that gets downloaded, mailed and kept, and the clear values are in the source
// file and the register already. The columns mapped to the ID number and phone fields are masked
// whole; in every other cell anything shaped like an ID number (18 or 15 digits) or a mobile
// number (11 digits from 13–19) is masked too, so a number typed into the wrong column is not
// let through. A masked value fails validation, so a report uploaded back as it is imports nothing.
import { exceljs } from '../../../kernel/lazy.js';
import { t } from '../../../kernel/http/i18n.js';
import { maskIdNumber, maskPhone } from '../../../kernel/vault/index.js';
import type { Rejected } from './import.rows.js';

const ID_18 = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const ID_15 = /(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;

/** A cell of no personal-data column, with embedded ID numbers and mobiles masked. */
export function maskEmbedded(v: string): string {
  return v.replace(ID_18, maskIdNumber).replace(ID_15, maskIdNumber).replace(MOBILE, maskPhone);
}

/** Column indexes to mask whole: those the mapping gave to `idNumber` and `phone`. */
export function maskedColumns(headers: string[], mapping: Record<string, string>): { id: Set<number>; phone: Set<number> } {
  const idx = (field: string) => new Set(mapping[field] ? [headers.indexOf(mapping[field])].filter((i) => i >= 0) : []);
  return { id: idx('idNumber'), phone: idx('phone') };
}

export function maskRow(cells: string[], cols: { id: Set<number>; phone: Set<number> }): string[] {
  return cells.map((c, i) => {
    const v = c ?? '';
    if (!v) return v;
    if (cols.id.has(i)) return maskIdNumber(v.trim());
    if (cols.phone.has(i)) return maskPhone(v.trim());
    return maskEmbedded(v);
  });
}

/** Rejected rows as a workbook, personal data masked (see above). */
export async function buildReport(headers: string[], rejected: Rejected[], mapping: Record<string, string>): Promise<Buffer> {
  const cols = maskedColumns(headers, mapping);
  const wb = new (exceljs().Workbook)();
  const ws = wb.addWorksheet(t('zh-CN', 'import.report_title'));
  ws.addRow([...headers, t('zh-CN', 'import.col_row'), t('zh-CN', 'import.col_reason')]).font = { bold: true };
  for (const r of rejected)
    ws.addRow([
      ...maskRow(
        headers.map((_, i) => r.row.cells[i] ?? ''),
        cols,
      ),
      r.row.n,
      maskEmbedded(r.reason),
    ]);
  ws.columns.forEach((c, i) => (c.width = i === headers.length + 1 ? 60 : 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
