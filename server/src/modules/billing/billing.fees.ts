// Fee items per community, per-house quantities (parking spaces) and meter readings.
// A reading lower than the previous one, or a jump above the item's limit, is flagged for
// review and not billed until someone accepts it.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { iso } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { AppError, conflict, invalid, notFound } from '../../kernel/http/errors.js';
import { places } from '../registry/index.js';
import { validTiers, type Tier } from './billing.calc.js';
import type { FeeItemRow } from './billing.repository.js';
import type * as S from './billing.schema.js';
import type { ReadingRow } from './billing.tables.js';
import { FeesRepository } from './billing.fees.repository.js';

export const METER_KINDS = ['water', 'electricity'];

export function feeItemView(f: FeeItemRow): S.FeeItem {
  return {
    id: f.id,
    communityId: f.community_id,
    code: f.code,
    nameZh: f.name_zh,
    nameEn: f.name_en,
    kind: f.kind,
    unitPrice: f.unit_price,
    tiers: JSON.parse(f.tiers) as Tier[],
    rounding: f.rounding,
    roundingUnit: f.rounding_unit,
    dueDays: f.due_days,
    lateGraceDays: f.late_grace_days,
    lateRateBp: f.late_rate_bp,
    lateCapBp: f.late_cap_bp,
    maxJump: f.max_jump,
    discounts: JSON.parse(f.discounts),
    active: !!f.active,
  };
}

export type { ReadingRow } from './billing.tables.js';

export const readingView = (r: ReadingRow): S.Reading => ({
  id: r.id,
  houseId: r.house_id,
  feeItemId: r.fee_item_id,
  period: r.period,
  reading: r.reading / 100,
  previous: r.previous === null ? null : r.previous / 100,
  use: r.previous === null ? null : (r.reading - r.previous) / 100,
  status: r.status,
  flag: r.flag,
  source: r.source,
  createdAt: r.created_at,
});

export class Fees {
  private repo: FeesRepository;
  constructor(private k: Kernel) {
    this.repo = new FeesRepository(k.db);
  }

  /** The community, if the actor may do `action` on `subject` there; else 404. */
  async community(actor: Actor | null, communityId: string, action: string, subject: string) {
    const c = await places.getPlace(this.k, communityId);
    if (!c || c.kind !== 'community' || (actor && !this.k.authz.can(actor, action, subject, { placePath: c.path })))
      throw notFound('billing.community_unknown');
    return c;
  }

  async feeItem(actor: Actor | null, id: string, action: string, subject = 'FeeItem') {
    const f = await this.repo.feeItem(id);
    if (!f || (actor && !this.k.authz.can(actor, action, subject, { placePath: f.place_path }))) throw notFound('billing.not_found');
    return f;
  }

  async list(actor: Actor, communityId: string) {
    await this.community(actor, communityId, 'read', 'FeeItem');
    const rows = await this.repo.feeItems(communityId);
    return rows.map(feeItemView);
  }

  async create(actor: Actor | null, b: S.FeeItemBody, ip: string | null = null) {
    const c = await this.community(actor, b.communityId, 'manage', 'FeeItem');
    if (b.tiers && !validTiers(b.tiers)) throw invalid([{ field: 'tiers', code: 'billing.bad_tiers' }]);
    const now = iso(this.k.clock.now());
    const row: FeeItemRow = {
      id: newId('fee'),
      community_id: c.id,
      place_path: c.path,
      code: b.code,
      name_zh: b.nameZh,
      name_en: b.nameEn,
      kind: b.kind,
      unit_price: b.unitPrice,
      tiers: JSON.stringify(b.tiers ?? []),
      rounding: b.rounding ?? 'half_up',
      rounding_unit: b.roundingUnit ?? 'fen',
      due_days: b.dueDays ?? 30,
      late_grace_days: b.lateGraceDays ?? 0,
      late_rate_bp: b.lateRateBp ?? 0,
      late_cap_bp: b.lateCapBp ?? 0,
      max_jump: b.maxJump ?? null,
      discounts: JSON.stringify(b.discounts ?? []),
      active: b.active === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    };
    if (!(await this.repo.insertFeeItem(row))) throw conflict('billing.fee_item_code_taken');
    await this.k.audit.record({
      actorId: actor?.userId ?? null,
      actorName: actor?.name ?? null,
      action: 'billing.fee_item.create',
      targetType: 'FeeItem',
      targetId: row.id,
      scopePath: c.path,
      ip,
      detail: { code: b.code, kind: b.kind, unitPrice: b.unitPrice },
    });
    return feeItemView(row);
  }

