// For the registry: who did what with a resident's data (the resident's own access log and the
// staff's view of it). Newest first, at most 200 entries.
import type { Kernel } from '../../kernel/index.js';

export const auditEntries = {
  async aboutResident(k: Kernel, residentId: string) {
    const rows = await k.db
      .selectFrom('audit_log')
      .select(['seq', 'at', 'actor_name', 'action', 'detail'])
      .where('subject_resident_id', '=', residentId)
      .orderBy('seq', 'desc')
      .limit(200)
      .execute();
    return rows.map((x) => ({ at: x.at, actorName: x.actor_name, action: x.action, detail: JSON.parse(x.detail) as unknown }));
  },
};
