// What happens to an order after it is created: the state machine's transitions, rating, cost
// lines and the SLA escalation job. Every change is a conditional UPDATE on (status, version),
// so two people acting on the same order at once cannot both succeed (e.g. 抢单).
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, conflict, forbidden, invalid } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/http/i18n.js';
import { t as tr } from '../../kernel/http/i18n.js';
import { newId } from '../../kernel/ids.js';
import { iso } from '../../kernel/clock.js';
import { usersCovering } from '../identity/index.js';
import type { WorkOrderRow } from './workorders.repository.js';
import { costView } from './workorders.present.js';
import { openStatuses, transitions, type Status, type TransitionAction } from './workorders.states.js';
import type { Static } from '@sinclair/typebox';
import type { CostsBody, CostsRecorded, RateBody, TransitionBody } from './workorders.schema.js';
import type { WorkOrdersService } from './workorders.service.js';
import { WO_COST_RECORDED, WO_STATUS_CHANGED, type CostRecorded, type WorkOrderStatusChanged } from './workorders.events.js';

const illegal = (from: string, action: string) => conflict('workorders.illegal_transition', { from, action });
/** A status's name in both languages (a notification parameter, shown in the reader's language). */
const statusName = (s: string) => ({ zh: tr('zh-CN', `workorders.status.${s}`), en: tr('en', `workorders.status.${s}`) });

export class WorkOrderFlow {
  constructor(private svc: WorkOrdersService) {}

  private get k() {
    return this.svc.k;
  }

  async transition(actor: Actor, id: string, action: TransitionAction, b: TransitionBody, ip: string, lang: Lang) {
    const svc = this.svc;
    const wo = await svc.reachable(actor, id);
    if (!svc.can(actor, action, wo)) throw forbidden();
    if (b.version !== undefined && b.version !== wo.version) throw conflict('workorders.version_conflict');
    const def = transitions[action];
    if (!def.from.includes(wo.status)) {
      if (action === 'grab' && wo.status !== 'cancelled' && wo.status !== 'closed') throw conflict('workorders.already_taken');
      throw illegal(wo.status, action);
    }
    if (['start', 'pause', 'resume', 'resolve'].includes(action) && !svc.mayWorkOn(actor, wo)) throw new AppError(403, 'workorders.not_assignee');
    if (action === 'cancel' && actor.kind === 'resident' && wo.status !== 'new') throw conflict('workorders.resident_cancel_only_new');

    const at = iso(this.k.clock.now());
    const patch: Partial<WorkOrderRow> = { status: def.to, updated_at: at };
    if (action === 'assign') {
      if (!b.assigneeId) throw invalid([{ field: 'assigneeId', code: 'validation.required' }]);
      const who = (await usersCovering(this.k, wo.place_path, ['technician', 'property_manager'])).find((u) => u.userId === b.assigneeId);
      if (!who) throw invalid([{ field: 'assigneeId', code: 'workorders.bad_assignee' }]);
      Object.assign(patch, { assignee_id: who.userId, assignee_name: who.name });
    }
    if (action === 'grab') Object.assign(patch, { assignee_id: actor.userId, assignee_name: actor.name });
    if ((action === 'assign' || action === 'grab') && !wo.responded_at) patch.responded_at = at;
    if (action === 'resolve') patch.resolved_at = at;
    if (action === 'reopen') patch.resolved_at = null;
    if (action === 'close' || action === 'cancel') patch.closed_at = at;
    const photoIds = await svc.checkPhotos(actor, b.photoIds);

    await this.k.db.transaction().execute(async (t) => {
      if (!(await svc.repo.updateIf(t, wo.id, { status: wo.status, version: wo.version }, patch))) {
        throw conflict(action === 'grab' ? 'workorders.already_taken' : 'workorders.version_conflict');
      }
      await svc.recordEvent(t, wo, {
        action,
        actor,
        from: wo.status,
        to: def.to,
        note: b.note?.trim() || null,
        photoIds,
        at,
        ip,
        detail: patch.assignee_id ? { assigneeId: patch.assignee_id } : {},
      });
    });
    const after = (await svc.repo.byId(wo.id))!;
    await this.announce(actor, wo, after, action);
    return svc.view(actor, after, lang);
  }

  /** Events and notifications after a committed change. */
  private async announce(actor: Actor | null, before: WorkOrderRow, after: WorkOrderRow, action: string) {
    await this.k.events.publish(WO_STATUS_CHANGED, {
      workOrderId: after.id,
      communityId: after.community_id,
      placePath: after.place_path,
      from: before.status,
      to: after.status,
      action,
    } satisfies WorkOrderStatusChanged);
    if (after.assignee_id && after.assignee_id !== actor?.userId && (action === 'assign' || (action === 'rate' && after.rating != null))) {
      const key = action === 'assign' ? 'workorders.notify.assigned' : 'workorders.notify.rated';
      await this.k.notify.send([after.assignee_id], {
        kind: `workorders.${action === 'assign' ? 'assigned' : 'rated'}`,
        code: key,
        params: { number: after.number, rating: after.rating ?? '', text: after.title },
        link: `/workorders/${after.id}`,
      });
    }
    if (before.status !== after.status) {
      const residentUser = await this.svc.residentUser(after.resident_id);
      if (residentUser && residentUser !== actor?.userId) {
        await this.k.notify.send([residentUser], {
          kind: 'workorders.status',
          code: 'workorders.notify.status',
          params: { number: after.number, status: statusName(after.status), text: after.title },
          link: `/portal/repairs/${after.id}`,
        });
      }
    }
  }

