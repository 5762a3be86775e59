// Payments: online orders through the gateway, its signed notifications (credited exactly once,
// whatever their number, timing or order), offline payments recorded by staff, order timeout
// and close, and refunds.
import type { Kernel } from '../../kernel/index.js';
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import { iso } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { parseYuan } from '../../kernel/money.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { residents } from '../registry/index.js';
import { Bills } from './billing.bills.js';
import { CHARGE_PAID, CHARGE_REFUNDED, type ChargeRefunded } from './billing.events.js';
import { acct, post } from './billing.ledger.js';
import { outstanding, receiptNumber, type BillRow, type PaymentRow } from './billing.repository.js';
import { AlipayGateway, type Params, type PaymentGateway } from './billing.gateway.js';
import { SandboxLauncher } from './billing.sandbox.js';
import { PaymentsRepository } from './billing.payments.repository.js';

export type NotifyOutcome = 'credited' | 'duplicate' | 'ignored' | 'refused';

export class Payments {
  readonly bills: Bills;
  private sandbox: SandboxLauncher | null = null;
  private real: PaymentGateway | null = null;

  private payments: PaymentsRepository;
  constructor(
    private k: Kernel,
    private localBase: () => string = () => `http://127.0.0.1:${k.config.port}`,
  ) {
    this.bills = new Bills(k);
    this.payments = new PaymentsRepository(k.db);
    const c = k.config.payment;
    if (c.mode === 'gateway')
      this.real = new AlipayGateway({
        gatewayUrl: c.gatewayUrl!,
        appId: c.appId!,
        sellerId: c.sellerId,
        merchantPrivateKey: c.merchantPrivateKey!,
        gatewayPublicKey: c.gatewayPublicKey!,
      });
    else this.sandbox = new SandboxLauncher(k);
  }

  async gateway(): Promise<PaymentGateway> {
    return this.real ?? (await this.sandbox!.gateway()).gateway;
  }
  /** The sandbox's address (tests and the demo drive its payer API); null with a real gateway. */
  async sandboxUrl(): Promise<string | null> {
    return this.sandbox ? (await this.sandbox.gateway()).url : null;
  }
  stop() {
    this.sandbox?.stop();
  }

  /** The bills a resident may see and pay: those of the houses they live in, and charges made out to them. */
  async residentScope(residentId: string) {
    const r = await residents.get(this.k, residentId);
    return { houseIds: (r?.houses ?? []).map((h) => h.houseId), residentId };
  }

  async ownBills(actor: Actor, billIds: string[]): Promise<BillRow[]> {
    if (!actor.residentId) throw new AppError(403, 'auth.forbidden');
    const scope = await this.residentScope(actor.residentId);
    const rows = await this.bills.repo.bills([...new Set(billIds)]);
    if (rows.length !== new Set(billIds).size) throw notFound('billing.bill_not_found');
    for (const b of rows) {
      const mine = (b.house_id && scope.houseIds.includes(b.house_id)) || b.resident_id === actor.residentId;
      if (!mine || b.status === 'draft') throw notFound('billing.bill_not_found');
    }
    return rows;
  }

  /** A resident's online order for one or several open bills; returns where to pay. */
  async payOnline(actor: Actor, billIds: string[], returnBase: string) {
    const rows = await this.ownBills(actor, billIds);
    const open = rows.filter((b) => b.status === 'open' && outstanding(b) > 0);
    if (open.length !== rows.length) throw new AppError(409, 'billing.bill_not_open');
    if (new Set(open.map((b) => b.community_id)).size !== 1) throw new AppError(422, 'billing.nothing_to_pay');
    const amount = open.reduce((s, b) => s + outstanding(b), 0);
    const gw = await this.gateway();
    const now = this.k.clock.now();
    const id = newId('pay');
    const outTradeNo = id.replace('pay_', 'LL');
    const expires = new Date(now.getTime() + this.k.config.payment.orderTimeoutMinutes * 60_000);
    const p: PaymentRow = {
      id,
      community_id: open[0].community_id,
      place_path: open[0].place_path,
      resident_id: actor.residentId,
      user_id: actor.userId,
      channel: 'gateway',
      out_trade_no: outTradeNo,
      trade_no: null,
      amount_fen: amount,
      refunded_fen: 0,
      status: 'pending',
      receipt_no: null,
      offline_ref: null,
      expires_at: iso(expires),
      paid_at: null,
      created_by: actor.userId,
      created_at: iso(now),
    };
    await this.k.db.transaction().execute((tx) =>
      this.payments.insert(
        tx,
        p,
        open.map((b) => ({ billId: b.id, amountFen: outstanding(b) })),
      ),
    );
    const subject = open.length === 1 ? open[0].subject_zh : `${open[0].subject_zh} 等 ${open.length} 笔`;
    const payUrl = gw.payUrl({
      outTradeNo,
      amountFen: amount,
      subject: subject.slice(0, 120),
      now,
      timeoutMinutes: this.k.config.payment.orderTimeoutMinutes,
      notifyUrl: this.k.config.payment.notifyUrl ?? `${this.localBase()}/hooks/pay/notify`,
      returnUrl: `${returnBase}/portal/bills?payment=${id}`,
    });
    return { paymentId: id, outTradeNo, amountFen: amount, expiresAt: p.expires_at, payUrl };
  }

