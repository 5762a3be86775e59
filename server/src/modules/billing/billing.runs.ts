// Billing runs for a period: preview (draft bills, recomputed as often as wanted), approve,
// publish (the bills open and enter the ledger). The unique key (house, fee item, period)
// makes a repeated run harmless: a house is never billed twice for the same item and month.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { iso } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { billingHouses } from '../registry/index.js';
import { welfareTagSources } from '../exchange/index.js';
import { discountFen, dueDateOf, roundFen, tieredRaw, type Tier } from './billing.calc.js';
import { acct, post, type Line } from './billing.ledger.js';
import { BillingRepository, billNumber, type BillRow } from './billing.repository.js';
import { METER_KINDS, Fees } from './billing.fees.js';
import type * as S from './billing.schema.js';
import type { RunRow } from './billing.tables.js';
import { RunsRepository } from './billing.runs.repository.js';

const PERIODIC = ['property', 'parking', 'water', 'electricity'];

export type { RunRow } from './billing.tables.js';

export const runView = (r: RunRow): S.Run => ({
  id: r.id,
  communityId: r.community_id,
  period: r.period,
  status: r.status,
  billCount: r.bill_count,
  totalFen: r.total_fen,
  skipped: JSON.parse(r.skipped) as { houseId: string; feeItemId: string; reason: string }[],
  createdBy: r.created_by,
  approvedBy: r.approved_by,
  publishedBy: r.published_by,
  createdAt: r.created_at,
  publishedAt: r.published_at,
});

export class Runs {
  private repo: BillingRepository;
  private fees: Fees;
  private runs: RunsRepository;
  constructor(private k: Kernel) {
    this.repo = new BillingRepository(k.db);
    this.runs = new RunsRepository(k.db, k.database);
    this.fees = new Fees(k);
  }

  async get(actor: Actor | null, id: string, action = 'read') {
    const r = await this.runs.run(id);
    if (!r || (actor && !this.k.authz.can(actor, action, 'BillingRun', { placePath: r.place_path }))) throw notFound('billing.not_found');
    return r;
  }

  async list(actor: Actor, communityId: string) {
    await this.fees.community(actor, communityId, 'read', 'BillingRun');
    return (await this.runs.runsOf(communityId)).map(runView);
  }

  /** Compute (or recompute) the draft bills of a period. A run already approved or published is returned as it is. */
  async preview(actor: Actor | null, communityId: string, period: string) {
    const c = await this.fees.community(actor, communityId, 'create', 'BillingRun');
    const actorId = actor?.userId ?? 'system';
    const now = iso(this.k.clock.now());
    const run = await this.runs.ensureRun({ id: newId('run'), communityId: c.id, placePath: c.path, period, createdBy: actorId, at: now });
    if (run.status !== 'preview') return run;

    const items = (await this.repo.feeItems(c.id)).filter((f) => f.active && PERIODIC.includes(f.kind));
    const houses = await billingHouses.ofCommunity(this.k, c.id);
    // which department's roll asserted a waiver's tag (civil affairs through the exchange), so the bill names it
    const tagSources = await welfareTagSources(
      this.k,
      houses.flatMap((h) => h.occupants.map((o) => o.residentId)),
    );
    const subs = new Map<string, number>();
    const readings = new Map<string, { reading: number; status: string }>();
    const prevReadings = new Map<string, number>();
    const itemIds = items.map((f) => f.id);
    if (itemIds.length) {
      for (const s of await this.runs.subscriptions(itemIds)) subs.set(`${s.house_id}|${s.fee_item_id}`, Number(s.quantity));
      const meterIds = items.filter((f) => METER_KINDS.includes(f.kind)).map((f) => f.id);
      if (meterIds.length) {
        for (const r of await this.runs.readingsUpTo(meterIds, period)) {
          const key = `${r.house_id}|${r.fee_item_id}`;
          if (r.period === period) readings.set(key, { reading: Number(r.reading), status: r.status });
          else if (r.status === 'ok' || r.status === 'accepted') prevReadings.set(key, Number(r.reading)); // ordered: the latest earlier one wins
        }
      }
    }
    const existing = new Set((await this.runs.issued(c.id, period)).map((b) => `${b.house_id}|${b.fee_item_id}`));

    // parsed once per item, not once per house
    const plans = items.map((f) => ({
      f,
      tiers: JSON.parse(f.tiers) as Tier[],
      discounts: JSON.parse(f.discounts) as { tag: string; percentOff: number }[],
      due: dueDateOf(period, f.due_days),
    }));
    const skipped: { houseId: string; feeItemId: string; reason: string }[] = [];
    const draftsOf = (chunk: typeof houses): BillRow[] => {
      const drafts: BillRow[] = [];
      for (const h of chunk) {
        const tags = new Set(h.occupants.flatMap((o) => o.tags));
        for (const { f, tiers, discounts, due } of plans) {
          const key = `${h.houseId}|${f.id}`;
          if (existing.has(key)) continue;
          let quantity: number | null = null;
          if (f.kind === 'property') {
            if (h.areaM2 === null) skipped.push({ houseId: h.houseId, feeItemId: f.id, reason: 'no_area' });
            else quantity = Math.round(h.areaM2 * 100);
          } else if (f.kind === 'parking') {
            quantity = subs.get(key) ?? null; // no space, no bill
          } else {
            const r = readings.get(key);
            const prev = prevReadings.get(key);
            if (!r) skipped.push({ houseId: h.houseId, feeItemId: f.id, reason: 'no_reading' });
            else if (r.status === 'flagged' || r.status === 'rejected') skipped.push({ houseId: h.houseId, feeItemId: f.id, reason: `reading_${r.status}` });
            else if (prev === undefined) skipped.push({ houseId: h.houseId, feeItemId: f.id, reason: 'no_previous_reading' });
            else quantity = r.reading - prev;
          }
          if (quantity === null || quantity <= 0) continue;
          const { raw, parts } = tieredRaw(quantity, tiers, f.unit_price);
          const gross = roundFen(raw, f.rounding, f.rounding_unit);
          let best: { tag: string; percentOff: number } | null = null;
          for (const d of discounts) if (tags.has(d.tag) && (!best || d.percentOff > best.percentOff)) best = d;
          const discount = best ? discountFen(gross, best.percentOff) : 0;
          drafts.push({
            id: newId('bil'),
            number: '',
            community_id: c.id,
            place_path: h.path,
            house_id: h.houseId,
            resident_id: null,
            fee_item_id: f.id,
            fee_kind: f.kind,
            period,
            run_id: run.id,
            source: 'run',
            source_ref: null,
            subject_zh: `${f.name_zh} ${period}`,
            subject_en: `${f.name_en} ${period}`,
            detail: JSON.stringify({
              quantity: quantity / 100,
              parts: parts.map((p) => ({ quantity: p.quantity / 100, unitPrice: p.unitPrice })),
              discount: best && { ...best, source: h.occupants.map((o) => tagSources.get(o.residentId)?.get(best!.tag)).find((x) => x) ?? null },
            }),
            gross_fen: gross,
            discount_fen: discount,
            amount_fen: gross - discount,
            late_fee_fen: 0,
            adjust_fen: 0,
            paid_fen: 0,
            status: 'draft',
            due_date: due,
            late_grace_days: f.late_grace_days,
            late_rate_bp: f.late_rate_bp,
            late_cap_bp: f.late_cap_bp,
            issued_at: null,
            paid_at: null,
            reminded_at: null,
            created_at: now,
          });
        }
      }
      return drafts;
    };
    await this.k.db.transaction().execute(async (tx) => {
      if ((await this.runs.status(tx, run.id)) !== 'preview') return;
      await this.runs.dropDrafts(tx, run.id);
      const year = period.slice(0, 4);
      let count = 0;
      let total = 0;
      // in slices of houses: a large community's drafts never sit in memory all at once
      for (let i = 0; i < houses.length; i += 5000) {
        const drafts = draftsOf(houses.slice(i, i + 5000));
        if (!drafts.length) continue;
        const first = await this.repo.reserve(tx, `bill:${year}`, drafts.length);
        drafts.forEach((d, j) => (d.number = billNumber(year, first + j)));
        await this.runs.insertBills(tx, drafts);
        count += drafts.length;
        for (const d of drafts) total += d.amount_fen;
      }
      await this.runs.setTotals(tx, run.id, { count, total, skipped: JSON.stringify(skipped.slice(0, 5000)) });
    });
    return await this.get(null, run.id);
  }