  async rate(actor: Actor, id: string, b: RateBody, ip: string, lang: Lang) {
    const svc = this.svc;
    const wo = await svc.reachable(actor, id);
    if (!svc.can(actor, 'rate', wo)) throw forbidden();
    if (!actor.residentId || wo.resident_id !== actor.residentId) throw new AppError(403, 'workorders.not_requester');
    if (wo.rating != null) throw conflict('workorders.already_rated');
    if (wo.status !== 'resolved' && wo.status !== 'closed') throw conflict('workorders.not_ratable');
    const at = iso(this.k.clock.now());
    const to: Status = 'closed'; // rating a resolved order confirms it
    const patch: Partial<WorkOrderRow> = { rating: b.rating, rating_comment: b.comment?.trim() || null, updated_at: at, status: to };
    if (wo.status === 'resolved') patch.closed_at = at;
    await this.k.db.transaction().execute(async (t) => {
      if (!(await svc.repo.updateIf(t, wo.id, { status: wo.status, version: wo.version, extra: 'rating_null' }, patch))) {
        const now = await svc.repo.byId(wo.id);
        throw conflict(now?.rating != null ? 'workorders.already_rated' : 'workorders.version_conflict');
      }
      await svc.recordEvent(t, wo, {
        action: 'rate',
        actor,
        from: wo.status,
        to,
        note: patch.rating_comment ?? null,
        photoIds: [],
        at,
        ip,
        detail: { rating: b.rating },
      });
    });
    const after = (await svc.repo.byId(wo.id))!;
    await this.announce(actor, wo, after, 'rate');
    return svc.view(actor, after, lang);
  }

  /** Load the order and check the actor may record costs on it (before the idempotency claim). */
  async costTarget(actor: Actor, id: string): Promise<WorkOrderRow> {
    const wo = await this.svc.reachable(actor, id);
    if (!this.svc.can(actor, 'cost', wo)) throw forbidden();
    if (wo.status === 'cancelled') throw illegal(wo.status, 'cost');
    return wo;
  }

  async addCosts(actor: Actor, wo: WorkOrderRow, b: CostsBody, ip: string): Promise<Static<typeof CostsRecorded>> {
    const at = iso(this.k.clock.now());
    const rows = b.lines.map((l) => ({
      id: newId('woc'),
      work_order_id: wo.id,
      description: l.description.trim(),
      amount_fen: l.amountFen,
      created_at: at,
      created_by: actor.userId,
    }));
    const totalFen = rows.reduce((s, r) => s + r.amount_fen, 0);
    const lines = rows.map((r) => ({ id: r.id, description: r.description, amountFen: r.amount_fen }));
    // billing charges these costs from the event: it goes through the outbox so a crash right
    // after the commit cannot lose it (billing dedupes on the cost line ids)
    const eventId = await this.k.db.transaction().execute(async (t) => {
      await this.svc.repo.insertCosts(t, rows);
      await this.svc.recordEvent(t, wo, {
        action: 'cost',
        actor,
        from: wo.status,
        to: wo.status,
        note: rows.map((r) => `${r.description} ${(r.amount_fen / 100).toFixed(2)}`).join('；'),
        photoIds: [],
        at,
        ip,
        detail: { lines, totalFen },
      });
      return this.k.outbox.add(t, WO_COST_RECORDED, {
        workOrderId: wo.id,
        communityId: wo.community_id,
        houseId: wo.house_id,
        residentId: wo.resident_id,
        lines,
        totalFen,
      } satisfies CostRecorded);
    });
    await this.k.outbox.relay([eventId]);
    return { lines: rows.map(costView), totalFen };
  }

  /**
   * SLA job: flag open orders past their response or resolution deadline and tell the property
   * managers of the place, once per order (the conditional UPDATE on overdue = 0 makes it once
   * even when two runs overlap).
   */
  async runSla(now: Date): Promise<number> {
    const at = iso(now);
    const svc = this.svc;
    let flagged = 0;
    for (const wo of await svc.repo.overdueCandidates(at, openStatuses)) {
      const reason = wo.resolve_by < at ? 'resolve' : 'respond';
      const ok = await this.k.db.transaction().execute(async (t) => {
        if (!(await svc.repo.updateIf(t, wo.id, { extra: 'not_overdue' }, { overdue: 1, escalated_at: at, updated_at: at }))) return false;
        await svc.recordEvent(t, wo, {
          action: 'escalate',
          actor: null,
          from: wo.status,
          to: wo.status,
          note: tr('zh-CN', `workorders.overdue.${reason}`),
          photoIds: [],
          at,
          ip: null,
          detail: { reason, respondBy: wo.respond_by, resolveBy: wo.resolve_by },
        });
        return true;
      });
      if (!ok) continue;
      flagged++;
      const managers = await usersCovering(this.k, wo.place_path, ['property_manager']);
      await this.k.notify.send(
        managers.map((m) => m.userId),
        {
          kind: 'workorders.overdue',
          code: 'workorders.notify.overdue',
          bodyCode: 'workorders.notify.overdue_body',
          params: {
            number: wo.number,
            title: wo.title,
            reason: { zh: tr('zh-CN', `workorders.overdue.${reason}`), en: tr('en', `workorders.overdue.${reason}`) },
          },
          link: `/workorders/${wo.id}`,
        },
      );
    }
    return flagged;
  }
}
