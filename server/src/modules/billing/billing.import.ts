// Meter readings from a spreadsheet (XLSX): one row per house and meter. Columns, by header:
// 房屋/house (house id or full name "花家地西里 1号楼 1单元 101"), 收费项目/item (fee item code),
// 账期/period (YYYY-MM), 读数/reading. Each row goes through the same checks as a typed reading.
import type ExcelJS from 'exceljs';
import { exceljs } from '../../kernel/lazy.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { t, type Lang } from '../../kernel/http/i18n.js';
import { billingHouses } from '../registry/index.js';
import { isPeriod } from './billing.calc.js';
import { Fees } from './billing.fees.js';
import { ReadsRepository } from './billing.reads.repository.js';
import { houseNames } from './billing.houses.js';

const HEADERS: Record<string, string[]> = {
  house: ['房屋', 'house', '房屋编号', 'houseid'],
  item: ['收费项目', 'item', 'feeitem', '项目编码'],
  period: ['账期', 'period', '月份'],
  reading: ['读数', 'reading', '本期读数'],
};

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (v instanceof Date) return v.toISOString().slice(0, 7);
  return String(v).trim();
};

export async function importReadings(k: Kernel, actor: Actor, communityId: string, data: Buffer, lang: Lang) {
  const fees = new Fees(k);
  await fees.community(actor, communityId, 'create', 'MeterReading');
  const wb = new (exceljs().Workbook)();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (e) {
    throw new AppError(422, 'billing.bad_file', { message: (e as Error).message });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError(422, 'billing.bad_file', { message: 'no sheet' });
  const col: Record<string, number> = {};
  ws.getRow(1).eachCell((c, i) => {
    const h = cellText(c.value).toLowerCase().replace(/\s/g, '');
    for (const [key, names] of Object.entries(HEADERS)) if (names.includes(h)) col[key] = i;
  });
  const absent = Object.keys(HEADERS).filter((h) => !col[h]);
  if (absent.length) throw new AppError(422, 'billing.bad_file', { message: `missing columns: ${absent.join(', ')}` });

  const houses = await billingHouses.ofCommunity(k, communityId);
  const full = await houseNames(
    k,
    houses.map((h) => h.houseId),
  );
  const byName = new Map<string, string>();
  for (const h of houses) byName.set(h.houseId, h.houseId);
  for (const [id, name] of full) byName.set(name, id);
  const items = await new ReadsRepository(k.db).feeItemIdsByCode(communityId);

  const out = { ok: 0, flagged: 0, rejected: [] as { row: number; message: string }[] };
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const house = cellText(row.getCell(col.house).value);
    if (!house) continue;
    const houseId = byName.get(house) ?? byName.get(house.replace(/[-/]/g, ' '));
    const feeItemId = items.get(cellText(row.getCell(col.item).value));
    const period = cellText(row.getCell(col.period).value);
    const reading = Number(cellText(row.getCell(col.reading).value));
    if (!houseId) out.rejected.push({ row: r, message: t(lang, 'billing.house_unknown') });
    else if (!feeItemId) out.rejected.push({ row: r, message: t(lang, 'billing.not_a_meter_item') });
    else if (!isPeriod(period)) out.rejected.push({ row: r, message: t(lang, 'billing.bad_period') });
    else if (!Number.isFinite(reading) || reading < 0) out.rejected.push({ row: r, message: t(lang, 'validation.invalid') });
    else {
      try {
        const v = await fees.recordReading(actor, { houseId, feeItemId, period, reading }, 'import');
        if (v.status === 'flagged') out.flagged++;
        else out.ok++;
      } catch (e) {
        out.rejected.push({ row: r, message: e instanceof AppError ? t(lang, e.code, e.params) : String(e) });
      }
    }
  }
  await k.audit.record({
    actorId: actor.userId,
    actorName: actor.name,
    action: 'billing.readings.import',
    targetType: 'MeterReading',
    targetId: null,
    detail: { communityId, ok: out.ok, flagged: out.flagged, rejected: out.rejected.length },
  });
  return out;
}