  async approve(actor: Actor, id: string, ip: string) {
    const run = await this.get(actor, id, 'approve');
    if (!(await this.runs.approve(id, actor.userId))) throw new AppError(409, 'billing.run_state', { status: run.status });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'billing.run.approve',
      targetType: 'BillingRun',
      targetId: id,
      scopePath: run.place_path,
      ip,
      detail: { period: run.period, bills: run.bill_count, totalFen: run.total_fen },
    });
    return this.get(null, id);
  }

  /** Open the approved drafts and post them to the ledger: one transaction for the whole run. */
  async publish(actor: Actor | null, id: string, ip: string | null = null) {
    const run = await this.get(actor, id, 'publish');
    const now = iso(this.k.clock.now());
    await this.k.db.transaction().execute(async (tx) => {
      if (!(await this.runs.publish(tx, id, actor?.userId ?? 'system', now))) throw new AppError(409, 'billing.run_state', { status: run.status });
      const rows = await this.runs.billsOfRun(tx, id);
      const debit = new Map<string, number>();
      const credit = new Map<string, number>();
      for (const b of rows) {
        // a run bills houses for fee items: both are set on every bill it makes
        if (!b.house_id || !b.fee_item_id) throw new Error(`billing run ${id}: a bill without house or fee item`);
        const receivable = acct.receivable(b.house_id);
        const revenue = acct.revenue(b.fee_item_id);
        debit.set(receivable, (debit.get(receivable) ?? 0) + Number(b.amount_fen));
        credit.set(revenue, (credit.get(revenue) ?? 0) + Number(b.amount_fen));
      }
      const lines: Line[] = [...[...debit].map(([account, v]) => ({ account, debit: v })), ...[...credit].map(([account, v]) => ({ account, credit: v }))];
      await post(tx, this.k.clock, { communityId: run.community_id, kind: 'bill', refId: id, memo: `run ${run.period}`, lines }, this.k.database);
      await this.k.audit.record(
        {
          actorId: actor?.userId ?? null,
          actorName: actor?.name ?? null,
          action: 'billing.run.publish',
          targetType: 'BillingRun',
          targetId: id,
          scopePath: run.place_path,
          ip,
          detail: { period: run.period, bills: rows.length },
        },
        tx,
      );
    });
    return this.get(null, id);
  }
}
