// Providers, catalog, slots and booking: registration and its validation, provider accounts,
// what a resident can book, idempotent booking, the last place of a slot under concurrency, and
// who may see which booking (residents: their own; provider staff: their own provider's).
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, systemActor, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { buildProvider, everyDay } from './services.fixtures.js';

const T0 = '2026-12-01T00:00:00.000Z'; // Tuesday 08:00 in Shanghai
const SLOT = '2026-12-03T01:00:00.000Z'; // Thursday 09:00 in Shanghai
const key = () => crypto.randomUUID();

describeEachDialect('services: providers and booking', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let resident: Client, neighbour: Client, staff: Client, staffC2: Client, provA: Client, provB: Client, provNone: Client;
  let ids: Record<string, string>;

  const book = (c: Client, serviceId: string, slotStart = SLOT, houseId = w.house1.id, k = key()) =>
    c.req('POST', '/api/v1/service-bookings', { serviceId, houseId, slotStart }, { 'idempotency-key': k });

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    const me = await buildResident(t.kernel, w.house1, { name: '李娜', phone: '13900003111' });
    const nb = await buildResident(t.kernel, w.house1b, { name: '王芳', phone: '13900003222' });
    await buildResidentUser(t.kernel, me, w.c1);
    await buildResidentUser(t.kernel, nb, w.c1);
    const u = {
      staff: await buildStaff(t.kernel, 'sv_staff', 'community_staff', w.c1),
      staffC2: await buildStaff(t.kernel, 'sv_staff_c2', 'community_staff', w.c2),
      provA: await buildStaff(t.kernel, 'sv_prov_a', 'service_provider', w.c1),
      provB: await buildStaff(t.kernel, 'sv_prov_b', 'service_provider', w.c1),
      provNone: await buildStaff(t.kernel, 'sv_prov_none', 'service_provider', w.c1),
      tech: await buildStaff(t.kernel, 'sv_tech', 'technician', w.c1),
    };
    ids = { ...Object.fromEntries(Object.entries(u).map(([k, v]) => [k, v.id])), me: me.id, nb: nb.id };
    resident = await loginResident(t.app, '13900003111', PASSWORD);
    neighbour = await loginResident(t.app, '13900003222', PASSWORD);
    staff = await login(t.app, 'sv_staff', PASSWORD);
    staffC2 = await login(t.app, 'sv_staff_c2', PASSWORD);
    provA = await login(t.app, 'sv_prov_a', PASSWORD);
    provB = await login(t.app, 'sv_prov_b', PASSWORD);
    provNone = await login(t.app, 'sv_prov_none', PASSWORD);
  });
  afterAll(async () => t?.close());

  it('lets community staff register a provider with a service, weekly hours and service areas', async () => {
    const p = await staff.post('/api/v1/service-providers', {
      communityId: w.c1.id,
      category: 'housekeeping',
      nameZh: '好帮手家政',
      nameEn: 'Good Helper',
      areaIds: [w.estate1.id],
    });
    expect(p.status).toBe(201);
    const s = await staff.post(`/api/v1/service-providers/${p.json.id}/services`, {
      category: 'housekeeping',
      nameZh: '日常保洁',
      nameEn: 'Regular cleaning',
      priceFen: 12000,
      durationMinutes: 120,
      freeCancelHours: 24,
      cancelFeeFen: 3000,
    });
    expect(s.status).toBe(201);
    const h = await staff.req('PUT', `/api/v1/service-providers/${p.json.id}/services/${s.json.id}/hours`, { hours: everyDay('09:00', '17:00', 2) });
    expect(h.status).toBe(200);
    const m = await staff.post(`/api/v1/service-providers/${p.json.id}/members`, { userId: ids.provA });
    expect(m.status).toBe(201);
    const d = await staff.get(`/api/v1/service-providers/${p.json.id}`);
    expect(d.json.areas).toEqual([{ placeId: w.estate1.id, name: '花家地西里' }]);
    expect(d.json.services[0]).toMatchObject({ name: '日常保洁', priceFen: 12000, durationMinutes: 120, freeCancelHours: 24, cancelFeeFen: 3000 });
    expect(d.json.services[0].hours).toHaveLength(7);
    expect(d.json.members).toEqual([expect.objectContaining({ userId: ids.provA, name: 'sv_prov_a' })]);
    ids.providerA = p.json.id;
    ids.serviceA = s.json.id;
    const list = await staff.get('/api/v1/service-providers');
    expect(list.json.items.map((x: any) => x.id)).toContain(p.json.id);
    expect((await staffC2.get('/api/v1/service-providers')).json.items.map((x: any) => x.id)).not.toContain(p.json.id);
    expect((await staffC2.get(`/api/v1/service-providers/${p.json.id}`)).status).toBe(404);
  });

  it('refuses bad provider input with field errors and keeps other communities out', async () => {
    const other = await staff.post('/api/v1/service-providers', {
      communityId: w.c1.id,
      category: 'moving',
      nameZh: '搬家',
      nameEn: 'Moving',
      areaIds: [w.estate2.id],
    });
    expect(other.status).toBe(422);
    expect(other.json.errors).toEqual([expect.objectContaining({ field: 'areaIds.0', code: 'services.bad_area' })]);
    expect(
      (await staff.post('/api/v1/service-providers', { communityId: w.c2.id, category: 'moving', nameZh: '搬家', nameEn: 'Moving', areaIds: [w.estate2.id] }))
        .status,
    ).toBe(404);
    const neg = await staff.post(`/api/v1/service-providers/${ids.providerA}/services`, {
      category: 'housekeeping',
      nameZh: 'x',
      nameEn: 'x',
      priceFen: -1,
      durationMinutes: 60,
      freeCancelHours: 1,
      cancelFeeFen: 0,
    });
    expect(neg.status).toBe(422);
    expect(neg.json.errors[0].field).toBe('priceFen');
    const overlap = await staff.req('PUT', `/api/v1/service-providers/${ids.providerA}/services/${ids.serviceA}/hours`, {
      hours: [
        { weekday: 1, start: '09:00', end: '12:00', capacity: 1 },
        { weekday: 1, start: '11:00', end: '13:00', capacity: 1 },
      ],
    });
    expect(overlap.status).toBe(422);
    expect(overlap.json.errors[0]).toMatchObject({ field: 'hours.1', code: 'services.bad_hours' });
    // the hours stored before are still there
    expect((await staff.get(`/api/v1/service-providers/${ids.providerA}`)).json.services[0].hours).toHaveLength(7);
    // only accounts with the service-provider role can be linked, and each to one provider
    expect((await staff.post(`/api/v1/service-providers/${ids.providerA}/members`, { userId: ids.tech })).status).toBe(422);
    expect((await staff.post(`/api/v1/service-providers/${ids.providerA}/members`, { userId: ids.provA })).status).toBe(409);
    expect(
      (
        await resident.post('/api/v1/service-providers', {
          communityId: w.c1.id,
          category: 'moving',
          nameZh: '搬家',
          nameEn: 'Moving',
          areaIds: [w.estate1.id],
        })
      ).status,
    ).toBe(403);
  });

  it('shows a resident the services offered at their house, with slots and remaining places', async () => {
    const b = await buildProvider(t.kernel, systemActor(), {
      communityId: w.c1.id,
      areaIds: [w.c1.id],
      nameZh: '安心维修',
      category: 'appliance_repair',
      memberUserIds: [ids.provB],
      service: { nameZh: '空调清洗', durationMinutes: 60 },
    });
    ids.providerB = b.providerId;
    ids.serviceB = b.serviceId;
    const far = await buildProvider(t.kernel, systemActor(), { communityId: w.c2.id, areaIds: [w.estate2.id], nameZh: '南湖家政' });
    const cat = await resident.get(`/api/v1/service-catalog?houseId=${w.house1.id}`);
    expect(cat.status).toBe(200);
    const names = cat.json.items.map((p: any) => p.name);
    expect(names).toEqual(expect.arrayContaining(['好帮手家政', '安心维修']));
    expect(names).not.toContain('南湖家政');
    expect((await resident.get(`/api/v1/service-catalog?houseId=${w.house2.id}`)).status).toBe(422);
    expect((await resident.get(`/api/v1/service-catalog/${far.serviceId}/slots?houseId=${w.house1.id}`)).status).toBe(404);
    const slots = await resident.get(`/api/v1/service-catalog/${ids.serviceA}/slots?houseId=${w.house1.id}&days=3`);
    expect(slots.json.timeZone).toBe('Asia/Shanghai');
    // 09:00, 11:00, 13:00, 15:00 local = 01, 03, 05, 07 UTC; today's first slot is after 08:00 local
    expect(slots.json.items.slice(0, 4).map((s: any) => s.start)).toEqual([
      '2026-12-01T01:00:00.000Z',
      '2026-12-01T03:00:00.000Z',
      '2026-12-01T05:00:00.000Z',
      '2026-12-01T07:00:00.000Z',
    ]);
    expect(slots.json.items).toHaveLength(12);
    expect(slots.json.items[0]).toMatchObject({ end: '2026-12-01T03:00:00.000Z', capacity: 2, remaining: 2 });
  });

  it('books idempotently: a retried request with the same key books once', async () => {
    const k = key();
    const first = await book(resident, ids.serviceA, SLOT, w.house1.id, k);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      status: 'requested',
      serviceName: '日常保洁',
      priceFen: 12000,
      slotStart: SLOT,
      slotEnd: '2026-12-03T03:00:00.000Z',
      allowedActions: ['cancel'],
    });
    const again = await book(resident, ids.serviceA, SLOT, w.house1.id, k);
    expect(again.status).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json.id).toBe(first.json.id);
    const mine = await resident.get('/api/v1/service-bookings');
    expect(mine.json.items.filter((b: any) => b.slotStart === SLOT)).toHaveLength(1);
    const slots = await resident.get(`/api/v1/service-catalog/${ids.serviceA}/slots?houseId=${w.house1.id}&days=3`);
    expect(slots.json.items.find((s: any) => s.start === SLOT).remaining).toBe(1);
    ids.bookingA = first.json.id;
    // no key, a slot the hours do not offer, another's house
    expect((await resident.post('/api/v1/service-bookings', { serviceId: ids.serviceA, houseId: w.house1.id, slotStart: SLOT })).status).toBe(400);
    const bad = await book(resident, ids.serviceA, '2026-12-03T02:00:00.000Z');
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ field: 'slotStart', code: 'services.bad_slot' });
    expect((await book(resident, ids.serviceA, 'not a time')).status).toBe(422);
    expect((await book(resident, ids.serviceA, SLOT, w.house1b.id)).status).toBe(422);
  });

  it('gives the last place of a slot to exactly one of several concurrent bookings', async () => {
    const slot = '2026-12-04T03:00:00.000Z';
    const res = await Promise.all([
      book(resident, ids.serviceA, slot),
      book(neighbour, ids.serviceA, slot, w.house1b.id),
      book(resident, ids.serviceA, slot),
      book(neighbour, ids.serviceA, slot, w.house1b.id),
      book(resident, ids.serviceA, slot),
    ]);
    const codes = res.map((r) => r.status).sort();
    expect(codes).toEqual([201, 201, 409, 409, 409]); // capacity 2
    expect(res.find((r) => r.status === 409)!.json.code).toBe('services.slot_full');
    const slots = await resident.get(`/api/v1/service-catalog/${ids.serviceA}/slots?houseId=${w.house1.id}&days=5`);
    expect(slots.json.items.find((s: any) => s.start === slot).remaining).toBe(0);
    const seats = await t.kernel.db.selectFrom('svc_slot_seats').select('seat').where('service_id', '=', ids.serviceA).where('slot_start', '=', slot).execute();
    expect(seats.map((s) => Number(s.seat)).sort()).toEqual([1, 2]);
  });

  it('shows provider staff only their own provider’s bookings; another provider’s is 404', async () => {
    const bB = await book(resident, ids.serviceB, '2026-12-03T02:00:00.000Z');
    expect(bB.status).toBe(201);
    const listA = await provA.get('/api/v1/provider/bookings');
    expect(listA.status).toBe(200);
    expect(listA.json.items.every((b: any) => b.providerId === ids.providerA)).toBe(true);
    expect(listA.json.items.map((b: any) => b.id)).toContain(ids.bookingA);
    expect(listA.json.items.map((b: any) => b.id)).not.toContain(bB.json.id);
    expect((await provB.get('/api/v1/provider/bookings')).json.items.map((b: any) => b.id)).toEqual([bB.json.id]);
    expect((await provA.get(`/api/v1/provider/bookings/${bB.json.id}`)).status).toBe(404);
    expect((await provA.post(`/api/v1/provider/bookings/${bB.json.id}/confirm`, {})).status).toBe(404);
    expect((await provB.get(`/api/v1/provider/bookings/${bB.json.id}`)).json.allowedActions).toEqual(['confirm', 'decline']);
    expect((await provA.get('/api/v1/provider/me')).json.name).toBe('好帮手家政');
    // an account with the role but linked to no provider sees nothing
    const none = await provNone.get('/api/v1/provider/bookings');
    expect(none.status).toBe(403);
    expect(none.json.code).toBe('services.not_provider_member');
    // residents see their own; staff see their community's; the other community's staff nothing
    expect((await neighbour.get(`/api/v1/service-bookings/${ids.bookingA}`)).status).toBe(404);
    expect((await resident.get(`/api/v1/service-bookings/${ids.bookingA}`)).status).toBe(200);
    expect((await staff.get(`/api/v1/service-bookings/${ids.bookingA}`)).json.residentName).toBe('李娜');
    expect((await staffC2.get(`/api/v1/service-bookings/${ids.bookingA}`)).status).toBe(404);
    expect((await staffC2.get('/api/v1/service-bookings')).json.total).toBe(0);
    // a provider may not use the residents' or staff's booking routes
    expect((await provA.get(`/api/v1/service-bookings/${ids.bookingA}`)).status).toBe(403);
  });

  it('lets provider staff set the hours of their own services only', async () => {
    const mine = await provB.req('PUT', `/api/v1/provider/services/${ids.serviceB}/hours`, {
      hours: [{ weekday: 4, start: '10:00', end: '12:00', capacity: 1 }],
    });
    expect(mine.status).toBe(200);
    expect(mine.json.hours).toEqual([{ weekday: 4, start: '10:00', end: '12:00', capacity: 1 }]);
    const slots = await resident.get(`/api/v1/service-catalog/${ids.serviceB}/slots?houseId=${w.house1.id}&days=7`);
    // Thursday 3 December, 10:00 and 11:00 local (the service takes 60 minutes)
    expect(slots.json.items.map((s: any) => s.start)).toEqual(['2026-12-03T02:00:00.000Z', '2026-12-03T03:00:00.000Z']);
    expect((await provA.req('PUT', `/api/v1/provider/services/${ids.serviceB}/hours`, { hours: [] })).status).toBe(404);
    expect((await provNone.req('PUT', `/api/v1/provider/services/${ids.serviceB}/hours`, { hours: [] })).status).toBe(403);
    expect((await provB.get(`/api/v1/service-providers/${ids.providerB}`)).status).toBe(403);
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'services.service.hours')
      .where('target_id', '=', ids.providerB)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(ids.provB);
  });

  it('offers no slots for an inactive service and refuses to book it', async () => {
    const off = await staff.patch(`/api/v1/service-providers/${ids.providerA}/services/${ids.serviceA}`, { active: false });
    expect(off.json.active).toBe(false);
    expect((await resident.get(`/api/v1/service-catalog?houseId=${w.house1.id}`)).json.items.map((p: any) => p.id)).not.toContain(ids.providerA);
    const r = await book(resident, ids.serviceA, '2026-12-05T01:00:00.000Z');
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('services.service_inactive');
    await staff.patch(`/api/v1/service-providers/${ids.providerA}/services/${ids.serviceA}`, { active: true });
  });
});
