import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { verifyAuditChain } from '../../kernel/audit/index.js';
import { WO_COST_RECORDED, type CostRecorded } from './index.js';
import { ALARM_CREATED, type AlarmCreated } from '../alarms/index.js';
import { eventually as until } from '../../test/wait.js';
import { defineEvent } from '../../kernel/events/index.js';

const T0 = '2026-11-25T02:00:00.000Z'; // 10:00 in Shanghai
const MARKER = defineEvent<Record<string, never>>('test.workorders.marker');

const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);

function multipart(file: { name: string; data: Buffer; type?: string }) {
  const boundary = '----linli' + crypto.randomBytes(8).toString('hex');
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'image/png'}\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDialect('work orders', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let me: Awaited<ReturnType<typeof buildResident>>;
  let resident: Client, neighbour: Client, tech1: Client, tech2: Client, pm: Client, staff: Client, guard: Client, techC2: Client;
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    me = await buildResident(t.kernel, w.house1, { name: '李娜', phone: '13900001111' });
    const nb = await buildResident(t.kernel, w.house1b, { name: '王芳', phone: '13900002222' });
    await buildResidentUser(t.kernel, me, w.c1);
    await buildResidentUser(t.kernel, nb, w.c1);
    const u = {
      tech1: await buildStaff(t.kernel, 'wo_tech1', 'technician', w.c1),
      tech2: await buildStaff(t.kernel, 'wo_tech2', 'technician', w.c1),
      pm: await buildStaff(t.kernel, 'wo_pm', 'property_manager', w.c1),
      staff: await buildStaff(t.kernel, 'wo_staff', 'community_staff', w.c1),
      guard: await buildStaff(t.kernel, 'wo_guard', 'security_guard', w.c1),
      techC2: await buildStaff(t.kernel, 'wo_tech_c2', 'technician', w.c2),
    };
    ids = Object.fromEntries(Object.entries(u).map(([k, v]) => [k, v.id]));
    resident = await loginResident(t.app, '13900001111', PASSWORD);
    neighbour = await loginResident(t.app, '13900002222', PASSWORD);
    tech1 = await login(t.app, 'wo_tech1', PASSWORD);
    tech2 = await login(t.app, 'wo_tech2', PASSWORD);
    pm = await login(t.app, 'wo_pm', PASSWORD);
    staff = await login(t.app, 'wo_staff', PASSWORD);
    guard = await login(t.app, 'wo_guard', PASSWORD);
    techC2 = await login(t.app, 'wo_tech_c2', PASSWORD);
  });
  afterAll(async () => t?.close());

  async function upload(c: Client, data = png(), name = 'leak.png') {
    const m = multipart({ name, data });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/work-orders/photos',
      payload: m.payload,
      headers: { 'content-type': m.contentType, cookie: c.cookie, 'x-csrf-token': c.csrf },
    });
    return { status: res.statusCode, json: res.json() };
  }

  async function request(body: Record<string, unknown> = {}) {
    const res = await resident.post('/api/v1/repair-requests', { placeId: w.house1.id, category: 'plumbing', description: '厨房下水道堵塞', ...body });
    expect(res.status, res.body).toBe(201);
    return res.json;
  }

  it('lists the categories with their SLA', async () => {
    const res = await resident.get('/api/v1/work-order-categories');
    expect(res.status).toBe(200);
    const elevator = res.json.items.find((c: any) => c.code === 'elevator');
    expect(elevator).toMatchObject({ nameZh: '电梯', priority: 'urgent', responseMinutes: 15, resolveMinutes: 240 });
    expect(res.json.items.map((c: any) => c.code)).toEqual(
      expect.arrayContaining(['water', 'plumbing', 'electrical', 'door', 'public_area', 'appliance', 'other']),
    );
  });

  it("lets the property manager set the community's own SLA for a category; new orders follow it", async () => {
    const body = { communityId: w.c1.id, nameZh: '门禁', nameEn: 'Door access', priority: 'urgent', responseMinutes: 30, resolveMinutes: 300 };
    const res = await pm.put('/api/v1/work-order-categories/door', body);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ code: 'door', communityId: w.c1.id, priority: 'urgent', responseMinutes: 30, resolveMinutes: 300 });
    const doors = (await resident.get('/api/v1/work-order-categories')).json.items.filter((c: any) => c.code === 'door');
    expect(doors).toEqual([expect.objectContaining({ communityId: w.c1.id, responseMinutes: 30 })]);
    const wo = await request({ category: 'door', description: '单元门禁刷不开' });
    expect(Date.parse(wo.respondBy) - Date.parse(wo.createdAt)).toBe(30 * 60_000);
    expect(wo.priority).toBe('urgent');
    // the other community keeps the default; this manager cannot touch it
    expect((await pm.put('/api/v1/work-order-categories/door', { ...body, communityId: w.c2.id })).status).toBe(404);
    expect((await tech1.put('/api/v1/work-order-categories/door', body)).status).toBe(403);
    const bad = await pm.put('/api/v1/work-order-categories/door', { ...body, resolveMinutes: 10 });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ field: 'resolveMinutes', code: 'workorders.resolve_before_response' });
    const audit = await t.kernel.db.selectFrom('audit_log').select('detail').where('action', '=', 'workorders.category.save').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ code: 'door', responseMinutes: 30, previous: { communityId: null, responseMinutes: 60 } });
  });

  it('lets a resident file a repair request with a photo for their house, and only for their house', async () => {
    const up = await upload(resident);
    expect(up.status).toBe(201);
    const wo = await request({ photoIds: [up.json.id], preferredTime: '今晚 19:00 以后' });
    expect(wo).toMatchObject({
      status: 'new',
      source: 'resident',
      residentId: me.id,
      houseId: w.house1.id,
      categoryCode: 'plumbing',
      preferredTime: '今晚 19:00 以后',
    });
    expect(wo.number).toMatch(/^WO-20261125-\d{4}$/);
    expect(wo.allowedActions).toContain('cancel');

    const detail = await resident.get(`/api/v1/work-orders/${wo.id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.photos).toEqual([expect.objectContaining({ id: up.json.id })]);
    expect(detail.json.timeline).toEqual([expect.objectContaining({ action: 'create', toStatus: 'new', photoIds: [up.json.id] })]);

    const img = await resident.get(`/api/v1/work-orders/photos/${up.json.id}`);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect((await guard.get(`/api/v1/work-orders/photos/${up.json.id}`)).status).toBe(200);
    expect((await neighbour.get(`/api/v1/work-orders/photos/${up.json.id}`)).status).toBe(404);
    expect((await techC2.get(`/api/v1/work-orders/photos/${up.json.id}`)).status).toBe(404);

    // a photo is attached once
    const again = await resident.post('/api/v1/repair-requests', { placeId: w.house1.id, category: 'plumbing', description: 'x', photoIds: [up.json.id] });
    expect(again.status).toBe(422);
    expect(again.json.errors[0].code).toBe('workorders.bad_photo');

    // another house of the same unit, a house of another community
    for (const placeId of [w.house1b.id, w.house2.id]) {
      const res = await resident.post('/api/v1/repair-requests', { placeId, category: 'plumbing', description: '漏水' });
      expect(res.status).toBe(422);
      expect(res.json.errors[0].code).toBe('workorders.not_your_house');
    }
    // a public place of their community, but not of another one
    expect((await resident.post('/api/v1/repair-requests', { placeId: w.estate1.id, category: 'public_area', description: '路灯不亮' })).status).toBe(201);
    const far = await resident.post('/api/v1/repair-requests', { placeId: w.estate2.id, category: 'public_area', description: '路灯不亮' });
    expect(far.status).toBe(422);
    expect(far.json.errors[0].code).toBe('workorders.place_not_in_community');
    const badCat = await resident.post('/api/v1/repair-requests', { placeId: w.house1.id, category: 'spaceship', description: 'x' });
    expect(badCat.json.errors[0].code).toBe('workorders.unknown_category');

    // only images, at most 5 MB
    expect((await upload(resident, Buffer.from('hello, not an image'), 'a.txt')).status).toBe(415);
    expect((await upload(resident, Buffer.concat([png(), Buffer.alloc(5 * 1024 * 1024)]))).status).toBe(413);
  });

  it('lets two technicians race for an order: exactly one grabs it; the winner starts, resolves with a photo; the resident rates it closed', async () => {
    const wo = await request();
    const open = await tech1.get('/api/v1/work-orders?open=true');
    expect(open.json.items.map((i: any) => i.id)).toContain(wo.id);

    const [a, b] = await Promise.all([tech1.post(`/api/v1/work-orders/${wo.id}/grab`), tech2.post(`/api/v1/work-orders/${wo.id}/grab`)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [tech1, tech2] : [tech2, tech1];
    const loserRes = a.status === 200 ? b : a;
    expect(loserRes.json.code).toBe('workorders.already_taken');
    const won = a.status === 200 ? a.json : b.json;
    expect(won).toMatchObject({ status: 'assigned', assigneeId: winner.user.id });
    expect(won.respondedAt).toBeTruthy();

    expect((await loser.post(`/api/v1/work-orders/${wo.id}/start`)).json.code).toBe('workorders.not_assignee');
    expect((await winner.post(`/api/v1/work-orders/${wo.id}/start`, { note: '已到现场' })).json.status).toBe('in_progress');
    expect((await winner.post(`/api/v1/work-orders/${wo.id}/pause`, { note: '等配件' })).json.status).toBe('paused');
    expect((await winner.post(`/api/v1/work-orders/${wo.id}/resume`)).json.status).toBe('in_progress');
    const mine = await winner.get('/api/v1/work-orders?mine=true&status=in_progress');
    expect(mine.json.items.map((i: any) => i.id)).toEqual([wo.id]);

    const photo = await upload(winner);
    const resolved = await winner.post(`/api/v1/work-orders/${wo.id}/resolve`, { note: '已疏通', photoIds: [photo.json.id] });
    expect(resolved.status, resolved.body).toBe(200);
    expect(resolved.json).toMatchObject({ status: 'resolved' });
    expect((await resident.get(`/api/v1/work-orders/photos/${photo.json.id}`)).status).toBe(200);

    const seen = await resident.get(`/api/v1/work-orders/${wo.id}`);
    expect(seen.json.allowedActions).toEqual(expect.arrayContaining(['close', 'reopen', 'rate']));
    const rated = await resident.post(`/api/v1/work-orders/${wo.id}/rate`, { rating: 5, comment: '师傅很专业' });
    expect(rated.status, rated.body).toBe(200);
    expect(rated.json).toMatchObject({ status: 'closed', rating: 5, ratingComment: '师傅很专业' });
    expect(rated.json.closedAt).toBeTruthy();
    const twice = await resident.post(`/api/v1/work-orders/${wo.id}/rate`, { rating: 1 });
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('workorders.already_rated');

    const detail = await resident.get(`/api/v1/work-orders/${wo.id}`);
    expect(detail.json.timeline.map((e: any) => e.action)).toEqual(['create', 'grab', 'start', 'pause', 'resume', 'resolve', 'rate']);
    expect(detail.json.photos.map((p: any) => p.id)).toEqual([photo.json.id]);

    // the resident heard of every status change; the winner of the rating
    const inbox = await t.kernel.notify.list(resident.user.id);
    const mineNotes = inbox.items.filter((n) => n.kind === 'workorders.status' && n.title.includes(wo.number));
    expect(mineNotes.length).toBe(5); // assigned, in progress, paused, in progress, resolved (the rating was the resident's own act)
  });

  it('gives each contested order to exactly one of three concurrent grabbers', async () => {
    for (let round = 0; round < 4; round++) {
      const wo = await request();
      const results = await Promise.all([tech1, tech2, pm].map((c) => c.post(`/api/v1/work-orders/${wo.id}/grab`)));
      expect(results.filter((r) => r.status === 200).length).toBe(1);
      expect(results.filter((r) => r.status === 409).every((r) => r.json.code === 'workorders.already_taken')).toBe(true);
      const rows = await t.kernel.db.selectFrom('wo_events').select('action').where('work_order_id', '=', wo.id).where('action', '=', 'grab').execute();
      expect(rows.length).toBe(1);
    }
  });

  it('refuses illegal transitions with 409 and a clear code', async () => {
    const wo = await request();
    const code = async (c: Client, action: string, body: unknown = {}) => {
      const res = await c.post(`/api/v1/work-orders/${wo.id}/${action}`, body);
      return `${res.status} ${res.json?.code ?? res.json?.status}`;
    };
    expect(await code(pm, 'start')).toBe('409 workorders.illegal_transition');
    expect(await code(pm, 'resolve')).toBe('409 workorders.illegal_transition');
    expect(await code(pm, 'close')).toBe('409 workorders.illegal_transition');
    expect(await code(pm, 'reopen')).toBe('409 workorders.illegal_transition');
    expect(await code(resident, 'rate', { rating: 4 })).toBe('409 workorders.not_ratable');
    expect(await code(pm, 'assign', { assigneeId: ids.guard })).toBe('422 validation.failed'); // a guard takes no orders
    expect(await code(pm, 'assign', { assigneeId: ids.techC2 })).toBe('422 validation.failed'); // nor a technician of another community
    expect(await code(pm, 'assign', { assigneeId: ids.tech1, version: 99 })).toBe('409 workorders.version_conflict');
    expect(await code(pm, 'assign', { assigneeId: ids.tech1 })).toBe('200 assigned');
    expect((await t.kernel.notify.list(ids.tech1)).items.some((n) => n.kind === 'workorders.assigned' && n.title.includes(wo.number))).toBe(true);
    expect(await code(tech2, 'grab')).toBe('409 workorders.already_taken');
    expect(await code(resident, 'cancel')).toBe('409 workorders.resident_cancel_only_new');
    expect(await code(tech1, 'cancel')).toBe('403 auth.forbidden');
    expect(await code(staff, 'cancel', { note: '居民电话取消' })).toBe('200 cancelled');
    expect(await code(pm, 'grab')).toBe('409 workorders.illegal_transition');
    expect(await code(pm, 'cancel')).toBe('409 workorders.illegal_transition');

    // while new, the resident may cancel their own
    const mine = await request();
    expect((await resident.post(`/api/v1/work-orders/${mine.id}/cancel`)).json.status).toBe('cancelled');
  });

  it('reopens a resolved order back to the technician, and closes on confirmation', async () => {
    const wo = await request();
    await pm.post(`/api/v1/work-orders/${wo.id}/assign`, { assigneeId: ids.tech1 });
    await tech1.post(`/api/v1/work-orders/${wo.id}/start`);
    await tech1.post(`/api/v1/work-orders/${wo.id}/resolve`);
    const reopened = await resident.post(`/api/v1/work-orders/${wo.id}/reopen`, { note: '还是漏水' });
    expect(reopened.json).toMatchObject({ status: 'in_progress', assigneeId: ids.tech1, resolvedAt: null });
    await tech1.post(`/api/v1/work-orders/${wo.id}/resolve`);
    const closed = await resident.post(`/api/v1/work-orders/${wo.id}/close`, { note: '确认修好' });
    expect(closed.json.status).toBe('closed');
    expect((await resident.post(`/api/v1/work-orders/${wo.id}/rate`, { rating: 4 })).json).toMatchObject({ status: 'closed', rating: 4 });
  });

  it("never shows a resident another resident's order, nor an order to another community", async () => {
    const wo = await request();
    expect((await neighbour.get(`/api/v1/work-orders/${wo.id}`)).status).toBe(404);
    expect((await neighbour.post(`/api/v1/work-orders/${wo.id}/cancel`)).status).toBe(404);
    expect((await neighbour.post(`/api/v1/work-orders/${wo.id}/rate`, { rating: 1 })).status).toBe(404);
    expect((await neighbour.get('/api/v1/work-orders')).json.items.map((i: any) => i.id)).not.toContain(wo.id);
    expect((await techC2.get(`/api/v1/work-orders/${wo.id}`)).status).toBe(404);
    expect((await techC2.post(`/api/v1/work-orders/${wo.id}/grab`)).status).toBe(404);
    const list = await resident.get('/api/v1/work-orders');
    expect(list.json.items.length).toBeGreaterThan(0);
    expect(list.json.items.every((i: any) => i.residentId === me.id)).toBe(true);
    expect(list.json.totals.new).toBeGreaterThan(0);
    // the guard reads, but acts on nothing
    expect((await guard.get(`/api/v1/work-orders/${wo.id}`)).status).toBe(200);
    expect((await guard.post(`/api/v1/work-orders/${wo.id}/grab`)).status).toBe(403);
    expect((await guard.post('/api/v1/repair-requests', { placeId: w.house1.id, category: 'other', description: 'x' })).status).toBe(403);
  });

  it('lets staff file an order for a resident who phoned in, which the resident then follows', async () => {
    const res = await staff.post('/api/v1/work-orders', {
      placeId: w.house1.id,
      category: 'water',
      description: '电话报修：停水',
      residentId: me.id,
      priority: 'high',
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({ source: 'staff', residentId: me.id, residentName: '李娜', priority: 'high' });
    expect((await resident.get(`/api/v1/work-orders/${res.json.id}`)).status).toBe(200);
    expect((await staff.post('/api/v1/work-orders', { placeId: w.house2.id, category: 'water', description: 'x' })).status).toBe(404);
    const stranger = await staff.post('/api/v1/work-orders', { placeId: w.house1.id, category: 'water', description: 'x', residentId: 'res_nobody' });
    expect(stranger.json.errors[0].code).toBe('workorders.resident_unknown');
    expect((await tech1.post('/api/v1/work-orders', { placeId: w.house1.id, category: 'water', description: 'x' })).status).toBe(403);
    expect((await resident.post('/api/v1/work-orders', { placeId: w.house1.id, category: 'water', description: 'x' })).status).toBe(403);
  });

  it('creates exactly one order for an alarm, even when the event is delivered twice', async () => {
    const alarm = (
      id: string,
      createWorkOrder = true,
      where: { community: { id: string }; place: { path: string } } = { community: w.c1, place: w.estate1 },
    ): AlarmCreated => ({
      alarmId: id,
      deviceId: 'dev_elevator_1',
      deviceName: '1号楼电梯',
      ruleId: 'rul_stuck',
      ruleName: '电梯困人',
      severity: 'critical',
      communityId: where.community.id,
      placePath: where.place.path,
      createWorkOrder,
      workOrderCategory: 'elevator',
      at: T0,
    });
    const count = async (alarmId: string) =>
      Number(
        (
          await t.kernel.db
            .selectFrom('work_orders')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('alarm_id', '=', alarmId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    await Promise.all([t.kernel.events.publish(ALARM_CREATED, alarm('alm_1')), t.kernel.events.publish(ALARM_CREATED, alarm('alm_1'))]);
    await t.kernel.events.publish(ALARM_CREATED, alarm('alm_no', false));
    await until(async () => (await count('alm_1')) === 1);
    await t.kernel.events.publish(ALARM_CREATED, alarm('alm_1')); // and a late redelivery
    // a later alarm (of the other community, so the lists below do not show it) is handled after
    // those deliveries: once its order exists, they have had their chance to add one
    await t.kernel.events.publish(ALARM_CREATED, alarm('alm_after', true, { community: w.c2, place: w.estate2 }));
    await until(async () => (await count('alm_after')) === 1);
    expect(await count('alm_1')).toBe(1);
    expect(await count('alm_no')).toBe(0);
    const list = await pm.get('/api/v1/work-orders?source=alarm');
    expect(list.json.items).toEqual([
      expect.objectContaining({
        alarmId: 'alm_1',
        source: 'alarm',
        priority: 'urgent',
        categoryCode: 'elevator',
        placeId: w.estate1.id,
        residentId: null,
        title: '1号楼电梯：电梯困人',
      }),
    ]);
    // the numbers of the day stay gapless despite the duplicate
    const numbers = (await t.kernel.db.selectFrom('work_orders').select('number').where('community_id', '=', w.c1.id).orderBy('number').execute()).map((r) =>
      Number(r.number.slice(-4)),
    );
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('records cost lines and publishes them for billing, once per idempotency key', async () => {
    const got: CostRecorded[] = [];
    const off = t.kernel.events.subscribe(WO_COST_RECORDED, (e) => void got.push(e.payload));
    const wo = await request();
    await tech1.post(`/api/v1/work-orders/${wo.id}/grab`);
    const body = {
      lines: [
        { description: '更换角阀', amountFen: 3500 },
        { description: '人工费', amountFen: 5000 },
      ],
    };
    expect((await tech1.post(`/api/v1/work-orders/${wo.id}/costs`, body)).status).toBe(400); // no key
    const key = { 'idempotency-key': 'cost-' + wo.id };
    const first = await tech1.req('POST', `/api/v1/work-orders/${wo.id}/costs`, body, key);
    expect(first.status, first.body).toBe(201);
    expect(first.json.totalFen).toBe(8500);
    const replay = await tech1.req('POST', `/api/v1/work-orders/${wo.id}/costs`, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect((await resident.req('POST', `/api/v1/work-orders/${wo.id}/costs`, body, { 'idempotency-key': 'resident-key-1' })).status).toBe(403);
    await until(async () => got.length >= 1);
    // a marker published now reaches the subscribers after any event the requests above published
    let marked = false;
    const offMarker = t.kernel.events.subscribe(MARKER, () => void (marked = true));
    await t.kernel.events.publish(MARKER, {});
    await until(() => marked);
    offMarker();
    off();
    expect(got).toEqual([
      {
        workOrderId: wo.id,
        communityId: w.c1.id,
        houseId: w.house1.id,
        residentId: me.id,
        lines: [expect.objectContaining({ description: '更换角阀', amountFen: 3500 }), expect.objectContaining({ description: '人工费', amountFen: 5000 })],
        totalFen: 8500,
      },
    ]);
    const detail = await resident.get(`/api/v1/work-orders/${wo.id}`);
    expect(detail.json.costs.length).toBe(2);
    expect(detail.json.costTotalFen).toBe(8500);
  });

  it('audits every transition in the hash chain', async () => {
    const wo = await request();
    await pm.post(`/api/v1/work-orders/${wo.id}/assign`, { assigneeId: ids.tech2 });
    await tech2.post(`/api/v1/work-orders/${wo.id}/start`);
    await tech2.post(`/api/v1/work-orders/${wo.id}/pause`);
    await tech2.post(`/api/v1/work-orders/${wo.id}/resume`);
    await tech2.post(`/api/v1/work-orders/${wo.id}/resolve`);
    await resident.post(`/api/v1/work-orders/${wo.id}/reopen`);
    await pm.post(`/api/v1/work-orders/${wo.id}/resolve`);
    await staff.post(`/api/v1/work-orders/${wo.id}/close`);
    const rows = await t.kernel.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'subject_resident_id'])
      .where('target_id', '=', wo.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action.replace('workorders.work_order.', ''))).toEqual([
      'create',
      'assign',
      'start',
      'pause',
      'resume',
      'resolve',
      'reopen',
      'resolve',
      'close',
    ]);
    expect(rows.every((r) => r.actor_id && r.subject_resident_id === me.id)).toBe(true);
    const timeline = (await pm.get(`/api/v1/work-orders/${wo.id}`)).json.timeline;
    expect(timeline.map((e: any) => `${e.fromStatus}>${e.toStatus}`)).toEqual([
      'null>new',
      'new>assigned',
      'assigned>in_progress',
      'in_progress>paused',
      'paused>in_progress',
      'in_progress>resolved',
      'resolved>in_progress',
      'in_progress>resolved',
      'resolved>closed',
    ]);
    expect((await verifyAuditChain(t.kernel.db)).ok).toBe(true);
  });

  // last: moves the clock
  it('flags overdue orders and escalates each to the property managers once', async () => {
    const res = await staff.post('/api/v1/work-orders', { placeId: w.estate1.id, category: 'elevator', description: '电梯异响' });
    const wo = res.json;
    expect(new Date(wo.respondBy).getTime() - new Date(wo.createdAt).getTime()).toBe(15 * 60_000);
    const overdueNotes = async () =>
      (await t.kernel.notify.list(ids.pm, { limit: 200 })).items.filter((n) => n.kind === 'workorders.overdue' && n.link?.endsWith(wo.id));

    await t.kernel.jobs.runDue();
    expect((await pm.get(`/api/v1/work-orders/${wo.id}`)).json.overdue).toBe(false);
    clock.advance(16 * 60_000);
    await t.kernel.jobs.runDue();
    const after = (await pm.get(`/api/v1/work-orders/${wo.id}`)).json;
    expect(after).toMatchObject({ overdue: true });
    expect(after.escalatedAt).toBeTruthy();
    expect(after.timeline.at(-1)).toMatchObject({ action: 'escalate', toStatus: 'new' });
    expect((await overdueNotes()).length).toBe(1);
    expect((await t.kernel.notify.list(ids.tech1, { limit: 200 })).items.some((n) => n.kind === 'workorders.overdue')).toBe(false);

    clock.advance(5 * 60 * 60_000); // past the resolution deadline too
    await t.kernel.jobs.runDue();
    clock.advance(60_000);
    await t.kernel.jobs.runDue();
    expect((await overdueNotes()).length).toBe(1);
    pm = await login(t.app, 'wo_pm', PASSWORD); // the old session idled out while the clock moved
    const list = await pm.get('/api/v1/work-orders?overdue=true');
    expect(list.json.items.map((i: any) => i.id)).toContain(wo.id);
    expect(list.json.items.every((i: any) => i.overdue)).toBe(true);
    expect(list.json.totals.overdue).toBeGreaterThanOrEqual(1);
    expect(
      (
        await t.kernel.db
          .selectFrom('audit_log')
          .select('action')
          .where('target_id', '=', wo.id)
          .where('action', '=', 'workorders.work_order.escalate')
          .execute()
      ).length,
    ).toBe(1);
  });
});