  /** An asynchronous notification from the gateway. Answer "success" only when it needs no resending. */
  async notify(params: Params): Promise<{ outcome: NotifyOutcome; reason?: string }> {
    const res = await this.judge(params);
    await this.payments.logNotification({
      id: newId('gwn'),
      outTradeNo: params.out_trade_no?.slice(0, 64) ?? null,
      tradeNo: params.trade_no?.slice(0, 64) ?? null,
      outcome: res.outcome,
      reason: res.reason ?? null,
      params: JSON.stringify(params).slice(0, 8000),
      at: iso(this.k.clock.now()),
    });
    if (res.outcome === 'refused') this.k.log.warn({ outTradeNo: params.out_trade_no, reason: res.reason }, 'billing: payment notification refused');
    return res;
  }

  private async judge(params: Params): Promise<{ outcome: NotifyOutcome; reason?: string }> {
    const gw = await this.gateway();
    if (!gw.verify(params)) return { outcome: 'refused', reason: 'bad_signature' };
    if (params.app_id !== gw.appId || (gw.sellerId && params.seller_id !== gw.sellerId)) return { outcome: 'refused', reason: 'wrong_merchant' };
    const p = params.out_trade_no ? await this.bills.repo.paymentByOutTradeNo(params.out_trade_no) : undefined;
    if (!p || p.channel !== 'gateway') return { outcome: 'refused', reason: 'unknown_order' };
    let amount: number;
    try {
      amount = parseYuan(params.total_amount ?? '');
    } catch {
      return { outcome: 'refused', reason: 'wrong_amount' };
    }
    if (amount !== p.amount_fen) return { outcome: 'refused', reason: 'wrong_amount' };
    const status = params.trade_status;
    if (status === 'TRADE_CLOSED') {
      // the gateway closed an unpaid order; a paid one stays paid whatever arrives after
      await this.payments.closePending(p.id);
      return { outcome: 'ignored', reason: 'closed' };
    }
    if (status !== 'TRADE_SUCCESS' && status !== 'TRADE_FINISHED') return { outcome: 'ignored', reason: status ?? 'no_status' };
    return this.credit(p, params.trade_no ?? null);
  }

