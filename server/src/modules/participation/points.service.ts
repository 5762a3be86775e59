// The points ledger: verified actions arrive as `participation.action` events and are credited
// once per (component, action, ref, resident) — the ledger's unique key — with the community's
// rule (defaults from the component manifests) and its daily cap. Staff grant or deduct with a
// reason (audited). A balance never goes below zero.
import type { Kernel } from '../../kernel/index.js';
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { iso, localDate } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { places, residents } from '../registry/index.js';
import { component, components, type ParticipationAction } from './components.js';
import { PointsRepository } from './points.repository.js';
import { communityFor, residentOf } from './participation.common.js';
import type { BalanceList, Leaderboard, PointsSummary, RuleList } from './points.schema.js';

export interface EffectiveRule {
  component: string;
  action: string;
  labels: { zh: string; en: string };
  points: number;
  dailyCap: number;
  enabled: boolean;
  custom: boolean;
}

export type CreditOutcome = { credited: number; duplicate: boolean; capped: boolean };

export class PointsService {
  readonly repo: PointsRepository;
  constructor(readonly k: Kernel) {
    this.repo = new PointsRepository(k.database);
  }

  /** The rules of a community: each declared action, with the community's override if any. */
  async effectiveRules(communityId: string): Promise<EffectiveRule[]> {
    const custom = new Map((await this.repo.rules(communityId)).map((r) => [`${r.component}/${r.action}`, r]));
    const out: EffectiveRule[] = [];
    for (const c of components()) {
      for (const a of c.actions) {
        if (!a.points) continue;
        const r = custom.get(`${c.name}/${a.name}`);
        out.push({
          component: c.name,
          action: a.name,
          labels: a.labels,
          points: r ? r.points : a.points.default,
          dailyCap: r ? r.daily_cap : (a.points.dailyCap ?? 0),
          enabled: r ? !!r.enabled : true,
          custom: !!r,
        });
      }
    }
    return out;
  }

  /** Where a resident's balance is kept (their home, for per-building views), created on first use. */
  private async ensureAccount(residentId: string, communityId: string) {
    const r = await residents.get(this.k, residentId);
    const c = await places.getPlace(this.k, communityId);
    const path = r?.houses.find((h) => h.communityId === communityId)?.placePath ?? c?.path ?? '/';
    await this.repo.ensureBalance(residentId, communityId, path);
  }

  /** Credit a verified action. Repeats of the same action credit nothing. */
  async credit(a: ParticipationAction): Promise<CreditOutcome> {
    const decl = component(a.component)?.actions.find((x) => x.name === a.action);
    if (!decl?.points) return { credited: 0, duplicate: false, capped: false };
    const rule = (await this.effectiveRules(a.communityId)).find((r) => r.component === a.component && r.action === a.action)!;
    const qty = a.quantity != null && a.quantity > 0 ? a.quantity : 1;
    const wanted = rule.enabled ? Math.round(rule.points * qty) : 0;
    const now = this.k.clock.now();
    const day = localDate(now, this.k.config.timeZone);
    await this.ensureAccount(a.residentId, a.communityId);
    const out = await this.repo.db.transaction().execute(async (tx) => {
      await this.repo.lockBalance(tx, a.residentId);
      let delta = wanted;
      if (rule.dailyCap > 0) delta = Math.max(0, Math.min(wanted, rule.dailyCap - (await this.repo.earnedOn(tx, a.residentId, a.component, a.action, day))));
      const inserted = await this.repo.insertLedger(tx, {
        id: newId('pts'),
        community_id: a.communityId,
        resident_id: a.residentId,
        component: a.component,
        action: a.action,
        ref: a.ref,
        delta,
        day,
        reason: delta < wanted ? 'daily_cap' : null,
        actor_id: null,
        created_at: iso(now),
      });
      if (!inserted) return { credited: 0, duplicate: true, capped: false };
      if (delta) await this.repo.applyDelta(tx, a.residentId, delta);
      return { credited: delta, duplicate: false, capped: delta < wanted };
    });
    if (out.credited > 0) await this.awardThresholds(a.residentId, a.communityId);
    return out;
  }

  /** Honours whose threshold the resident's lifetime points reach. */
  async awardThresholds(residentId: string, communityId: string) {
    const b = await this.repo.balance(residentId);
    if (!b) return;
    // the platform awards them, on the ledger's behalf: audited as system:participation.honour-award
    const system = systemActor('participation.honour-award');
    for (const h of await this.repo.reachedThresholds(communityId, b.earned)) {
      if (await this.repo.award(h.id, residentId, iso(this.k.clock.now()), null)) {
        await this.k.audit.record({
          actorId: system.userId,
          actorName: system.name,
          action: 'participation.honour.award',
          targetType: 'honour',
          targetId: h.id,
          scopePath: h.place_path,
          subjectResidentId: residentId,
          detail: { threshold: h.threshold },
        });
      }
    }
  }

  /** A resident of a community the staff member may act on, else 422. */
  async residentInCommunity(actor: Actor, residentId: string, action: string, subject: string) {
    const r = await residents.get(this.k, residentId);
    const home = r?.houses[0];
    const community = r ? await places.getPlace(this.k, r.communityId) : undefined;
    if (!r || !community || !this.k.authz.can(actor, action, subject, { placePath: home?.placePath ?? community.path })) {
      throw invalid([{ field: 'residentId', code: 'points.resident_unknown' }]);
    }
    return { id: r.id, name: r.name, communityId: r.communityId, communityPath: community.path };
  }

