// Arrears by house with aging buckets, collection rate per estate and per month, XLSX export,
// and reconciliation of a gateway statement against the payments Linli credited.
import { exceljs } from '../../kernel/lazy.js';
import { parse } from 'csv-parse/sync';
import type { Kernel } from '../../kernel/index.js';
import { localDate } from '../../kernel/clock.js';
import { parseYuan, formatYuan } from '../../kernel/money.js';
import { AppError } from '../../kernel/http/errors.js';
import { t, type Lang } from '../../kernel/http/i18n.js';
import { places } from '../registry/index.js';
import { daysBetween } from './billing.calc.js';
import { outstanding } from './billing.repository.js';
import { ReadsRepository } from './billing.reads.repository.js';
import { houseNames } from './billing.houses.js';

export const BUCKETS = ['0-30', '31-90', '91-180', '180+'] as const;
export type Bucket = (typeof BUCKETS)[number];

export function bucketOf(days: number): Bucket {
  if (days <= 30) return '0-30';
  if (days <= 90) return '31-90';
  if (days <= 180) return '91-180';
  return '180+';
}

export interface ArrearsRow {
  houseId: string;
  houseName: string;
  bills: number;
  totalFen: number;
  buckets: Record<Bucket, number>;
  oldestDueDate: string;
}

export async function arrears(
  k: Kernel,
  communityId: string,
  now: Date,
): Promise<{ today: string; items: ArrearsRow[]; totals: Record<Bucket, number> & { totalFen: number } }> {
  const today = localDate(now, k.config.timeZone);
  const rows = await new ReadsRepository(k.db).openBillsDueBy(communityId, today);
  const byHouse = new Map<string, ArrearsRow>();
  const totals = { '0-30': 0, '31-90': 0, '91-180': 0, '180+': 0, totalFen: 0 };
  for (const b of rows) {
    const owed = outstanding(b);
    if (owed <= 0) continue;
    const key = b.house_id ?? b.resident_id!;
    let r = byHouse.get(key);
    if (!r)
      byHouse.set(
        key,
        (r = { houseId: key, houseName: '', bills: 0, totalFen: 0, buckets: { '0-30': 0, '31-90': 0, '91-180': 0, '180+': 0 }, oldestDueDate: b.due_date! }),
      );
    const bucket = bucketOf(daysBetween(b.due_date!, today));
    r.bills++;
    r.totalFen += owed;
    r.buckets[bucket] += owed;
    totals[bucket] += owed;
    totals.totalFen += owed;
    if (b.due_date! < r.oldestDueDate) r.oldestDueDate = b.due_date!;
  }
  const names = await houseNames(k, [...byHouse.keys()]);
  const items = [...byHouse.values()].map((r) => ({ ...r, houseName: names.get(r.houseId) ?? r.houseId })).sort((a, b) => b.totalFen - a.totalFen);
  return { today, items, totals };
}

/** Billed and collected per estate and per month (bill period, or issue month for one-off charges). */
export async function collection(k: Kernel, communityId: string) {
  const rows = await new ReadsRepository(k.db).issuedAmounts(communityId);
  const estates = new Map<string, { billed: number; collected: number }>();
  const months = new Map<string, { billed: number; collected: number }>();
  for (const b of rows) {
    const due = b.amount_fen + b.adjust_fen + b.late_fee_fen;
    const est = b.place_path.split('/').find((s) => s.startsWith('est_')) ?? '-';
    const month = b.period ?? (b.issued_at ?? '').slice(0, 7);
    for (const [m, key] of [
      [estates, est],
      [months, month],
    ] as const) {
      const cur = m.get(key) ?? { billed: 0, collected: 0 };
      cur.billed += due;
      cur.collected += Math.min(b.paid_fen, due);
      m.set(key, cur);
    }
  }
  const names = await places.placeNames(
    k,
    [...estates.keys()].filter((x) => x !== '-'),
  );
  const rate = (v: { billed: number; collected: number }) => (v.billed ? Math.round((v.collected / v.billed) * 10_000) / 100 : 0);
  return {
    byEstate: [...estates]
      .map(([id, v]) => ({ estateId: id, estateName: names.get(id) ?? '-', billedFen: v.billed, collectedFen: v.collected, ratePercent: rate(v) }))
      .sort((a, b) => a.estateName.localeCompare(b.estateName)),
    byMonth: [...months]
      .map(([month, v]) => ({ month, billedFen: v.billed, collectedFen: v.collected, ratePercent: rate(v) }))
      .sort((a, b) => a.month.localeCompare(b.month)),
  };
}

export async function arrearsXlsx(k: Kernel, communityId: string, now: Date, lang: Lang): Promise<Buffer> {
  const a = await arrears(k, communityId, now);
  const wb = new (exceljs().Workbook)();
  const ws = wb.addWorksheet(t(lang, 'billing.xlsx.sheet'));
  const widths: [string, number][] = [
    ['house', 28],
    ['bills', 8],
    ['owed', 14],
    ['b0_30', 12],
    ['b31_90', 12],
    ['b91_180', 12],
    ['b180', 12],
    ['oldest', 14],
  ];
  ws.columns = widths.map(([code, width]) => ({ header: t(lang, `billing.xlsx.${code}`), width }));
  ws.getRow(1).font = { bold: true };
  for (const r of a.items) ws.addRow([r.houseName, r.bills, formatYuan(r.totalFen), ...BUCKETS.map((b) => formatYuan(r.buckets[b])), r.oldestDueDate]);
  ws.addRow([t(lang, 'billing.xlsx.total'), '', formatYuan(a.totals.totalFen), ...BUCKETS.map((b) => formatYuan(a.totals[b])), '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Compare a gateway statement (CSV with out_trade_no, trade_no, total_amount; the real
 * gateway's bill download has these columns) with the gateway payments credited here.
 */
export async function reconcile(k: Kernel, communityId: string, csv: string) {
  let records: Record<string, string>[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    throw new AppError(422, 'billing.bad_file', { message: (e as Error).message });
  }
  if (records.length && !('out_trade_no' in records[0] && 'total_amount' in records[0]))
    throw new AppError(422, 'billing.bad_file', { message: 'out_trade_no, total_amount' });
  const q = new ReadsRepository(k.db);
  const ours = await q.creditedGatewayPayments(communityId);
  const byNo = new Map(ours.map((p) => [p.out_trade_no, p]));
  const seen = new Set<string>();
  const missing: { outTradeNo: string; tradeNo: string | null; amountFen: number }[] = []; // in the statement, not credited here
  const mismatched: { outTradeNo: string; statementFen: number; oursFen: number }[] = [];
  let matched = 0;
  for (const r of records) {
    const no = r.out_trade_no;
    let fen: number;
    try {
      fen = parseYuan(r.total_amount);
    } catch {
      throw new AppError(422, 'billing.bad_file', { message: `total_amount "${r.total_amount}"` });
    }
    seen.add(no);
    const p = byNo.get(no);
    if (!p) {
      // another community's payment is not this community's business
      if (!(await q.orderExists(no))) missing.push({ outTradeNo: no, tradeNo: r.trade_no ?? null, amountFen: fen });
    } else if (p.amount_fen !== fen) mismatched.push({ outTradeNo: no, statementFen: fen, oursFen: p.amount_fen });
    else matched++;
  }
  const extra = ours.filter((p) => !seen.has(p.out_trade_no)).map((p) => ({ outTradeNo: p.out_trade_no, paymentId: p.id, amountFen: p.amount_fen })); // credited here, not in the statement
  return { rows: records.length, matched, missing, extra, mismatched };
}
