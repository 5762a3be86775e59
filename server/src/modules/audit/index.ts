// Audit module: the console's view of the kernel's hash-chained audit log.
import { Type } from '@sinclair/typebox';
import type { Module } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import { escapeLike, like, likeOp, startsWith } from '../../kernel/db/index.js';
import { registerCheckpointRoutes } from './checkpoints.routes.js';

const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 50 })),
  action: Type.Optional(Type.String({ maxLength: 80 })),
  targetId: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const auditModule: Module = {
  name: 'audit',
  async register(app, k) {
    app.get('/api/v1/audit', { config: { auth: { action: 'read', subject: 'AuditLog' } }, schema: { tags: ['audit'], querystring: AuditQuery } }, async (req) => {
      const actor = requireActor(req);
      const reach = k.authz.reach(actor, 'read', 'AuditLog');
      const { page, pageSize } = req.query;
      let q = k.db.selectFrom('audit_log');
      // Staff see entries about their scope; platform-wide entries (no scope) only platform admins.
      if (!reach.all) q = q.where((eb) => eb.or(reach.prefixes.map((p) => startsWith('scope_path', p))));
      if (req.query.actor) q = q.where(like('actor_name', `%${escapeLike(req.query.actor)}%`, likeOp(k.database.dialect) === 'ilike'));
      if (req.query.action) q = q.where(startsWith('action', req.query.action));
      if (req.query.targetId) q = q.where('target_id', '=', req.query.targetId);
      if (req.query.from) q = q.where('at', '>=', new Date(req.query.from).toISOString());
      if (req.query.to) q = q.where('at', '<=', new Date(req.query.to).toISOString());
      const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      const rows = await q.selectAll().orderBy('seq', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
      return {
        items: rows.map((r) => ({ seq: Number(r.seq), at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, targetType: r.target_type, targetId: r.target_id, scopePath: r.scope_path, ip: r.ip, detail: JSON.parse(r.detail) })),
        total, page, pageSize,
      };
    });
    registerCheckpointRoutes(app, k);
  },
};
