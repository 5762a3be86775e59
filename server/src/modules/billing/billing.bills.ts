// Bills once they exist: one-off charges from other modules, issuing, adjustments (credit and
// debit notes), and applying a received payment to its bills. A published bill's own amounts
// never change; every correction is a separate adjustment row and ledger transaction.
import type { Kernel } from '../../kernel/index.js';
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import type { Db, Tx } from '../../kernel/db/index.js';
import { iso, localDate } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { places } from '../registry/index.js';
import { acct, post } from './billing.ledger.js';
import { BillingRepository, billNumber, holderOf, outstanding, type BillRow, type PaymentRow } from './billing.repository.js';
import type { ChargePaid } from './billing.events.js';

export interface ChargeInput {
  communityId: string;
  houseId: string | null;
  residentId: string;
  source: string;
  sourceRef: string;
  amountFen: number;
  subject: { zh: string; en: string };
}

/** Where a bill's amount is earned: its fee item's revenue, or for a deposit the deposits held for residents (a liability, not income). */
export const incomeAccount = (b: Pick<BillRow, 'fee_kind' | 'fee_item_id' | 'source'>) =>
  b.fee_kind === 'deposit' ? acct.depositsHeld : acct.revenue(b.fee_item_id ?? b.source);

export class Bills {
  readonly repo: BillingRepository;
  constructor(private k: Kernel) {
    this.repo = new BillingRepository(k.db);
  }

  /**
   * A one-off bill for another module's record; the same (source, sourceRef) always gives the same bill.
   * Billing makes it on that module's behalf, as the system actor `billing.charge` (audited as such).
   */
  async createCharge(input: ChargeInput): Promise<{ billId: string }> {
    const actor = systemActor('billing.charge');
    const fields = [];
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) fields.push({ field: 'amountFen', code: 'validation.minimum', params: { limit: 1 } });
    if (!input.source || !input.sourceRef) fields.push({ field: 'sourceRef', code: 'validation.required' });
    if (!input.subject?.zh || !input.subject?.en) fields.push({ field: 'subject', code: 'validation.required' });
    if (fields.length) throw invalid(fields);
    const found = await this.repo.billBySource(input.source, input.sourceRef);
    if (found) return this.sameCharge(found, input);