  /** Staff grant (delta > 0) or deduct (delta < 0) with a reason; audited; never below zero. */
  async adjust(actor: Actor, b: { residentId: string; delta: number; reason: string }, ip: string) {
    if (b.delta === 0) throw invalid([{ field: 'delta', code: 'validation.invalid' }]);
    const r = await this.residentInCommunity(actor, b.residentId, 'adjust', 'Points');
    await this.ensureAccount(r.id, r.communityId);
    const now = this.k.clock.now();
    const id = newId('pts');
    await this.repo.db.transaction().execute(async (tx) => {
      await this.repo.lockBalance(tx, r.id);
      if (!(await this.repo.applyDelta(tx, r.id, b.delta))) throw new AppError(409, 'points.would_go_negative');
      await this.repo.insertLedger(tx, {
        id,
        community_id: r.communityId,
        resident_id: r.id,
        component: 'staff',
        action: b.delta > 0 ? 'grant' : 'deduct',
        ref: id,
        delta: b.delta,
        day: localDate(now, this.k.config.timeZone),
        reason: b.reason,
        actor_id: actor.userId,
        created_at: iso(now),
      });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'participation.points.adjust',
          targetType: 'points',
          targetId: id,
          scopePath: r.communityPath,
          subjectResidentId: r.id,
          ip,
          detail: { delta: b.delta, reason: b.reason },
        },
        tx,
      );
    });
    if (b.delta > 0) await this.awardThresholds(r.id, r.communityId);
    return this.summary(r.id);
  }

  async summary(residentId: string): Promise<PointsSummary> {
    const b = await this.repo.balance(residentId);
    const ledger = await this.repo.ledger(residentId, 100);
    const honours = await this.repo.awardsOf(residentId);
    return {
      residentId,
      balance: b?.balance ?? 0,
      earned: b?.earned ?? 0,
      ledger: ledger.map((l) => ({ id: l.id, component: l.component, action: l.action, ref: l.ref, delta: l.delta, reason: l.reason, at: l.created_at })),
      honours: honours.map((h) => ({
        id: h.id,
        name: h.name,
        description: h.description,
        threshold: h.threshold == null ? null : Number(h.threshold),
        awardedAt: h.awarded_at,
      })),
    };
  }

  async mine(actor: Actor) {
    const me = await residentOf(this.k, actor);
    return this.summary(me.residentId);
  }

  async ofResident(actor: Actor, residentId: string) {
    try {
      await this.residentInCommunity(actor, residentId, 'read', 'Points');
    } catch {
      throw notFound('points.resident_unknown');
    }
    return this.summary(residentId);
  }

  async rules(actor: Actor, communityId: string): Promise<RuleList> {
    const c = await communityFor(this.k, actor, communityId, 'read', 'PointRule');
    return { communityId: c.id, items: await this.effectiveRules(c.id) };
  }

  async setRule(actor: Actor, b: { communityId: string; component: string; action: string; points: number; dailyCap: number; enabled: boolean }, ip: string) {
    const c = await communityFor(this.k, actor, b.communityId, 'edit', 'PointRule');
    if (!component(b.component)?.actions.some((a) => a.name === b.action && a.points)) throw invalid([{ field: 'action', code: 'points.rule_unknown' }]);
    await this.repo.upsertRule({
      community_id: c.id,
      component: b.component,
      action: b.action,
      points: b.points,
      daily_cap: b.dailyCap,
      enabled: b.enabled ? 1 : 0,
      updated_by: actor.userId,
      updated_at: iso(this.k.clock.now()),
    });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.points.rule',
      targetType: 'point_rule',
      targetId: `${b.component}/${b.action}`,
      scopePath: c.path,
      ip,
      detail: { points: b.points, dailyCap: b.dailyCap, enabled: b.enabled },
    });
    return { communityId: c.id, items: await this.effectiveRules(c.id) };
  }

  /** The leaderboard of my building (lifetime points; names shortened to the surname). Residents may opt out. */
  async leaderboard(actor: Actor): Promise<Leaderboard> {
    const me = await residentOf(this.k, actor);
    await this.ensureAccount(me.residentId, me.communityId);
    const b = await this.repo.balance(me.residentId);
    const building = b?.placePath.match(/^(.*?\/bld_[^/]+\/)/)?.[1] ?? null;
    const rows = building ? await this.repo.leaderboard(building, 20) : [];
    const items = [];
    for (const [i, r] of rows.entries()) {
      const name = (await residents.get(this.k, r.residentId))?.name ?? '';
      items.push({ rank: i + 1, name: r.residentId === me.residentId ? name : `${name.slice(0, 1)}**`, earned: r.earned, me: r.residentId === me.residentId });
    }
    return { buildingId: building?.split('/').filter(Boolean).pop() ?? null, optedOut: await this.repo.optedOut(me.residentId), items };
  }

  async setOptOut(actor: Actor, optOut: boolean) {
    const me = await residentOf(this.k, actor);
    await this.ensureAccount(me.residentId, me.communityId);
    await this.repo.setOptOut(me.residentId, optOut);
    return this.leaderboard(actor);
  }

  async balances(actor: Actor): Promise<BalanceList> {
    const rows = await this.repo.balancesInReach(this.k.authz.reach(actor, 'read', 'Points'), 200);
    const names = new Map<string, string>();
    for (const r of rows) names.set(r.resident_id, (await residents.get(this.k, r.resident_id))?.name ?? '');
    return { items: rows.map((r) => ({ residentId: r.resident_id, name: names.get(r.resident_id) ?? '', balance: r.balance, earned: r.earned })) };
  }
}
