// The access log: search (residents their own entries, staff their scope), audited XLSX export,
// and retention.
import { exceljs } from '../../kernel/lazy.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { t as tr, type Lang } from '../../kernel/http/i18n.js';
import { AccessLogRepository, type LogFilter, type LogRow } from './access.log.repository.js';
import { logSettled } from './access.logthread.js';
import type { Static } from '@sinclair/typebox';
import type { LogEntryOut, LogPage, LogQuery } from './access.schema.js';

export const EXPORT_MAX_ROWS = 100_000;
/** Default retention of the decision log (days); LINLI_ACCESS_LOG_DAYS overrides. */
export const DEFAULT_RETENTION_DAYS = 180;

export function retentionDays(): number {
  const v = Number(process.env.LINLI_ACCESS_LOG_DAYS);
  return Number.isInteger(v) && v >= 1 ? v : DEFAULT_RETENTION_DAYS;
}

export const logView = (l: LogRow, lang: Lang = 'zh-CN'): Static<typeof LogEntryOut> => ({
  id: l.id,
  eventId: l.event_id,
  at: l.at,
  doorId: l.point_id,
  doorName: l.point_name,
  credentialType: l.credential_type,
  credentialId: l.credential_id,
  residentId: l.resident_id,
  visitorPassId: l.visitor_pass_id,
  holderName: l.holder_name,
  direction: l.direction,
  result: l.result,
  reason: l.reason,
  reasonText: tr(lang, `access.reason.${l.reason}`),
  openSeconds: l.open_seconds,
  offline: !!l.offline,
});

export class AccessLogService {
  readonly repo: AccessLogRepository;
  constructor(readonly k: Kernel) {
    this.repo = new AccessLogRepository(k.db, logSettled(k));
  }

  private filter(actor: Actor, action: 'read' | 'export', q: Partial<LogQuery>): LogFilter {
    const reach = this.k.authz.reach(actor, action, 'AccessLog');
    const f: LogFilter = { reach, pointId: q.pointId, visitorPassId: q.visitorPassId, result: q.result, residentId: q.residentId };
    if (q.from) f.from = new Date(q.from).toISOString();
    if (q.until) f.until = new Date(q.until).toISOString();
    // a resident (no place scope) sees only entries about themselves, whatever they ask for
    if (!reach.all && !reach.prefixes.length)
      f.residentId = reach.residentId && (!q.residentId || q.residentId === reach.residentId) ? reach.residentId : '__none__';
    return f;
  }

  async list(actor: Actor, q: LogQuery, lang: Lang): Promise<Static<typeof LogPage>> {
    const { items, total } = await this.repo.list(this.filter(actor, 'read', q), q.pageSize, (q.page - 1) * q.pageSize);
    return { items: items.map((l) => logView(l, lang)), total, page: q.page, pageSize: q.pageSize };
  }

  async export(actor: Actor, q: Partial<LogQuery>, ip: string, lang: Lang): Promise<Buffer> {
    const f = this.filter(actor, 'export', q);
    const wb = new (exceljs().Workbook)();
    const ws = wb.addWorksheet(tr(lang, 'access.export.sheet'));
    const widths: [string, number][] = [
      ['time', 24],
      ['door', 20],
      ['person', 12],
      ['credential', 10],
      ['direction', 8],
      ['result', 8],
      ['reason', 20],
      ['offline', 8],
    ];
    ws.columns = widths.map(([col, width]) => ({ header: tr(lang, `access.export.${col}`), width }));
    ws.getRow(1).font = { bold: true };
    let count = 0;
    for await (const batch of this.repo.stream(f)) {
      for (const l of batch) {
        if (++count > EXPORT_MAX_ROWS) throw new AppError(413, 'access.export_too_large', { limit: EXPORT_MAX_ROWS });
        ws.addRow([
          l.at,
          l.point_name,
          l.holder_name ?? '',
          l.credential_type,
          l.direction,
          l.result,
          tr(lang, `access.reason.${l.reason}`),
          l.offline ? 'Y' : '',
        ]);
      }
    }
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'access.log.export',
      targetType: 'access_log',
      targetId: null,
      ip,
      detail: { filter: { ...q }, rows: count },
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  async purge(now: Date) {
    const before = new Date(now.getTime() - retentionDays() * 86_400_000).toISOString();
    const r = await this.repo.purge(before);
    return Number(r.numDeletedRows ?? 0);
  }
}