  async update(actor: Actor, id: string, p: S.FeeItemPatch, ip: string) {
    const f = await this.feeItem(actor, id, 'manage');
    if (p.tiers && !validTiers(p.tiers)) throw invalid([{ field: 'tiers', code: 'billing.bad_tiers' }]);
    const patch: Partial<FeeItemRow> = { updated_at: iso(this.k.clock.now()) };
    if (p.nameZh !== undefined) patch.name_zh = p.nameZh;
    if (p.nameEn !== undefined) patch.name_en = p.nameEn;
    if (p.unitPrice !== undefined) patch.unit_price = p.unitPrice;
    if (p.tiers !== undefined) patch.tiers = JSON.stringify(p.tiers);
    if (p.rounding !== undefined) patch.rounding = p.rounding;
    if (p.roundingUnit !== undefined) patch.rounding_unit = p.roundingUnit;
    if (p.dueDays !== undefined) patch.due_days = p.dueDays;
    if (p.lateGraceDays !== undefined) patch.late_grace_days = p.lateGraceDays;
    if (p.lateRateBp !== undefined) patch.late_rate_bp = p.lateRateBp;
    if (p.lateCapBp !== undefined) patch.late_cap_bp = p.lateCapBp;
    if (p.maxJump !== undefined) patch.max_jump = p.maxJump;
    if (p.discounts !== undefined) patch.discounts = JSON.stringify(p.discounts);
    if (p.active !== undefined) patch.active = p.active ? 1 : 0;
    // already issued bills keep their own amounts; a new price applies to the next runs
    await this.repo.updateFeeItem(id, patch);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'billing.fee_item.update',
      targetType: 'FeeItem',
      targetId: id,
      scopePath: f.place_path,
      ip,
      detail: { changed: Object.keys(p) },
    });
    return feeItemView({ ...f, ...patch });
  }

  private async houseIn(communityId: string, houseId: string) {
    const h = await places.getPlace(this.k, houseId);
    if (!h || h.kind !== 'house' || h.community_id !== communityId) throw new AppError(422, 'billing.house_unknown');
    return h;
  }

  /** How many units of a per-house item a house has (parking spaces); 0 removes it. */
  async subscribe(actor: Actor, b: S.SubscriptionBody) {
    const f = await this.feeItem(actor, b.feeItemId, 'manage');
    await this.houseIn(f.community_id, b.houseId);
    const quantity = Math.round(b.quantity * 100);
    await this.repo.setSubscription({ id: newId('fsb'), feeItemId: f.id, houseId: b.houseId, quantity, note: b.note ?? null, at: iso(this.k.clock.now()) });
    return { feeItemId: f.id, houseId: b.houseId, quantity: quantity / 100 };
  }

  /** Enter a reading (staff, import or telemetry); flags what looks wrong instead of billing it. */
  async recordReading(actor: Actor | null, b: S.ReadingBody, source: 'manual' | 'import' | 'telemetry') {
    const f = await this.feeItem(actor, b.feeItemId, 'create', 'MeterReading');
    if (!METER_KINDS.includes(f.kind)) throw invalid([{ field: 'feeItemId', code: 'billing.not_a_meter_item' }]);
    const h = await this.houseIn(f.community_id, b.houseId);
    const reading = Math.round(b.reading * 100);
    const previous = await this.repo.previousReading(h.id, f.id, b.period);
    let flag: string | null = null;
    if (previous !== null && reading < previous) flag = 'lower_than_previous';
    else if (previous !== null && f.max_jump !== null && reading - previous > f.max_jump) flag = 'implausible_jump';
    if (await this.repo.billed(h.id, f.id, b.period)) throw conflict('billing.reading_state');
    const row: ReadingRow = {
      id: newId('mtr'),
      community_id: f.community_id,
      place_path: h.path,
      house_id: h.id,
      fee_item_id: f.id,
      period: b.period,
      reading,
      previous,
      status: flag ? 'flagged' : 'ok',
      flag,
      source,
      created_by: actor?.userId ?? null,
      created_at: iso(this.k.clock.now()),
      reviewed_by: null,
      reviewed_at: null,
    };
    // a corrected reading for the same month replaces the earlier one (nothing was billed from it yet)
    await this.repo.replaceReading(row);
    return readingView(row);
  }

  async review(actor: Actor, id: string, accept: boolean, ip: string) {
    const r = await this.repo.reading(id);
    if (!r || !this.k.authz.can(actor, 'review', 'MeterReading', { placePath: r.place_path })) throw notFound('billing.not_found');
    if (r.status !== 'flagged') throw conflict('billing.reading_state');
    const status = accept ? 'accepted' : 'rejected';
    const at = iso(this.k.clock.now());
    await this.repo.review(id, status, actor.userId, at);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: `billing.reading.${status}`,
      targetType: 'MeterReading',
      targetId: id,
      scopePath: r.place_path,
      ip,
      detail: { flag: r.flag, reading: r.reading },
    });
    return readingView({ ...r, status, reviewed_by: actor.userId, reviewed_at: at });
  }

  async readings(actor: Actor, communityId: string, period: string | undefined, status: string | undefined) {
    await this.community(actor, communityId, 'read', 'MeterReading');
    return (await this.repo.readings(communityId, period, status)).map(readingView);
  }
}
