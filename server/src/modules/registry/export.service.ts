// Export resident lists to XLSX. Masked unless the user may reveal and asks to (with a reason);
// every export is audited.
import { exceljs } from '../../kernel/lazy.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, invalid } from '../../kernel/http/errors.js';
import { maskIdNumber, maskPhone } from '../../kernel/vault/index.js';
import { codeList, ageOn } from './standard/codes.js';
import type { ResidentsService, ListParams } from './residents.service.js';

const MAX_ROWS = 200_000;

export async function exportResidents(k: Kernel, svc: ResidentsService, actor: Actor, p: ListParams & { reveal?: boolean; reason?: string }, ip: string, lang: string): Promise<Buffer> {
  const reveal = !!p.reveal;
  if (reveal) {
    if (!p.reason?.trim()) throw invalid([{ field: 'reason', code: 'registry.reason_required' }]);
    if (!k.authz.canSomewhere(actor, 'reveal', 'Resident')) throw new AppError(403, 'auth.forbidden');
  }
  // Plain values only where the actor may reveal; the rest of the scope stays masked.
  const f = await svc.filterFor(actor, 'export', p);
  const en = lang === 'en';
  const label = (list: string, code: string | null) => {
    if (!code) return '';
    const c = (codeList(list) ?? []).find((x) => x.code === code);
    return c ? (en ? c.en : c.zh) : code;
  };
  const wb = new (exceljs().Workbook)();
  const ws = wb.addWorksheet(en ? 'Residents' : '居民');
  ws.columns = [
    { header: en ? 'Name' : '姓名', width: 12 },
    { header: en ? 'ID type' : '证件类型', width: 14 },
    { header: en ? 'ID number' : '证件号码', width: 22 },
    { header: en ? 'Gender' : '性别', width: 8 },
    { header: en ? 'Birth date' : '出生日期', width: 12 },
    { header: en ? 'Age' : '年龄', width: 6 },
    { header: en ? 'Ethnicity' : '民族', width: 10 },
    { header: en ? 'Phone' : '手机号', width: 14 },
    { header: en ? 'House' : '房屋', width: 28 },
    { header: en ? 'Tags' : '标签', width: 20 },
    { header: en ? 'Status' : '状态', width: 8 },
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
        r.name, label('idTypes', r.id_type), plain ? idNumber : maskIdNumber(idNumber), label('genders', r.gender), r.birth_date ?? '',
        r.birth_date ? ageOn(r.birth_date, today) : '', label('ethnicities', r.ethnicity), phone ? (plain ? phone : maskPhone(phone)) : '',
        v.houses.map((h) => h.houseLabel).join('; '), v.tags.map((t) => label('residentTags', t)).join('、'), r.status === 'active' ? (en ? 'Active' : '在住') : en ? 'Moved out' : '已迁出',
      ]);
      if (++count > MAX_ROWS) throw new AppError(413, 'registry.export_too_large', { limit: MAX_ROWS });
    }
  }
  await k.audit.record({ actorId: actor.userId, actorName: actor.name, action: 'registry.resident.export', targetType: 'resident_list', targetId: null, ip, scopePath: f.placePath ?? (f.reach.all ? '/' : f.reach.prefixes[0] ?? null), detail: { rows: count, revealed: reveal, reason: p.reason ?? null, filters: { ...p, reveal: undefined, reason: undefined, phone: p.phone ? '***' : undefined, idNumber: p.idNumber ? '***' : undefined } } });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
