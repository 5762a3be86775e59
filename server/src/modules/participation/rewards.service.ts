// Rewards catalogue with stock, redemptions (points and stock taken in one transaction whose
// conditional updates let exactly one of concurrent redemptions of the last unit win), staff
// fulfilment, and honours (by staff, or by lifetime-points thresholds in PointsService).
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { conflict, notFound } from '../../kernel/http/errors.js';
import { iso, localDate } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import type { PointsService } from './points.service.js';
import type { HonourRow, RedemptionRow, RewardRow } from './points.repository.js';
import { communityFor, residentOf } from './participation.common.js';
import type { AwardResult, HonourView, RedemptionView, RewardView } from './points.schema.js';

const rewardView = (r: RewardRow): RewardView => ({
  id: r.id,
  communityId: r.community_id,
  name: r.name,
  description: r.description,
  cost: r.cost,
  stock: r.stock,
  active: !!r.active,
});
const redemptionView = (r: RedemptionRow): RedemptionView => ({
  id: r.id,
  rewardId: r.reward_id,
  residentId: r.resident_id,
  cost: r.cost,
  status: r.status,
  createdAt: r.created_at,
  fulfilledAt: r.fulfilled_at,
});
const honourView = (h: HonourRow): HonourView => ({ id: h.id, communityId: h.community_id, name: h.name, description: h.description, threshold: h.threshold });
export class RewardsService {
  constructor(
    readonly k: Kernel,
    readonly points: PointsService,
  ) {}
  private get repo() {
    return this.points.repo;
  }

  async list(actor: Actor) {
    if (actor.kind === 'resident') {
      const me = await residentOf(this.k, actor);
      return { items: (await this.repo.rewards({ all: false, prefixes: [], residentId: null }, me.communityId)).filter((r) => r.active).map(rewardView) };
    }
    return { items: (await this.repo.rewards(this.k.authz.reach(actor, 'read', 'Reward'), null)).map(rewardView) };
  }

  async create(actor: Actor, b: { communityId: string; name: string; description?: string; cost: number; stock: number }, ip: string) {
    const c = await communityFor(this.k, actor, b.communityId, 'create', 'Reward');
    const row: RewardRow = {
      id: newId('rwd'),
      community_id: c.id,
      place_path: c.path,
      name: b.name.trim(),
      description: b.description?.trim() ?? '',
      cost: b.cost,
      stock: b.stock,
      active: 1,
      created_at: iso(this.k.clock.now()),
    };
    await this.repo.insertReward(row);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.reward.create',
      targetType: 'reward',
      targetId: row.id,
      scopePath: c.path,
      ip,
      detail: { name: row.name, cost: row.cost, stock: row.stock },
    });
    return rewardView(row);
  }

  /** The reward a resident may redeem (checked before the idempotency key is claimed). */
  async redeemable(actor: Actor, rewardId: string) {
    const me = await residentOf(this.k, actor);
    const reward = await this.repo.reward(rewardId);
    if (!reward || reward.community_id !== me.communityId || !reward.active) throw notFound('points.reward_not_found');
    return { me, reward };
  }

  async redeem(actor: Actor, rewardId: string, ip: string) {
    const { me, reward } = await this.redeemable(actor, rewardId);
    const now = this.k.clock.now();
    const id = newId('rdm');
    await this.repo.db.transaction().execute(async (tx) => {
      await this.repo.lockBalance(tx, me.residentId);
      await this.repo.redeem(
        tx,
        reward,
        me.residentId,
        {
          id,
          reward_id: reward.id,
          community_id: reward.community_id,
          place_path: reward.place_path,
          resident_id: me.residentId,
          cost: reward.cost,
          status: 'pending',
          created_at: iso(now),
          fulfilled_at: null,
          fulfilled_by: null,
        },
        {
          id: newId('pts'),
          community_id: reward.community_id,
          resident_id: me.residentId,
          component: 'rewards',
          action: 'redeem',
          ref: id,
          delta: -reward.cost,
          day: localDate(now, this.k.config.timeZone),
          reason: reward.name,
          actor_id: actor.userId,
          created_at: iso(now),
        },
      );
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'participation.reward.redeem',
          targetType: 'redemption',
          targetId: id,
          scopePath: reward.place_path,
          subjectResidentId: me.residentId,
          ip,
          detail: { rewardId: reward.id, cost: reward.cost },
        },
        tx,
      );
    });
    return redemptionView((await this.repo.redemption(id))!);
  }

  async redemptions(actor: Actor) {
    if (actor.kind === 'resident') {
      const me = await residentOf(this.k, actor);
      return { items: (await this.repo.redemptions({ all: false, prefixes: [], residentId: null }, me.residentId)).map(redemptionView) };
    }
    return { items: (await this.repo.redemptions(this.k.authz.reach(actor, 'fulfil', 'Reward'), null)).map(redemptionView) };
  }

  async fulfil(actor: Actor, id: string, ip: string) {
    const r = await this.repo.redemption(id);
    if (!r || !this.k.authz.can(actor, 'fulfil', 'Reward', { placePath: r.place_path })) throw notFound('points.redemption_not_found');
    if (!(await this.repo.fulfil(id, actor.userId, iso(this.k.clock.now())))) throw conflict('points.already_fulfilled');
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.reward.fulfil',
      targetType: 'redemption',
      targetId: id,
      scopePath: r.place_path,
      subjectResidentId: r.resident_id,
      ip,
    });
    return redemptionView((await this.repo.redemption(id))!);
  }

  // ---------- honours ----------
  async honours(actor: Actor) {
    if (actor.kind === 'resident') {
      const me = await residentOf(this.k, actor);
      return { items: (await this.repo.honours({ all: false, prefixes: [], residentId: null }, me.communityId)).map(honourView) };
    }
    return { items: (await this.repo.honours(this.k.authz.reach(actor, 'read', 'Honour'), null)).map(honourView) };
  }

  async createHonour(actor: Actor, b: { communityId: string; name: string; description?: string; threshold?: number | null }, ip: string) {
    const c = await communityFor(this.k, actor, b.communityId, 'create', 'Honour');
    const row: HonourRow = {
      id: newId('hon'),
      community_id: c.id,
      place_path: c.path,
      name: b.name.trim(),
      description: b.description?.trim() ?? '',
      threshold: b.threshold ?? null,
      created_at: iso(this.k.clock.now()),
    };
    await this.repo.insertHonour(row);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.honour.create',
      targetType: 'honour',
      targetId: row.id,
      scopePath: c.path,
      ip,
      detail: { name: row.name, threshold: row.threshold },
    });
    return honourView(row);
  }

  async award(actor: Actor, honourId: string, residentId: string, ip: string): Promise<AwardResult> {
    const h = await this.repo.honour(honourId);
    if (!h || !this.k.authz.can(actor, 'award', 'Honour', { placePath: h.place_path })) throw notFound('points.honour_not_found');
    const r = await this.points.residentInCommunity(actor, residentId, 'award', 'Honour');
    if (r.communityId !== h.community_id) throw notFound('points.honour_not_found');
    const fresh = await this.repo.award(h.id, r.id, iso(this.k.clock.now()), actor.userId);
    if (fresh)
      await this.k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'participation.honour.award',
        targetType: 'honour',
        targetId: h.id,
        scopePath: h.place_path,
        subjectResidentId: r.id,
        ip,
      });
    return { honourId: h.id, residentId: r.id, awarded: true, fresh };
  }
}
