// The booking lifecycle: confirm / decline / done by the provider, payment through billing's
// charge and its `billing.charge.paid` event, rating once, cancellation under the service's rule
// (free or with the fee) and by the provider; each step audited and told to the other party.
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, systemActor, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { verifyAuditChain } from '../../kernel/audit/index.js';
import { CHARGE_PAID } from '../billing/index.js';
import { buildProvider } from './services.fixtures.js';
import { cancellationFee } from './services.states.js';
import { eventually as until } from '../../test/wait.js';

const T0 = '2026-12-01T00:00:00.000Z'; // Tuesday 08:00 in Shanghai
const day = (d: number, utcHour: number) => `2026-12-${String(d).padStart(2, '0')}T${String(utcHour).padStart(2, '0')}:00:00.000Z`;

describeEachDialect('services: booking lifecycle', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let resident: Client, provider: Client, cashier: Client;
  let ids: Record<string, string>;

  const book = async (slotStart: string) => {
    const r = await resident.req(
      'POST',
      '/api/v1/service-bookings',
      { serviceId: ids.service, houseId: w.house1.id, slotStart },
      { 'idempotency-key': crypto.randomUUID() },
    );
    expect(r.status).toBe(201);
    return r.json;
  };
  const act = (id: string, action: string, body: unknown = {}) => provider.post(`/api/v1/provider/bookings/${id}/${action}`, body);
  const inbox = async (c: Client) => (await c.get('/api/v1/notifications')).json.items as { kind: string; title: string; link: string }[];
  const remaining = async (slot: string) =>
    (await resident.get(`/api/v1/service-catalog/${ids.service}/slots?houseId=${w.house1.id}&days=10`)).json.items.find((s: any) => s.start === slot).remaining;
  const paid = (bookingId: string, billId: string, paymentId = 'pay_' + crypto.randomBytes(4).toString('hex')) =>
    t.kernel.events.publish(CHARGE_PAID, { billId, source: 'services', sourceRef: bookingId, paymentId, paidAt: clock.now().toISOString() });
  /**
   * A booking of `slot` paid through a CHARGE_PAID event published after everything published so
   * far: the bus hands events out in order, so once it is paid the earlier ones have been handled.
   */
  const eventsHandled = async (slot: string) => {
    const m = await book(slot);
    await act(m.id, 'confirm');
    const done = (await act(m.id, 'done')).json;
    await paid(m.id, done.billId);
    await until(async () => (await resident.get(`/api/v1/service-bookings/${m.id}`)).json.status === 'paid');
  };

  beforeAll(async () => {
    // sessions outlive the clock moves below
    t = await createTestApp(dialect, { clock, env: { LINLI_SESSION_IDLE_MINUTES: '1440' } });
    w = await buildWorld(t.kernel);
    const me = await buildResident(t.kernel, w.house1, { name: '李娜', phone: '13900004111' });
    await buildResidentUser(t.kernel, me, w.c1);
    const prov = await buildStaff(t.kernel, 'sf_prov', 'service_provider', w.c1);
    const p = await buildProvider(t.kernel, systemActor(), {
      communityId: w.c1.id,
      areaIds: [w.estate1.id],
      memberUserIds: [prov.id],
      service: { priceFen: 12000, freeCancelHours: 24, cancelFeeFen: 3000 },
    });
    ids = { provider: p.providerId, service: p.serviceId, provUser: prov.id };
    resident = await loginResident(t.app, '13900004111', PASSWORD);
    provider = await login(t.app, 'sf_prov', PASSWORD);
    await buildStaff(t.kernel, 'sf_pm', 'property_manager', w.c1);
    cashier = await login(t.app, 'sf_pm', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('walks requested → confirmed → done → paid → rated, billing the price once and auditing each step', async () => {
    const b = await book(day(3, 1));
    expect((await inbox(provider)).some((n) => n.kind === 'services.requested' && n.title.includes(b.number))).toBe(true);

    expect((await act(b.id, 'done')).status).toBe(409); // not confirmed yet
    const c = await act(b.id, 'confirm', { note: '准时到' });
    expect(c.json).toMatchObject({ status: 'confirmed', allowedActions: ['done', 'cancel'] });
    expect((await inbox(resident)).some((n) => n.kind === 'services.confirm' && n.link === `/portal/services/bookings/${b.id}`)).toBe(true);
    expect((await resident.post(`/api/v1/service-bookings/${b.id}/rate`, { rating: 5 })).json.code).toBe('services.not_ratable');

    const done = await act(b.id, 'done');
    expect(done.json.status).toBe('done');
    expect(done.json.billId).toBeTruthy(); // billing's createCharge made the bill
    expect(done.json.chargedFen).toBe(12000);
    const mine = await resident.get(`/api/v1/service-bookings/${b.id}`);
    expect(mine.json.allowedActions).toEqual(['pay']);
    const pay = await resident.post(`/api/v1/service-bookings/${b.id}/pay`, {});
    expect(pay.json).toEqual({ bookingId: b.id, billId: done.json.billId, amountFen: 12000 });

    // billing reports the payment (twice: a redelivery changes nothing)
    await paid(b.id, done.json.billId, 'pay_1');
    await paid(b.id, done.json.billId, 'pay_1');
    await until(async () => (await resident.get(`/api/v1/service-bookings/${b.id}`)).json.status === 'paid');
    await eventsHandled(day(6, 3));
    const afterPay = (await resident.get(`/api/v1/service-bookings/${b.id}`)).json;
    expect(afterPay.paymentId).toBe('pay_1');
    expect(afterPay.timeline.filter((e: any) => e.action === 'paid')).toHaveLength(1);
    expect(afterPay.allowedActions).toEqual(['rate']);

    const rated = await resident.post(`/api/v1/service-bookings/${b.id}/rate`, { rating: 5, comment: '很干净' });
    expect(rated.json).toMatchObject({ status: 'rated', rating: 5, ratingComment: '很干净' });
    const twice = await resident.post(`/api/v1/service-bookings/${b.id}/rate`, { rating: 1 });
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('services.already_rated');
    expect((await resident.post(`/api/v1/service-bookings/${b.id}/rate`, { rating: 6 })).status).toBe(422);
    expect((await inbox(provider)).some((n) => n.kind === 'services.rated')).toBe(true);

    const timeline = (await resident.get(`/api/v1/service-bookings/${b.id}`)).json.timeline;
    expect(timeline.map((e: any) => [e.action, e.toStatus, e.actorName])).toEqual([
      ['book', 'requested', '李娜'],
      ['confirm', 'confirmed', 'sf_prov'],
      ['done', 'done', 'sf_prov'],
      ['paid', 'paid', '系统'],
      ['rate', 'rated', '李娜'],
    ]);
    const audit = await t.kernel.db.selectFrom('audit_log').select(['action', 'actor_id', 'at']).where('target_id', '=', b.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'services.booking.book',
      'services.booking.confirm',
      'services.booking.done',
      'services.booking.paid',
      'services.booking.rate',
    ]);
    expect(audit[1].actor_id).toBe(ids.provUser);
    expect(audit[3].actor_id).toBe('sys_services_charge_paid'); // billing's event moved it: its system actor
    expect((await verifyAuditChain(t.kernel.db)).ok).toBe(true);
  });

  it('becomes paid when the property office records a cash payment of its bill in billing', async () => {
    const b = await book(day(6, 1));
    await act(b.id, 'confirm');
    const done = (await act(b.id, 'done')).json;
    const bill = await cashier.get(`/api/v1/billing/bills/${done.billId}`);
    expect(bill.status).toBe(200);
    const cash = await cashier.req(
      'POST',
      '/api/v1/billing/payments/offline',
      { billIds: [done.billId], channel: 'cash', amountFen: 12000, offlineRef: 'SJ-0001' },
      { 'idempotency-key': crypto.randomUUID() },
    );
    expect(cash.status).toBe(201);
    await until(async () => (await resident.get(`/api/v1/service-bookings/${b.id}`)).json.status === 'paid');
    expect((await resident.get(`/api/v1/service-bookings/${b.id}`)).json.paymentId).toBe(cash.json.id);
  });

  it('replays a booking request after its slot has begun, and refuses a new one for that slot', async () => {
    const key = crypto.randomUUID();
    const body = { serviceId: ids.service, houseId: w.house1.id, slotStart: day(1, 1) };
    const first = await resident.req('POST', '/api/v1/service-bookings', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    clock.set('2026-12-01T01:30:00.000Z');
    try {
      const again = await resident.req('POST', '/api/v1/service-bookings', body, { 'idempotency-key': key });
      expect(again.status).toBe(201);
      expect(again.json.id).toBe(first.json.id);
      expect(again.headers['idempotency-replayed']).toBe('true');
      const fresh = await resident.req('POST', '/api/v1/service-bookings', body, { 'idempotency-key': crypto.randomUUID() });
      expect(fresh.status).toBe(422);
      expect(fresh.json.errors[0].code).toBe('services.bad_slot');
    } finally {
      clock.set(T0);
    }
  });

  it('lets only the right party act: residents cannot confirm, providers cannot rate or cancel for the resident', async () => {
    const b = await book(day(3, 3));
    expect((await resident.post(`/api/v1/provider/bookings/${b.id}/confirm`, {})).status).toBe(403);
    expect((await provider.post(`/api/v1/service-bookings/${b.id}/cancel`, {})).status).toBe(403);
    expect((await provider.post(`/api/v1/service-bookings/${b.id}/rate`, { rating: 5 })).status).toBe(403);
    expect((await resident.post(`/api/v1/service-bookings/${b.id}/pay`, {})).json.code).toBe('services.not_payable');
  });

  it('declining gives the place back to the slot and tells the resident', async () => {
    const slot = day(4, 1);
    const b = await book(slot);
    expect(await remaining(slot)).toBe(1);
    const d = await act(b.id, 'decline', { note: '人手不足' });
    expect(d.json.status).toBe('declined');
    expect(await remaining(slot)).toBe(2);
    expect((await inbox(resident)).some((n) => n.kind === 'services.decline')).toBe(true);
    expect((await act(b.id, 'confirm')).status).toBe(409);
  });

  it('cancels free of charge before the free window ends', async () => {
    const slot = day(5, 1); // 4 days ahead, free window 24 h
    const b = await book(slot);
    await act(b.id, 'confirm');
    const c = await resident.post(`/api/v1/service-bookings/${b.id}/cancel`, { note: '临时有事' });
    expect(c.json).toMatchObject({ status: 'cancelled', cancelledBy: 'resident', chargedFen: null, billId: null, allowedActions: [] });
    expect(await remaining(slot)).toBe(2);
    expect((await inbox(provider)).some((n) => n.kind === 'services.cancelled' && n.title.includes(b.number))).toBe(true);
    expect((await resident.post(`/api/v1/service-bookings/${b.id}/cancel`, {})).status).toBe(409);
  });

  it('charges the fee of the rule for a late cancellation, and marks the fee paid when billing says so', async () => {
    const b = await book(day(1, 7)); // today 15:00 local, 7 hours ahead: inside the 24-hour window
    await act(b.id, 'confirm');
    const c = await resident.post(`/api/v1/service-bookings/${b.id}/cancel`, {});
    expect(c.json).toMatchObject({ status: 'cancelled', chargedFen: 3000, allowedActions: ['pay'] });
    expect(c.json.billId).toBeTruthy();
    await paid(b.id, c.json.billId);
    await until(async () => !!(await resident.get(`/api/v1/service-bookings/${b.id}`)).json.paidAt);
    const after = (await resident.get(`/api/v1/service-bookings/${b.id}`)).json;
    expect(after.status).toBe('cancelled');
    expect(after.allowedActions).toEqual([]);
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select('detail')
      .where('target_id', '=', b.id)
      .where('action', '=', 'services.booking.cancel')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toMatchObject({ feeFen: 3000, freeCancelHours: 24 });
  });

  it('applies the free window up to its boundary: exactly N hours before is free, a moment later is not', () => {
    const rule = { slot_start: '2026-12-02T01:00:00.000Z', free_cancel_hours: 24, cancel_fee_fen: 3000 };
    expect(cancellationFee(rule, new Date('2026-12-01T01:00:00.000Z'))).toBe(0);
    expect(cancellationFee(rule, new Date('2026-12-01T01:00:00.001Z'))).toBe(3000);
    expect(cancellationFee({ ...rule, free_cancel_hours: 0 }, new Date('2026-12-02T00:59:59.000Z'))).toBe(0);
  });

  it('lets the provider cancel a confirmed booking without a fee, and ignores payments of other sources', async () => {
    const b = await book(day(2, 3));
    await act(b.id, 'confirm');
    const c = await act(b.id, 'cancel', { note: '车辆故障' });
    expect(c.json).toMatchObject({ status: 'cancelled', cancelledBy: 'provider', chargedFen: null, billId: null });
    expect((await inbox(resident)).some((n) => n.kind === 'services.cancel')).toBe(true);

    const other = await book(day(2, 5));
    await act(other.id, 'confirm');
    const done = (await act(other.id, 'done')).json;
    await t.kernel.events.publish(CHARGE_PAID, { billId: done.billId, source: 'workorders', sourceRef: other.id, paymentId: 'p', paidAt: T0 });
    await t.kernel.events.publish(CHARGE_PAID, { billId: 'bill_not_this', source: 'services', sourceRef: other.id, paymentId: 'p', paidAt: T0 });
    await eventsHandled(day(6, 5));
    expect((await resident.get(`/api/v1/service-bookings/${other.id}`)).json.status).toBe('done');
  });
});