  /** Credit a payment once: the status flip is the lock; of concurrent copies only one sees a row change. */
  private async credit(p: PaymentRow, tradeNo: string | null): Promise<{ outcome: NotifyOutcome }> {
    // the gateway's notification, not a person, credits it
    const actor = systemActor('billing.gateway-notify');
    const paidAt = iso(this.k.clock.now());
    const settled = await this.k.db.transaction().execute(async (tx) => {
      // a late notification for an order we closed on timeout is still money received: credit it
      if (!(await this.payments.markPaid(tx, p.id, tradeNo, paidAt))) return null;
      const out = await this.bills.applyPayment(tx, p, paidAt);
      // the receipt counter is one row every credit updates: take it last, so its lock is held briefly
      const year = paidAt.slice(0, 4);
      await this.payments.setReceiptNo(tx, p.id, receiptNumber(year, await this.bills.repo.next(tx, `receipt:${year}`)));
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'billing.payment.credited',
          targetType: 'Payment',
          targetId: p.id,
          scopePath: p.place_path,
          detail: { amountFen: p.amount_fen, tradeNo },
        },
        tx,
      );
      return out;
    });
    if (!settled) return { outcome: 'duplicate' };
    for (const s of settled) await this.k.events.publish(CHARGE_PAID, s);
    return { outcome: 'credited' };
  }

  /** Cash or bank transfer taken at the property office, with the paper receipt's number. */
  async recordOffline(actor: Actor, rows: BillRow[], o: { channel: 'cash' | 'transfer'; amountFen: number; offlineRef: string }, ip: string) {
    const open = rows.filter((b) => b.status === 'open' && outstanding(b) > 0);
    if (!open.length || open.length !== rows.length) throw new AppError(409, 'billing.bill_not_open');
    if (new Set(open.map((b) => b.community_id)).size !== 1) throw new AppError(422, 'billing.nothing_to_pay');
    const expected = open.reduce((s, b) => s + outstanding(b), 0);
    if (o.amountFen !== expected) throw new AppError(422, 'billing.amount_mismatch', { expected: (expected / 100).toFixed(2) });
    const now = iso(this.k.clock.now());
    const id = newId('pay');
    const p: PaymentRow = {
      id,
      community_id: open[0].community_id,
      place_path: open[0].place_path,
      resident_id: open[0].resident_id,
      user_id: null,
      channel: o.channel,
      out_trade_no: id.replace('pay_', 'OF'),
      trade_no: null,
      amount_fen: expected,
      refunded_fen: 0,
      status: 'paid',
      receipt_no: null,
      offline_ref: o.offlineRef,
      expires_at: null,
      paid_at: now,
      created_by: actor.userId,
      created_at: now,
    };
    const settled = await this.k.db.transaction().execute(async (tx) => {
      const year = now.slice(0, 4);
      p.receipt_no = receiptNumber(year, await this.bills.repo.next(tx, `receipt:${year}`));
      await this.payments.insert(
        tx,
        p,
        open.map((b) => ({ billId: b.id, amountFen: outstanding(b) })),
      );
      const out = await this.bills.applyPayment(tx, p, now);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'billing.payment.offline',
          targetType: 'Payment',
          targetId: id,
          scopePath: p.place_path,
          ip,
          detail: { channel: o.channel, amountFen: expected, offlineRef: o.offlineRef },
        },
        tx,
      );
      return out;
    });
    for (const s of settled) await this.k.events.publish(CHARGE_PAID, s);
    return p;
  }

  /** Refund part or all of a received payment (to the gateway, or in cash/transfer for offline ones). */
  async refund(actor: Actor | null, p: PaymentRow, o: { amountFen: number; reason: string }, ip: string | null = null) {
    if (p.status !== 'paid' && p.status !== 'refunded') throw new AppError(409, 'billing.payment_not_paid');
    const max = p.amount_fen - p.refunded_fen;
    if (o.amountFen <= 0 || o.amountFen > max) throw new AppError(422, 'billing.refund_too_much', { max: (max / 100).toFixed(2) });
    const outRequestNo = newId('rfd').replace('rfd_', 'RF');
    if (p.channel === 'gateway') {
      const r = await (
        await this.gateway()
      ).refund({ outTradeNo: p.out_trade_no, outRequestNo, amountFen: o.amountFen, reason: o.reason, now: this.k.clock.now() });
      if (!r.ok) throw new AppError(502, 'billing.gateway_error', { message: r.message || r.code });
    }
    const at = iso(this.k.clock.now());
    const out = await this.k.db.transaction().execute(async (tx) => {
      const added = await this.payments.addRefund(tx, p, {
        id: newId('rfd'),
        outRequestNo,
        amountFen: o.amountFen,
        reason: o.reason,
        by: actor?.userId ?? null,
        at,
      });
      if (!added) throw new AppError(422, 'billing.refund_too_much', { max: (max / 100).toFixed(2) });
      await post(tx, this.k.clock, {
        communityId: p.community_id,
        kind: 'refund',
        refId: p.id,
        memo: o.reason,
        lines: [
          { account: acct.refunds, debit: o.amountFen },
          { account: acct.clearing(p.channel), credit: o.amountFen },
        ],
      });
      await this.k.audit.record(
        {
          actorId: actor?.userId ?? null,
          actorName: actor?.name ?? null,
          action: 'billing.payment.refund',
          targetType: 'Payment',
          targetId: p.id,
          scopePath: p.place_path,
          ip,
          detail: { amountFen: o.amountFen, reason: o.reason, outRequestNo },
        },
        tx,
      );
      const items = await this.bills.repo.paymentItems(p.id, tx);
      const bills = await this.bills.repo.bills(
        items.map((i) => i.bill_id),
        tx,
      );
      return bills
        .filter((b) => b.source !== 'run' && b.source_ref)
        .map((b): ChargeRefunded => ({
          billId: b.id,
          source: b.source,
          sourceRef: b.source_ref!,
          paymentId: p.id,
          paidAt: p.paid_at!,
          refundedFen: o.amountFen,
          refundedAt: at,
        }));
    });
    for (const e of out) await this.k.events.publish(CHARGE_REFUNDED, e);
    return { paymentId: p.id, refundedFen: p.refunded_fen + o.amountFen, outRequestNo };
  }

  /** Close unpaid orders past their timeout, at the gateway first (a paid one is left for its notification). */
  async closeExpired(now: Date): Promise<number> {
    const actor = systemActor('billing.close-expired-orders');
    const due = await this.payments.expiredPending(iso(now), 200);
    let closed = 0;
    for (const p of due) {
      const r = await (await this.gateway()).close({ outTradeNo: p.out_trade_no, now });
      if (!r.ok && r.code !== 'ACQ.TRADE_NOT_EXIST') continue;
      if (!(await this.payments.closePending(p.id))) continue; // paid (or closed) meanwhile
      closed++;
      await this.k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'billing.payment.closed',
        targetType: 'Payment',
        targetId: p.id,
        scopePath: p.place_path,
        detail: { outTradeNo: p.out_trade_no, expiresAt: p.expires_at },
      });
    }
    return closed;
  }
}
