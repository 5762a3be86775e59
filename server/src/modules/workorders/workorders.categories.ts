// Repair categories per community: a community's property manager sets its own SLA (response
// and resolution deadlines) and default priority for a category. The defaults (community null)
// ship with the migration; a community's own row with the same code overrides them for it.
// Orders keep the deadlines computed when they were created; a change applies to new orders.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Lang } from '../../kernel/http/i18n.js';
import { invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { places } from '../registry/index.js';
import type { WorkOrdersRepository, CategoryRow } from './workorders.repository.js';
import type { CategoryBody } from './workorders.schema.js';
import { categoryView } from './workorders.present.js';

export async function saveCategory(k: Kernel, repo: WorkOrdersRepository, actor: Actor, code: string, b: CategoryBody, ip: string, lang: Lang) {
  const community = await places.getPlace(k, b.communityId);
  if (!community || community.kind !== 'community') throw notFound('workorders.community_not_found');
  // a community outside the manager's grants is 404, as any record out of scope
  if (!k.authz.can(actor, 'manage', 'WorkOrderCategory', { placePath: community.path })) throw notFound('workorders.community_not_found');
  if (b.resolveMinutes < b.responseMinutes) throw invalid([{ field: 'resolveMinutes', code: 'workorders.resolve_before_response' }]);
  const base = await repo.categoryByCode(code, community.id);
  const at = k.clock.now().toISOString();
  const row: CategoryRow = {
    id: newId('woc'),
    community_id: community.id,
    code,
    name_zh: b.nameZh.trim(),
    name_en: b.nameEn.trim(),
    priority: b.priority,
    response_minutes: b.responseMinutes,
    resolve_minutes: b.resolveMinutes,
    sort: b.sort ?? base?.sort ?? 100,
    created_at: at,
  };
  await k.db.transaction().execute(async (t) => {
    await repo.saveCategory(t, row);
    await k.audit.record(
      {
        actorId: actor.userId,
        actorName: actor.name,
        action: 'workorders.category.save',
        targetType: 'WorkOrderCategory',
        targetId: row.id,
        scopePath: community.path,
        ip,
        detail: {
          code,
          previous: base
            ? {
                communityId: base.community_id,
                priority: base.priority,
                responseMinutes: Number(base.response_minutes),
                resolveMinutes: Number(base.resolve_minutes),
              }
            : null,
          priority: row.priority,
          responseMinutes: row.response_minutes,
          resolveMinutes: row.resolve_minutes,
        },
      },
      t,
    );
  });
  return categoryView(row, lang);
}
