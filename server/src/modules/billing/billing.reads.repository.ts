// Read side: lists for the console and the portal, within the actor's reach.
import type { Kernel } from '../../kernel/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { noRows, startsWith } from '../../kernel/db/index.js';
import { places } from '../registry/index.js';
import type { BillRow, PaymentRow } from './billing.repository.js';
import type * as S from './billing.schema.js';

/** WHERE <col> LIKE 'prefix%' for each reachable prefix (nothing when the reach is everything). */
export function whereReach<Q extends { where: (...a: any[]) => Q }>(q: Q, col: string, reach: Reachable): Q {
  if (reach.all) return q;
  return q.where((eb: any) => (reach.prefixes.length ? eb.or(reach.prefixes.map((p) => startsWith(col, p))) : noRows()));
}

export class Queries {
  constructor(private k: Kernel) {}

  async residentBills(houseIds: string[], residentId: string) {
    return (await this.k.db
      .selectFrom('bills')
      .selectAll()
      .where('status', '!=', 'draft')
      .where((eb) => eb.or([...(houseIds.length ? [eb('house_id', 'in', houseIds)] : []), eb('resident_id', '=', residentId)]))
      .orderBy('status', 'asc')
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute()) as BillRow[];
  }

  /** A resident's payments: made by them, or paid (e.g. at the office) for a bill of a house they live in. */
  async residentPayments(residentId: string, houseIds: string[]) {
    return (await this.k.db
      .selectFrom('payments')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('resident_id', '=', residentId),
          ...(houseIds.length
            ? [
                eb.exists(
                  eb
                    .selectFrom('payment_items')
                    .innerJoin('bills', 'bills.id', 'payment_items.bill_id')
                    .select('bills.id')
                    .whereRef('payment_items.payment_id', '=', 'payments.id')
                    .where('bills.house_id', 'in', houseIds),
                ),
              ]
            : []),
        ]),
      )
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute()) as PaymentRow[];
  }

  async houseNames(ids: (string | null)[]) {
    const want = [...new Set(ids.filter((x): x is string => !!x))];
    if (!want.length) return new Map<string, string>();
    // the full name of a house ("1号楼 1单元 101") from its ancestors
    const rows = await Promise.all(want.map((id) => places.getPlace(this.k, id)));
    const ancestorIds = new Set<string>();
    for (const r of rows) if (r) for (const seg of r.path.split('/').filter(Boolean)) ancestorIds.add(seg);
    const names = await places.placeNames(this.k, [...ancestorIds]);
    const out = new Map<string, string>();
    for (const r of rows) {
      if (!r) continue;
      const segs = r.path
        .split('/')
        .filter(Boolean)
        .filter((s) => !s.startsWith('reg_') && !s.startsWith('com_'));
      out.set(
        r.id,
        segs
          .map((s) => names.get(s) ?? '')
          .filter(Boolean)
          .join(' ') || r.name,
      );
    }
    return out;
  }

  async bills(reach: Reachable, f: S.BillsQuery) {
    let q = whereReach(this.k.db.selectFrom('bills'), 'place_path', reach);
    if (f.communityId) q = q.where('community_id', '=', f.communityId);
    if (f.houseId) q = q.where('house_id', '=', f.houseId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.period) q = q.where('period', '=', f.period);
    if (f.runId) q = q.where('run_id', '=', f.runId);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const items = (await q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute()) as BillRow[];
    return { items, total };
  }

  async payments(reach: Reachable, f: S.PaymentsQuery) {
    let q = whereReach(this.k.db.selectFrom('payments'), 'place_path', reach);
    if (f.communityId) q = q.where('community_id', '=', f.communityId);
    if (f.status) q = q.where('status', '=', f.status);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const items = (await q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute()) as PaymentRow[];
    return { items, total };
  }

  /** Open bills of a community due on or before a day (arrears). */
  openBillsDueBy(communityId: string, today: string): Promise<BillRow[]> {
    return this.k.db
      .selectFrom('bills')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('status', '=', 'open')
      .where('due_date', '<=', today)
      .execute() as Promise<BillRow[]>;
  }
  /** What was billed and paid on each issued bill of a community (collection rate). */
  issuedAmounts(communityId: string) {
    return this.k.db
      .selectFrom('bills')
      .select(['place_path', 'period', 'issued_at', 'amount_fen', 'adjust_fen', 'late_fee_fen', 'paid_fen'])
      .where('community_id', '=', communityId)
      .where('status', '!=', 'draft')
      .execute();
  }
  /** Gateway payments credited in a community (reconciliation). */
  creditedGatewayPayments(communityId: string): Promise<PaymentRow[]> {
    return this.k.db
      .selectFrom('payments')
      .selectAll()
      .where('community_id', '=', communityId)
      .where('channel', '=', 'gateway')
      .where('status', 'in', ['paid', 'refunded'])
      .execute() as Promise<PaymentRow[]>;
  }
  /** Is there a payment with this order number in any community? */
  async orderExists(outTradeNo: string): Promise<boolean> {
    return !!(await this.k.db.selectFrom('payments').select('id').where('out_trade_no', '=', outTradeNo).executeTakeFirst());
  }
  /** A community's fee item ids by code (reading import). */
  async feeItemIdsByCode(communityId: string): Promise<Map<string, string>> {
    return new Map(
      (await this.k.db.selectFrom('fee_items').select(['id', 'code']).where('community_id', '=', communityId).execute()).map((f) => [f.code, f.id]),
    );
  }
  /** A community's active items of these kinds (meter readings from telemetry). */
  activeItemsOfKinds(communityId: string, kinds: string[]) {
    return this.k.db
      .selectFrom('fee_items')
      .select(['id', 'kind'])
      .where('community_id', '=', communityId)
      .where('kind', 'in', kinds)
      .where('active', '=', 1)
      .execute();
  }
  /** Where a house's reading of an item for a period came from, if there is one. */
  async readingSource(houseId: string, feeItemId: string, period: string): Promise<string | undefined> {
    return (
      await this.k.db
        .selectFrom('meter_readings')
        .select('source')
        .where('house_id', '=', houseId)
        .where('fee_item_id', '=', feeItemId)
        .where('period', '=', period)
        .executeTakeFirst()
    )?.source;
  }

  async house(id: string) {
    const h = await places.getPlace(this.k, id);
    return h && h.kind === 'house' ? h : null;
  }
}
