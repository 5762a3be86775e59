// Payments through the sandbox gateway process: the real protocol end to end (signed
// notifications over HTTP), exactly-once crediting, refusals, timeout and close, refunds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { createCharge, CHARGE_PAID, CHARGE_REFUNDED, type ChargePaid, type ChargeRefunded } from './index.js';
import { signParams, type Params } from './billing.gateway.js';
import { balance, unbalancedTransactions } from './billing.ledger.js';
import { SANDBOX_APP_ID, SANDBOX_SELLER_ID } from './billing.sandbox.js';
import { capitalYuan } from './billing.receipt.js';
import { eventually as until } from '../../test/wait.js';

/** The text of every (deflated) stream of a PDF, to look into its fonts and ToUnicode maps. */
function pdfStreams(pdf: Buffer): string {
  const out: string[] = [];
  const s = pdf.toString('latin1');
  for (let i = s.indexOf('stream\n'); i !== -1; i = s.indexOf('stream\n', i + 7)) {
    const end = s.indexOf('endstream', i);
    const raw = pdf.subarray(i + 7, end);
    try {
      out.push(zlib.inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
  }
  return out.join('\n');
}

const T0 = '2026-11-25T02:00:00.000Z';
let keySeq = 0;
const key = () => `test-key-${Date.now()}-${++keySeq}`;

describeEachDialect('billing payments', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let me: Awaited<ReturnType<typeof buildResident>>;
  let resident: Client, pm: Client, pmC2: Client;
  let sandbox: string;
  const paid: ChargePaid[] = [];
  const refunded: ChargeRefunded[] = [];
  let ref = 0;

  const charge = (amountFen: number, source = 'services') =>
    createCharge(t.kernel, {
      communityId: w.c1.id,
      houseId: w.house1.id,
      residentId: me.id,
      source,
      sourceRef: `ref-${++ref}`,
      amountFen,
      subject: { zh: '家政保洁', en: 'Cleaning' },
    });
  const order = async (billIds: string[]) => {
    const r = await resident.req('POST', '/api/v1/me/payments', { billIds }, { 'idempotency-key': key() });
    expect(r.status, r.body).toBe(201);
    sandbox = new URL(r.json.payUrl).origin;
    // the payer opens the pay page: that is when the gateway learns of the order
    expect((await fetch(r.json.payUrl)).status).toBe(200);
    return r.json as { paymentId: string; outTradeNo: string; payUrl: string; amountFen: number };
  };
  const sandboxApi = async (outTradeNo: string, what: 'pay' | 'notification', body: Record<string, string>) => {
    const res = await fetch(`${sandbox}/sandbox/api/orders/${outTradeNo}/${what}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: SANDBOX_APP_ID, ...body }),
    });
    return (await res.json()) as { notification: Params; delivered: string | null };
  };
  const notify = (params: Params) =>
    t.app.inject({
      method: 'POST',
      url: '/hooks/pay/notify',
      payload: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const gatewayKey = () => fs.readFileSync(path.join(t.dir, 'sandbox-gateway', 'gateway-private.pem'), 'utf8');
  const payment = (id: string) => t.kernel.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    w = await buildWorld(t.kernel);
    me = await buildResident(t.kernel, w.house1, { name: '陈静', phone: '13900003333' });
    await buildResidentUser(t.kernel, me, w.c1);
    await buildStaff(t.kernel, 'bp_pm', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'bp_pm2', 'property_manager', w.c2);
    resident = await loginResident(t.app, '13900003333', PASSWORD);
    pm = await login(t.app, 'bp_pm', PASSWORD);
    pmC2 = await login(t.app, 'bp_pm2', PASSWORD);
    t.kernel.events.subscribe<ChargePaid>(CHARGE_PAID, (e) => void paid.push(e.payload));
    t.kernel.events.subscribe<ChargeRefunded>(CHARGE_REFUNDED, (e) => void refunded.push(e.payload));
  }, 60_000);
  afterAll(async () => t?.close());

  it('createCharge is idempotent on (source, sourceRef)', async () => {
    const input = {
      communityId: w.c1.id,
      houseId: w.house1.id,
      residentId: me.id,
      source: 'services',
      sourceRef: 'bk_same',
      amountFen: 8800,
      subject: { zh: '保洁', en: 'Cleaning' },
    };
    const [a, b] = await Promise.all([createCharge(t.kernel, input), createCharge(t.kernel, input)]);
    expect(a.billId).toBe(b.billId);
    expect((await createCharge(t.kernel, input)).billId).toBe(a.billId);
    await expect(createCharge(t.kernel, { ...input, amountFen: 9900 })).rejects.toMatchObject({ code: 'billing.charge_conflict' });
    const n = await t.kernel.db
      .selectFrom('bills')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source_ref', '=', 'bk_same')
      .executeTakeFirst();
    expect(Number(n?.n)).toBe(1);
  });

  it('a resident pays two bills through the sandbox gateway: the signed notification credits both and publishes charge.paid', async () => {
    const b1 = await charge(12000);
    const b2 = await charge(3550);
    const o = await order([b1.billId, b2.billId]);
    expect(o.amountFen).toBe(15550);
    sandbox = new URL(o.payUrl).origin;
    // the pay page verifies Linli's signature and shows the amount
    const page = await fetch(o.payUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('155.50');
    // the payer pays; the sandbox POSTs the notification to Linli's notify URL over HTTP
    const r = await sandboxApi(o.outTradeNo, 'pay', {});
    expect(r.delivered).toBe('success');
    const p = await payment(o.paymentId);
    expect(p.status).toBe('paid');
    expect(p.receipt_no).toMatch(/^SJ2026\d{7}$/);
    const bills = (await resident.get('/api/v1/me/bills')).json;
    for (const id of [b1.billId, b2.billId]) expect(bills.items.find((b: any) => b.id === id)).toMatchObject({ status: 'paid', outstandingFen: 0 });
    await until(() => paid.length >= 2);
    expect(paid.map((e) => e.billId)).toEqual(expect.arrayContaining([b1.billId, b2.billId]));
    expect(paid.find((e) => e.billId === b1.billId)).toMatchObject({ source: 'services', paymentId: o.paymentId });
    expect(await balance(t.kernel.db, `receivable:${w.house1.id}`)).toBe(8800); // only the idempotency test's charge is still owed
    expect(await unbalancedTransactions(t.kernel.db)).toEqual([]);
  }, 60_000);

  it('the receipt is a PDF with the Chinese text in an embedded Noto Sans SC font, for the resident and the staff', async () => {
    const p = await t.kernel.db.selectFrom('payments').selectAll().where('status', '=', 'paid').where('resident_id', '=', me.id).executeTakeFirstOrThrow();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/payments/${p.id}/receipt.pdf`, headers: { cookie: resident.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdf.toString('latin1') + pdfStreams(pdf);
    expect(text).toMatch(/NotoSansHans/);
    // the ToUnicode map sends the glyphs back to 收 款 收 据 (U+6536 U+6B3E U+636E) and the payer's name 陈 (U+9648)
    for (const cp of ['6536', '6b3e', '636e', '9648']) expect(text.toLowerCase()).toContain(`<${cp}>`);
    expect(capitalYuan(15550)).toBe('壹佰伍拾伍元伍角整');
    expect(capitalYuan(1005)).toBe('壹拾元零伍分');
    expect(capitalYuan(10000005)).toBe('壹拾万元零伍分');
    const staffCopy = await t.app.inject({ method: 'GET', url: `/api/v1/payments/${p.id}/receipt.pdf`, headers: { cookie: pm.cookie } });
    expect(staffCopy.statusCode).toBe(200);
    const other = await t.app.inject({ method: 'GET', url: `/api/v1/payments/${p.id}/receipt.pdf`, headers: { cookie: pmC2.cookie } });
    expect(other.statusCode).toBe(404);
  });

  it('50 concurrent copies of one notification credit the payment once', async () => {
    const b = await charge(5000);
    const o = await order([b.billId]);
    const { notification } = await sandboxApi(o.outTradeNo, 'pay', { deliver: 'false' });
    const before = paid.length;
    const res = await Promise.all(Array.from({ length: 50 }, () => notify(notification)));
    expect(res.every((r) => r.statusCode === 200 && r.body === 'success')).toBe(true);
    const log = await t.kernel.db.selectFrom('gateway_notifications').select(['outcome']).where('out_trade_no', '=', o.outTradeNo).execute();
    expect(log.filter((l) => l.outcome === 'credited')).toHaveLength(1);
    expect(log.filter((l) => l.outcome === 'duplicate')).toHaveLength(49);
    const txns = await t.kernel.db.selectFrom('ledger_transactions').select('id').where('kind', '=', 'payment').where('ref_id', '=', o.paymentId).execute();
    expect(txns).toHaveLength(1);
    const bill = await t.kernel.db.selectFrom('bills').selectAll().where('id', '=', b.billId).executeTakeFirstOrThrow();
    expect(bill.paid_fen).toBe(5000);
    // each copy published before it answered; a marker published now is delivered after all of them
    await t.kernel.events.publish(CHARGE_PAID, { billId: 'marker', source: 'test.marker', sourceRef: o.paymentId, paymentId: 'marker', paidAt: T0 });
    await until(() => paid.some((p) => p.billId === 'marker' && p.sourceRef === o.paymentId));
    expect(paid.slice(before).filter((p) => p.billId === b.billId)).toHaveLength(1);
  }, 60_000);

  it('refuses and logs a forged signature, a wrong amount, a wrong merchant and an unknown order', async () => {
    const b = await charge(7000);
    const o = await order([b.billId]);
    const { notification: good } = await sandboxApi(o.outTradeNo, 'notification', { trade_status: 'TRADE_SUCCESS' });
    const key = gatewayKey();
    const cases: [string, Params][] = [
      ['bad_signature', { ...good, total_amount: '0.01' }], // altered after signing
      ['bad_signature', signParams({ ...good, sign: '', sign_type: '' }, fs.readFileSync(path.join(t.dir, 'payment', 'merchant-private.pem'), 'utf8'))], // signed by someone else's key
      ['wrong_amount', signParams({ ...good, total_amount: '0.01' }, key)],
      ['wrong_merchant', signParams({ ...good, app_id: 'someone-else' }, key)],
      ['wrong_merchant', signParams({ ...good, seller_id: '2088999999999999' }, key)],
      ['unknown_order', signParams({ ...good, out_trade_no: 'LLNOSUCHORDER' }, key)],
    ];
    for (const [reason, params] of cases) {
      const r = await notify(params);
      expect(r.statusCode, reason).toBe(400);
      expect(r.body).toBe('fail');
    }
    const log = await t.kernel.db.selectFrom('gateway_notifications').select(['reason', 'outcome']).where('outcome', '=', 'refused').execute();
    expect(log.map((l) => l.reason).sort()).toEqual(cases.map((c) => c[0]).sort());
    // garbage is refused, never a server error
    for (const [payload, type] of [
      ['', 'application/x-www-form-urlencoded'],
      ['{"a":1}', 'application/json'],
      ['%%%&&&=', 'application/x-www-form-urlencoded'],
      ['x', 'text/plain'],
    ]) {
      const r = await t.app.inject({ method: 'POST', url: '/hooks/pay/notify', payload, headers: { 'content-type': type } });
      expect(r.statusCode, `${type} ${payload}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    expect((await payment(o.paymentId)).status).toBe('pending');
    expect(SANDBOX_SELLER_ID).toBe(good.seller_id);
  });

  it('credits a notification signed with sign_type inside the signed text (Alipay "V2", accepted by its SDK)', async () => {
    const b = await charge(6600);
    const o = await order([b.billId]);
    const { notification } = await sandboxApi(o.outTradeNo, 'notification', { trade_status: 'TRADE_SUCCESS' });
    const { sign: _v1, ...rest } = notification;
    const text = Object.keys(rest)
      .filter((k) => rest[k] !== '')
      .sort()
      .map((k) => `${k}=${rest[k]}`)
      .join('&');
    expect(text).toContain('sign_type=RSA2');
    const r = await notify({ ...rest, sign: crypto.sign('RSA-SHA256', Buffer.from(text, 'utf8'), gatewayKey()).toString('base64') });
    expect(r.body).toBe('success');
    expect((await payment(o.paymentId)).status).toBe('paid');
  });

  it('out of order and late: a close after payment changes nothing; a payment after the order timed out is still credited once', async () => {
    const b = await charge(4200);
    const o = await order([b.billId]);
    const { notification: success } = await sandboxApi(o.outTradeNo, 'pay', { deliver: 'false' });
    const { notification: closed } = await sandboxApi(o.outTradeNo, 'notification', { trade_status: 'TRADE_CLOSED' });
    expect((await notify(success)).body).toBe('success');
    expect((await notify(closed)).body).toBe('success');
    expect((await payment(o.paymentId)).status).toBe('paid');

    // timeout: the order is closed at the gateway and here; a late success (signed) still counts, once
    const b2 = await charge(1500);
    const o2 = await order([b2.billId]);
    clock.advance(16 * 60_000);
    await t.kernel.jobs.runDue(); // the order-timeout job closes it at the gateway, then here
    expect((await payment(o2.paymentId)).status).toBe('closed');
    const pageAfter = await (await fetch(o2.payUrl)).text();
    expect(pageAfter).toContain('已关闭');
    const { notification: lateTpl } = await sandboxApi(o2.outTradeNo, 'notification', {});
    const late = signParams({ ...lateTpl, trade_status: 'TRADE_SUCCESS', sign: '', sign_type: '' }, gatewayKey());
    expect((await notify(late)).body).toBe('success');
    expect((await notify(late)).body).toBe('success');
    expect((await payment(o2.paymentId)).status).toBe('paid');
    const credited = await t.kernel.db
      .selectFrom('gateway_notifications')
      .select('outcome')
      .where('out_trade_no', '=', o2.outTradeNo)
      .where('outcome', '=', 'credited')
      .execute();
    expect(credited).toHaveLength(1);
    clock.set(T0);
  }, 60_000);

  it('staff refund through the gateway (partial, then the rest); charge.refunded is published; no more than was paid', async () => {
    const b = await charge(10000);
    const o = await order([b.billId]);
    await sandboxApi(o.outTradeNo, 'pay', {});
    expect((await payment(o.paymentId)).status).toBe('paid');
    const r1 = await pm.req(
      'POST',
      `/api/v1/billing/payments/${o.paymentId}/refund`,
      { amountFen: 3000, reason: '服务取消一半' },
      { 'idempotency-key': key() },
    );
    expect(r1.status, r1.body).toBe(200);
    const tooMuch = await pm.req('POST', `/api/v1/billing/payments/${o.paymentId}/refund`, { amountFen: 7001, reason: 'x' }, { 'idempotency-key': key() });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json.code).toBe('billing.refund_too_much');
    const r2 = await pm.req('POST', `/api/v1/billing/payments/${o.paymentId}/refund`, { amountFen: 7000, reason: '全部退款' }, { 'idempotency-key': key() });
    expect(r2.status, r2.body).toBe(200);
    const p = await payment(o.paymentId);
    expect(p).toMatchObject({ status: 'refunded', refunded_fen: 10000 });
    await until(() => refunded.filter((e) => e.billId === b.billId).length === 2);
    expect(refunded.filter((e) => e.billId === b.billId).map((e) => e.refundedFen)).toEqual([3000, 7000]);
    expect(await balance(t.kernel.db, 'refunds')).toBeGreaterThanOrEqual(10000);
    // another community's manager does not see the payment
    const other = await pmC2.req('POST', `/api/v1/billing/payments/${o.paymentId}/refund`, { amountFen: 1, reason: 'x' }, { 'idempotency-key': key() });
    expect(other.status).toBe(404);
    expect(await unbalancedTransactions(t.kernel.db)).toEqual([]);
  }, 60_000);

  it('staff record a cash payment with the paper receipt number; the amount must match what is owed', async () => {
    // made out to another member of the household: the resident still sees it through the house
    const b = await createCharge(t.kernel, {
      communityId: w.c1.id,
      houseId: w.house1.id,
      residentId: 'res_family_member',
      source: 'manual',
      sourceRef: `ref-${++ref}`,
      amountFen: 2600,
      subject: { zh: '押金', en: 'Deposit' },
    });
    const wrong = await pm.req(
      'POST',
      '/api/v1/billing/payments/offline',
      { billIds: [b.billId], channel: 'cash', amountFen: 2500, offlineRef: 'No.0001' },
      { 'idempotency-key': key() },
    );
    expect(wrong.status).toBe(422);
    const k1 = key();
    const r = await pm.req(
      'POST',
      '/api/v1/billing/payments/offline',
      { billIds: [b.billId], channel: 'cash', amountFen: 2600, offlineRef: 'No.0001' },
      { 'idempotency-key': k1 },
    );
    expect(r.status, r.body).toBe(201);
    expect(r.json).toMatchObject({ status: 'paid', channel: 'cash', offlineRef: 'No.0001' });
    const again = await pm.req(
      'POST',
      '/api/v1/billing/payments/offline',
      { billIds: [b.billId], channel: 'cash', amountFen: 2600, offlineRef: 'No.0001' },
      { 'idempotency-key': k1 },
    );
    expect(again.json.id).toBe(r.json.id);
    expect(await balance(t.kernel.db, 'cash')).toBe(2600);
    // the resident of the house sees the office payment and may download its receipt
    expect((await resident.get('/api/v1/me/payments')).json.items.map((p: any) => p.id)).toContain(r.json.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/payments/${r.json.id}/receipt.pdf`, headers: { cookie: resident.cookie } })).statusCode).toBe(
      200,
    );
    const c2 = await pmC2.req(
      'POST',
      '/api/v1/billing/payments/offline',
      { billIds: [b.billId], channel: 'cash', amountFen: 2600, offlineRef: 'x' },
      { 'idempotency-key': key() },
    );
    expect(c2.status).toBe(404);
  });

  it("a resident asking for the staff's bill and payment lists gets none of them (not a 500)", async () => {
    // by now the resident has bills and payments of their own; the staff lists are not the way to them
    expect((await resident.get('/api/v1/me/payments')).json.items.length).toBeGreaterThan(0);
    for (const url of ['/api/v1/billing/bills', '/api/v1/billing/payments']) {
      const res = await resident.get(url);
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ items: [], total: 0 });
    }
  });
});