    const community = await places.getPlace(this.k, input.communityId);
    if (!community || community.kind !== 'community') throw new AppError(422, 'billing.community_unknown');
    let path = community.path;
    if (input.houseId) {
      const house = await places.getPlace(this.k, input.houseId);
      if (!house || house.kind !== 'house' || house.community_id !== input.communityId) throw new AppError(422, 'billing.house_unknown');
      path = house.path;
    }
    const now = this.k.clock.now();
    const id = newId('bil');
    const inserted = await this.k.db.transaction().execute(async (tx) => {
      const number = billNumber(iso(now).slice(0, 4), await this.repo.next(tx, `bill:${iso(now).slice(0, 4)}`));
      const row: BillRow = {
        id,
        number,
        community_id: input.communityId,
        place_path: path,
        house_id: input.houseId,
        resident_id: input.residentId,
        fee_item_id: null,
        fee_kind: 'one_off',
        period: null,
        run_id: null,
        source: input.source,
        source_ref: input.sourceRef,
        subject_zh: input.subject.zh,
        subject_en: input.subject.en,
        detail: '{}',
        gross_fen: input.amountFen,
        discount_fen: 0,
        amount_fen: input.amountFen,
        late_fee_fen: 0,
        adjust_fen: 0,
        paid_fen: 0,
        status: 'open',
        due_date: localDate(now, this.k.config.timeZone),
        late_grace_days: 0,
        late_rate_bp: 0,
        late_cap_bp: 0,
        issued_at: iso(now),
        paid_at: null,
        reminded_at: null,
        created_at: iso(now),
      };
      if (!(await this.repo.insertBill(tx, row))) return false;
      await this.postIssue(tx, row);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'billing.charge.create',
          targetType: 'Bill',
          targetId: id,
          scopePath: path,
          detail: { source: input.source, sourceRef: input.sourceRef, amountFen: input.amountFen },
        },
        tx,
      );
      return true;
    });
    if (!inserted) return this.sameCharge((await this.repo.billBySource(input.source, input.sourceRef))!, input);
    return { billId: id };
  }

  /** A one-off fee item or a deposit charged to a house by staff (the route takes an Idempotency-Key). */
  async staffCharge(actor: Actor, o: { houseId: string; feeItemId: string; amountFen: number; note?: string }, ip: string) {
    const f = await this.repo.feeItem(o.feeItemId);
    if (!f || !this.k.authz.can(actor, 'charge', 'Bill', { placePath: f.place_path })) throw notFound('billing.not_found');
    if (f.kind !== 'one_off' && f.kind !== 'deposit') throw invalid([{ field: 'feeItemId', code: 'billing.not_one_off' }]);
    const house = await places.getPlace(this.k, o.houseId);
    if (!house || house.kind !== 'house' || house.community_id !== f.community_id) throw new AppError(422, 'billing.house_unknown');
    const now = this.k.clock.now();
    const year = iso(now).slice(0, 4);
    const today = localDate(now, this.k.config.timeZone);
    const row: BillRow = {
      id: newId('bil'),
      number: '',
      community_id: f.community_id,
      place_path: house.path,
      house_id: house.id,
      resident_id: null,
      fee_item_id: f.id,
      fee_kind: f.kind,
      period: null,
      run_id: null,
      source: 'manual',
      source_ref: newId('chg'),
      subject_zh: o.note ? `${f.name_zh}：${o.note}` : f.name_zh,
      subject_en: o.note ? `${f.name_en}: ${o.note}` : f.name_en,
      detail: '{}',
      gross_fen: o.amountFen,
      discount_fen: 0,
      amount_fen: o.amountFen,
      late_fee_fen: 0,
      adjust_fen: 0,
      paid_fen: 0,
      status: 'open',
      due_date: new Date(Date.parse(today + 'T00:00:00Z') + f.due_days * 86_400_000).toISOString().slice(0, 10),
      late_grace_days: f.late_grace_days,
      late_rate_bp: f.late_rate_bp,
      late_cap_bp: f.late_cap_bp,
      issued_at: iso(now),
      paid_at: null,
      reminded_at: null,
      created_at: iso(now),
    };
    await this.k.db.transaction().execute(async (tx) => {
      row.number = billNumber(year, await this.repo.next(tx, `bill:${year}`));
      if (!(await this.repo.insertBill(tx, row))) throw new Error('billing: a fresh charge reference collided'); // source_ref is a new id
      await this.postIssue(tx, row);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'billing.charge.staff',
          targetType: 'Bill',
          targetId: row.id,
          scopePath: row.place_path,
          ip,
          detail: { feeItemId: f.id, amountFen: o.amountFen },
        },
        tx,
      );
    });
    return row;
  }

  private sameCharge(b: BillRow, input: ChargeInput) {
    if (b.gross_fen !== input.amountFen || (b.house_id ?? null) !== (input.houseId ?? null)) throw new AppError(409, 'billing.charge_conflict');
    return { billId: b.id };
  }

  /** Ledger entry of an issued bill: the holder owes it, the fee item (or source) earns it. */
  async postIssue(db: Db, b: BillRow) {
    await post(db, this.k.clock, {
      communityId: b.community_id,
      kind: 'bill',
      refId: b.id,
      memo: b.number,
      lines: [
        { account: acct.receivable(holderOf(b)), debit: b.amount_fen },
        { account: incomeAccount(b), credit: b.amount_fen },
      ],
    });
  }

  /** A credit note (less to pay) or debit note (more to pay) on a published bill. */
  async adjust(b: BillRow, o: { kind: 'credit' | 'debit'; amountFen: number; reason: string; actorId: string | null; ip?: string }) {
    if (b.status === 'draft') throw new AppError(409, 'billing.bill_not_open');
    return this.k.db.transaction().execute(async (tx) => {
      const cur = (await this.repo.bill(b.id, tx))!;
      if (o.kind === 'credit' && o.amountFen > outstanding(cur)) throw new AppError(422, 'billing.adjust_too_much');
      const delta = o.kind === 'credit' ? -o.amountFen : o.amountFen;
      const id = newId('adj');
      const at = iso(this.k.clock.now());
      await this.repo.addAdjustment(tx, { id, billId: b.id, kind: o.kind, amountFen: o.amountFen, reason: o.reason, createdBy: o.actorId, at });
      const after = { ...cur, adjust_fen: cur.adjust_fen + delta };
      const paid = outstanding(after) <= 0;
      await this.repo.setAdjusted(tx, b.id, { adjustFen: after.adjust_fen, status: paid ? 'paid' : 'open', paidAt: paid ? (cur.paid_at ?? at) : null });
      const r = acct.receivable(holderOf(cur));
      const rev = incomeAccount(cur);
      await post(tx, this.k.clock, {
        communityId: cur.community_id,
        kind: 'adjustment',
        refId: id,
        memo: o.reason,
        lines:
          o.kind === 'credit'
            ? [
                { account: rev, debit: o.amountFen },
                { account: r, credit: o.amountFen },
              ]
            : [
                { account: r, debit: o.amountFen },
                { account: rev, credit: o.amountFen },
              ],
      });
      await this.k.audit.record(
        {
          actorId: o.actorId,
          action: `billing.bill.${o.kind}_note`,
          targetType: 'Bill',
          targetId: b.id,
          scopePath: cur.place_path,
          ip: o.ip ?? null,
          detail: { amountFen: o.amountFen, reason: o.reason },
        },
        tx,
      );
      return { id, billId: b.id, kind: o.kind, amountFen: o.amountFen, reason: o.reason, createdAt: at };
    });
  }

  /**
   * Credit a received payment to its bills inside the caller's transaction: each bill gets at
   * most what it still owes; anything more stays on the receivable as a prepayment.
   * Returns the one-off charges that this payment settled (for billing.charge.paid).
   */
  async applyPayment(tx: Tx, p: PaymentRow, paidAt: string): Promise<ChargePaid[]> {
    const items = await this.repo.paymentItems(p.id, tx);
    const bills = new Map(
      (
        await this.repo.bills(
          items.map((i) => i.bill_id),
          tx,
        )
      ).map((b) => [b.id, b]),
    );
    const settled: ChargePaid[] = [];
    const lines = [];
    for (const it of items) {
      const b = bills.get(it.bill_id)!;
      const applied = Math.max(0, Math.min(it.amount_fen, outstanding(b)));
      const paidFen = b.paid_fen + applied;
      const done = outstanding({ ...b, paid_fen: paidFen }) <= 0;
      await this.repo.applyToBill(tx, p.id, b.id, {
        appliedFen: applied,
        paidFen,
        status: done ? 'paid' : 'open',
        paidAt: done ? (b.paid_at ?? paidAt) : null,
      });
      lines.push({ account: acct.receivable(holderOf(b)), credit: it.amount_fen });
      if (done && b.status !== 'paid' && b.source !== 'run' && b.source_ref)
        settled.push({ billId: b.id, source: b.source, sourceRef: b.source_ref, paymentId: p.id, paidAt });
    }
    lines.push({ account: acct.clearing(p.channel), debit: p.amount_fen });
    await post(tx, this.k.clock, { communityId: p.community_id, kind: 'payment', refId: p.id, memo: p.out_trade_no, lines });
    return settled;
  }

  async getForRead(id: string) {
    const b = await this.repo.bill(id);
    if (!b) throw notFound('billing.bill_not_found');
    return b;
  }
}
