// Reads of the kernel's audit log (table audit_log, written only by kernel/audit) for the console.
import type { Kernel } from '../../kernel/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { escapeLike, like, likeOp, startsWith } from '../../kernel/db/index.js';
import type { Schema } from '../../kernel/db/tables.js';
import type { Selectable } from 'kysely';
import type { AuditEntry, AuditQuery } from './audit.schema.js';

type AuditLogRow = Selectable<Schema['audit_log']>;

export function auditEntryView(r: AuditLogRow): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    scopePath: r.scope_path,
    ip: r.ip,
    detail: JSON.parse(r.detail) as unknown,
  };
}

/** A page of the log, newest first, within the reach (entries without a scope: only a reach over all). */
export async function auditPage(k: Kernel, reach: Reachable, f: AuditQuery) {
  let q = k.db.selectFrom('audit_log');
  if (!reach.all) q = q.where((eb) => eb.or(reach.prefixes.map((p) => startsWith('scope_path', p))));
  if (f.actor) q = q.where(like('actor_name', `%${escapeLike(f.actor)}%`, likeOp(k.database.dialect) === 'ilike'));
  if (f.action) q = q.where(startsWith('action', f.action));
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', new Date(f.from).toISOString());
  if (f.to) q = q.where('at', '<=', new Date(f.to).toISOString());
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items: rows.map(auditEntryView), total, page: f.page, pageSize: f.pageSize };
}
