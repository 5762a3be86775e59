// Export resident lists to XLSX. Masked unless the user may reveal and asks to (with a reason);
// every export is audited.
import { exceljs } from '../../kernel/lazy.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, invalid } from '../../kernel/http/errors.js';
import { registerMessages, t, type Messages } from '../../kernel/http/i18n.js';
import { maskIdNumber, maskPhone } from '../../kernel/vault/index.js';
import { codeList, ageOn } from './standard/codes.js';
import type { ResidentsService, ListParams } from './residents.service.js';

const MAX_ROWS = 200_000;

/** Column headers and values of the residents spreadsheet (zh-CN, en). */
export const exportMessages: Messages = {
  'registry.export.sheet': { zh: '居民', en: 'Residents' },
  'registry.export.name': { zh: '姓名', en: 'Name' },
  'registry.export.id_type': { zh: '证件类型', en: 'ID type' },
  'registry.export.id_number': { zh: '证件号码', en: 'ID number' },
  'registry.export.gender': { zh: '性别', en: 'Gender' },
  'registry.export.birth_date': { zh: '出生日期', en: 'Birth date' },
  'registry.export.age': { zh: '年龄', en: 'Age' },
  'registry.export.ethnicity': { zh: '民族', en: 'Ethnicity' },
  'registry.export.phone': { zh: '手机号', en: 'Phone' },
  'registry.export.house': { zh: '房屋', en: 'House' },
  'registry.export.tags': { zh: '标签', en: 'Tags' },
  'registry.export.status': { zh: '状态', en: 'Status' },
  'registry.export.active': { zh: '在住', en: 'Active' },
  'registry.export.moved_out': { zh: '已迁出', en: 'Moved out' },
};
registerMessages(exportMessages);

export async function exportResidents(
  k: Kernel,
  svc: ResidentsService,
  actor: Actor,
  p: ListParams & { reveal?: boolean; reason?: string },
  ip: string,
  lang: string,
): Promise<Buffer> {
  const reveal = !!p.reveal;
  if (reveal) {
    if (!p.reason?.trim()) throw invalid([{ field: 'reason', code: 'registry.reason_required' }]);
    if (!k.authz.canSomewhere(actor, 'reveal', 'Resident')) throw new AppError(403, 'auth.forbidden');
  }
  // Plain values only where the actor may reveal; the rest of the scope stays masked.
  const f = await svc.filterFor(actor, 'export', p);
  const en = lang === 'en';
  const L = en ? 'en' : 'zh-CN';
  const label = (list: string, code: string | null) => {
    if (!code) return '';
    const c = (codeList(list) ?? []).find((x) => x.code === code);
    return c ? (en ? c.en : c.zh) : code;
  };
  const wb = new (exceljs().Workbook)();
  const ws = wb.addWorksheet(t(L, 'registry.export.sheet'));
  ws.columns = [
    { header: t(L, 'registry.export.name'), width: 12 },
    { header: t(L, 'registry.export.id_type'), width: 14 },
    { header: t(L, 'registry.export.id_number'), width: 22 },
    { header: t(L, 'registry.export.gender'), width: 8 },
    { header: t(L, 'registry.export.birth_date'), width: 12 },
    { header: t(L, 'registry.export.age'), width: 6 },
    { header: t(L, 'registry.export.ethnicity'), width: 10 },
    { header: t(L, 'registry.export.phone'), width: 14 },
    { header: t(L, 'registry.export.house'), width: 28 },
    { header: t(L, 'registry.export.tags'), width: 20 },
    { header: t(L, 'registry.export.status'), width: 8 },
  ];
  ws.getRow(1).font = { bold: true };
  let count = 0;
  const today = svc.today();
  for await (const batch of svc.residents.stream(f)) {
    const views = await svc.views(batch);
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i];
      const v = views[i];
      const plain = reveal && k.authz.can(actor, 'reveal', 'Resident', { placePath: r.place_path, residentId: r.id });
      const idNumber = k.vault.decrypt(r.id_number_enc);
      const phone = k.vault.decryptNullable(r.phone_enc);
      ws.addRow([
        r.name,
        label('idTypes', r.id_type),
        plain ? idNumber : maskIdNumber(idNumber),
        label('genders', r.gender),
        r.birth_date ?? '',
        r.birth_date ? ageOn(r.birth_date, today) : '',
        label('ethnicities', r.ethnicity),
        phone ? (plain ? phone : maskPhone(phone)) : '',
        v.houses.map((h) => h.houseLabel).join('; '),
        v.tags.map((t) => label('residentTags', t)).join('、'),
        r.status === 'active' ? t(L, 'registry.export.active') : t(L, 'registry.export.moved_out'),
      ]);
      if (++count > MAX_ROWS) throw new AppError(413, 'registry.export_too_large', { limit: MAX_ROWS });
    }
  }
  await k.audit.record({
    actorId: actor.userId,
    actorName: actor.name,
    action: 'registry.resident.export',
    targetType: 'resident_list',
    targetId: null,
    ip,
    scopePath: f.placePath ?? (f.reach.all ? '/' : (f.reach.prefixes[0] ?? null)),
    detail: {
      rows: count,
      revealed: reveal,
      reason: p.reason ?? null,
      filters: { ...p, reveal: undefined, reason: undefined, phone: p.phone ? '***' : undefined, idNumber: p.idNumber ? '***' : undefined },
    },
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
