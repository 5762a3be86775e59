// Decisions over HTTP on a real database: controller authentication, cards (number and Wiegand),
// PINs, fingerprints, the defaults, rules (deny wins, night schedule), move-out, phone QR tokens
// (replayed, expired, forged, wrong door, wrong community key), idempotency, anti-passback.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { anonymous } from '../../test/session.js';
import { secondNode } from '../../test/nodes.js';
import { FixedClock } from '../../kernel/clock.js';
import { ResidentsService } from '../registry/index.js';
import { systemActor } from '../../test/fixtures.js';
import { toWiegand } from './access.cards.js';
import { buildDoors } from './access.fixtures.js';
import { logSettled } from './access.logthread.js';
import { AccessLogRepository } from './access.log.repository.js';
import { eventually as until } from '../../test/wait.js';

const T0 = '2026-11-27T02:00:00.000Z'; // Friday 10:00 in Shanghai

describeEachDialect('access decisions', (dialect) => {
  let t: TestApp;
  let d: Awaited<ReturnType<typeof buildDoors>>;
  const clock = new FixedClock(new Date(T0));

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    d = await buildDoors(t.kernel, t.app);
  });
  afterAll(async () => t?.close());

  const issue = async (body: Record<string, unknown>) => d.c.pm.post('/api/v1/access/credentials', body);
  // rows are committed by the log writer thread shortly after the answer: wait for them, as the log API does
  const logCount = async () => {
    return new AccessLogRepository(t.kernel.db, logSettled(t.kernel)).count();
  };

  it('authenticates controllers: none 401, wrong secret 401, not a door controller 403, a person 403, another controller’s door 404', async () => {
    const body = { eventId: 'x1', doorId: d.gate.id, credentialType: 'card', value: '1' };
    expect((await d.asController('POST', '/api/v1/access/decisions', body, { id: d.ctl.id, secret: 'wrong' })).status).toBe(401);
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/access/decisions', payload: body });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toContain('problem+json');
    expect((await d.asController('POST', '/api/v1/access/decisions', body, d.meter)).status).toBe(403);
    expect((await d.c.pm.post('/api/v1/access/decisions', body)).status).toBe(403);
    expect((await d.decide({ doorId: d.c2gate.id, credentialType: 'card', value: '1' })).status).toBe(404);
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'face', value: '1' })).status).toBe(422);
  });

  it('controller routes carry the same security headers as every route, and the rate limit still applies to them', async () => {
    const security = (h: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(h).filter(([k]) =>
          /^(content-security-policy|cross-origin-|origin-agent|referrer-policy|strict-transport|x-(content-type-options|dns-prefetch|download-options|frame-options|permitted|xss))/.test(
            k,
          ),
        ),
      );
    const ref = security((await t.app.inject({ method: 'GET', url: '/healthz' })).headers);
    expect(Object.keys(ref).length).toBeGreaterThanOrEqual(10);
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/v1/access/decisions',
      payload: { eventId: 'h1', doorId: d.gate.id, credentialType: 'card', value: '1' },
    });
    expect(anon.statusCode).toBe(401);
    expect(security(anon.headers)).toEqual(ref);
    for (let i = 0; i < 2; i++) {
      const ok = await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '1' });
      expect(ok.status).toBe(200);
      expect(security(ok.headers)).toEqual(ref);
      expect(Number(ok.headers['x-ratelimit-limit'])).toBeGreaterThan(0);
      expect(ok.headers['x-ratelimit-remaining']).toBeDefined();
    }
    const list = await d.asController('GET', '/api/v1/access/allow-list');
    expect(list.status).toBe(200);
    expect(security(list.headers)).toEqual(ref);
  });

  it('answers junk from a controller with a 4xx problem, never a 500', async () => {
    const junk: unknown[] = [
      'not json',
      '{"eventId": ',
      [],
      null,
      42,
      { eventId: 'x'.repeat(65), doorId: d.gate.id, credentialType: 'card' },
      { eventId: 'j1', doorId: "' or 1=1 --", credentialType: 'card', value: '1' },
      { eventId: 'j2', doorId: d.gate.id, credentialType: 'qr', token: 'a.b' },
      { eventId: 'j3', doorId: d.gate.id, credentialType: 'qr', token: '\u0000.' + 'A'.repeat(86) },
      { eventId: 'j4', doorId: d.gate.id, credentialType: 'card', value: '\u202e1' },
    ];
    for (const body of junk) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/access/decisions',
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: d.basic(d.ctl.id, d.ctl.secret) },
      });
      expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
    }
    for (const body of [
      { decisions: [] },
      { decisions: [{ eventId: 'o', doorId: d.gate.id, credentialType: 'card', at: 'yesterday', result: 'allow' }] },
      { decisions: 'x' },
    ]) {
      expect((await d.asController('POST', '/api/v1/access/offline-decisions', body)).status).toBe(422);
    }
    for (const q of ['since=-1', 'since=abc', 'since=99999999999'])
      expect((await d.asController('GET', `/api/v1/access/allow-list?${q}`)).status).toBeLessThan(500);
  });

  it('issues IC cards by number or Wiegand bits, validates them, and refuses a card already in use', async () => {
    const bad = await issue({
      residentId: d.me.id,
      type: 'card',
      value: toWiegand('w26', 1000).replace(/^./, (c) => (c === '1' ? '0' : '1')),
      cardFormat: 'w26',
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ field: 'value', code: 'access.card_parity' });
    expect((await issue({ residentId: d.me.id, type: 'card', value: '99999999', cardFormat: 'w26' })).json.errors[0].code).toBe('access.card_too_large');
    const card = await issue({ residentId: d.me.id, type: 'card', value: toWiegand('w26', 123456), cardFormat: 'w26' });
    expect(card.status, card.body).toBe(201);
    expect(card.json).toMatchObject({ type: 'card', label: '****3456', status: 'active' });
    expect(card.json.card).toEqual({ facilityCode: 1, cardNumber: 57920, form: 'bits' });
    // 157920 is what the card and a controller print for it (FC 1 × 100000 + CN 57920): the same card
    expect((await issue({ residentId: d.me.id, type: 'card', value: '157920', cardFormat: 'w26' })).json.errors[0].code).toBe('access.value_taken');
    // staff of another community cannot issue for this resident (404, not 403)
    expect((await d.c.pm2.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '5' })).status).toBe(404);
    // the number is kept encrypted
    const row = await t.kernel.db.selectFrom('access_credentials').selectAll().where('id', '=', card.json.id).executeTakeFirstOrThrow();
    expect(row.value_enc).not.toContain('123456');
  });

  it('a card entered as its printed number (FC × 100000 + CN) or as FC/CN opens for the frame the reader sends; the answer says how it was read', async () => {
    // uhppoted's example card: printed 10058399 = FC 100 / CN 58399 (raw 6612767); read as raw it would be FC 153 / CN 31391
    const printed = await issue({ residentId: d.me.id, type: 'card', value: '10058399', cardFormat: 'w26' });
    expect(printed.status, printed.body).toBe(201);
    expect(printed.json.card).toEqual({ facilityCode: 100, cardNumber: 58399, form: 'printed' });
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: toWiegand('w26', 100 * 65536 + 58399) })).json.result).toBe('allow');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '10058399' })).json.result).toBe('allow');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: toWiegand('w26', 10058399) })).json).toMatchObject({
      result: 'deny',
      reason: 'unknown_credential',
    });
    expect((await issue({ residentId: d.me.id, type: 'card', value: '100/58399', cardFormat: 'w26' })).json.errors[0].code).toBe('access.value_taken');
    const fcCn = await issue({ residentId: d.me.id, type: 'card', value: '90,324', cardFormat: 'w26' });
    expect(fcCn.json.card).toEqual({ facilityCode: 90, cardNumber: 324, form: 'fc/cn' });
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '00101101000000001010001000' })).json.result).toBe('allow'); // wiegand-encoder's FC 90 / CN 324
    const raw = await issue({ residentId: d.me.id, type: 'card', value: '0016777000', cardFormat: 'w26' });
    expect(raw.json.card).toEqual({ facilityCode: 255, cardNumber: 65320, form: 'raw' });
    for (const id of [printed.json.id, fcCn.json.id, raw.json.id])
      expect((await d.c.pm.post(`/api/v1/access/credentials/${id}/revoke`, { reason: 'test' })).status).toBe(200);
  });

  it('lets a resident through their estate gate and their own building door by default, by card number or frame', async () => {
    const byNumber = await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '157920' });
    expect(byNumber.status).toBe(200);
    expect(byNumber.json).toMatchObject({ result: 'allow', reason: 'resident', openSeconds: 5, holderName: '李娜' });
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: toWiegand('w26', 123456) })).json.result).toBe('allow');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '654321' })).json).toMatchObject({
      result: 'deny',
      reason: 'unknown_credential',
      openSeconds: 0,
    });
    // someone from building 3: the estate gate yes, building 1's door no
    await issue({ residentId: d.far.id, type: 'card', value: '222', cardFormat: 'w26' });
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '222' })).json.result).toBe('allow');
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '222' })).json).toMatchObject({ result: 'deny', reason: 'no_rule' });
  });

  it('answers a retried event with the stored decision and logs it once', async () => {
    const before = await logCount();
    const body = { eventId: 'retry-1', doorId: d.gate.id, credentialType: 'card', value: '157920' };
    const a = await d.asController('POST', '/api/v1/access/decisions', body);
    const b = await d.asController('POST', '/api/v1/access/decisions', body);
    expect(a.json).toEqual(b.json);
    expect(await logCount()).toBe(before + 1);
  });

  it('a retry that reaches the node after a restart gets the stored answer; a new event is decided anew', async () => {
    const body = { eventId: 'restart-1', doorId: d.gate.id, credentialType: 'card', value: '157920' };
    const first = (await d.asController('POST', '/api/v1/access/decisions', body)).json;
    expect(first).toMatchObject({ result: 'allow' });
    await logSettled(t.kernel)(); // what a closing node does (access.logthread.ts close)
    await d.c.pm.patch(`/api/v1/access/points/${d.gate.id}`, { enabled: false });
    const restarted = await secondNode(t, 'restarted', { clock, nats: false });
    try {
      const ask = (eventId: string) =>
        anonymous(restarted.app).req('POST', '/api/v1/access/decisions', { ...body, eventId }, { authorization: d.basic(d.ctl.id, d.ctl.secret) });
      expect((await ask('restart-1')).json).toEqual(first);
      expect((await ask('restart-2')).json).toMatchObject({ result: 'deny', reason: 'door_disabled' });
    } finally {
      await restarted.close();
      await d.c.pm.patch(`/api/v1/access/points/${d.gate.id}`, { enabled: true });
    }
    const rows = await d.logged('restart-1', 'restart-2');
    expect(rows.map((r) => [r.eventId, r.result])).toEqual([
      ['restart-1', 'allow'],
      ['restart-2', 'deny'],
    ]);
  });

  it('temporary PINs need an end date and stop at it; fingerprints are only template references', async () => {
    expect((await issue({ residentId: d.me.id, type: 'pin', value: '246810' })).json.errors[0].code).toBe('access.pin_needs_expiry');
    expect((await issue({ residentId: d.me.id, type: 'pin', value: '12', validUntil: '2026-11-28T00:00:00Z' })).json.errors[0].code).toBe('access.pin_format');
    const pin = await issue({ residentId: d.me.id, type: 'pin', value: '246810', validUntil: '2026-11-27T04:00:00Z' });
    expect(pin.status, pin.body).toBe(201);
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'pin', value: '246810' })).json.result).toBe('allow');
    clock.set('2026-11-27T04:00:00.000Z');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'pin', value: '246810' })).json).toMatchObject({ result: 'deny', reason: 'expired' });
    clock.set(T0);
    const image = 'data:image/png;base64,' + 'A'.repeat(100);
    expect((await issue({ residentId: d.me.id, type: 'fingerprint', value: image })).json.errors[0].code).toBe('access.fingerprint_ref');
    const fp = await issue({ residentId: d.me.id, type: 'fingerprint', value: 'ctl7:slot-0042' });
    expect(fp.status).toBe(201);
    const row = await t.kernel.db.selectFrom('access_credentials').selectAll().where('id', '=', fp.json.id).executeTakeFirstOrThrow();
    expect(row.value_enc).not.toContain('slot-0042');
    expect(t.kernel.vault.decrypt(row.value_enc ?? '')).toBe('ctl7:slot-0042');
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'fingerprint', value: 'ctl7:slot-0042' })).json.result).toBe('allow');
  });

  it('deny wins; a night rule crossing midnight denies only at night', async () => {
    const cid = d.w.c1.id;
    const night = await d.c.pm.post('/api/v1/access/schedules', {
      communityId: cid,
      name: '夜间',
      windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '23:00', end: '06:00' }],
    });
    expect(night.status, night.body).toBe(201);
    const unitGroup = await d.c.pm.post('/api/v1/access/door-groups', { communityId: cid, name: '单元门', pointIds: [d.unitDoor.id] });
    const r = await d.c.pm.post('/api/v1/access/rules', {
      communityId: cid,
      name: '夜间禁止租客',
      effect: 'deny',
      whoKind: 'resident',
      whoValue: d.me.id,
      doorGroupId: unitGroup.json.id,
      scheduleId: night.json.id,
    });
    expect(r.status, r.body).toBe(201);
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '157920' })).json.result).toBe('allow'); // 10:00
    clock.set('2026-11-27T17:30:00.000Z'); // Saturday 01:30 in Shanghai
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '157920' })).json).toMatchObject({ result: 'deny', reason: 'rule_deny' });
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '157920' })).json.result).toBe('allow'); // other door group
    clock.set(T0);
    // an allow for everyone does not beat a deny
    const all = await d.c.pm.post('/api/v1/access/rules', {
      communityId: cid,
      name: '全部放行',
      effect: 'allow',
      whoKind: 'everyone',
      doorGroupId: unitGroup.json.id,
    });
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '222' })).json).toMatchObject({ result: 'allow', reason: 'rule_allow' });
    const deny = await d.c.pm.post('/api/v1/access/rules', { communityId: cid, name: '禁止赵强', effect: 'deny', whoKind: 'resident', whoValue: d.far.id });
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '222' })).json.reason).toBe('rule_deny');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '222' })).json.reason).toBe('rule_deny');
    for (const id of [r.json.id, all.json.id, deny.json.id]) expect((await d.c.pm.del(`/api/v1/access/rules/${id}`)).status).toBe(200);
    // rules of another community are not reachable
    expect((await d.c.pm2.post('/api/v1/access/rules', { communityId: cid, name: 'x', effect: 'allow', whoKind: 'everyone' })).status).toBe(404);
    expect((await d.c.pm.post('/api/v1/access/rules', { communityId: cid, name: 'x', effect: 'allow', whoKind: 'resident' })).json.errors[0].field).toBe(
      'whoValue',
    );
  });

  it('a person group rule lets someone from another building through a unit door', async () => {
    const cid = d.w.c1.id;
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '222' })).json.reason).toBe('no_rule');
    const pg = await d.c.pm.post('/api/v1/access/person-groups', { communityId: cid, name: '保洁', residentIds: [d.far.id] });
    expect(pg.status, pg.body).toBe(201);
    const units = await d.c.pm.post('/api/v1/access/door-groups', { communityId: cid, name: '1号楼', pointIds: [d.unitDoor.id] });
    const r = await d.c.pm.post('/api/v1/access/rules', {
      communityId: cid,
      name: '保洁可进1号楼',
      effect: 'allow',
      whoKind: 'group',
      whoValue: pg.json.id,
      doorGroupId: units.json.id,
    });
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '222' })).json).toMatchObject({ result: 'allow', reason: 'rule_allow' });
    await d.c.pm.del(`/api/v1/access/rules/${r.json.id}`);
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'card', value: '222' })).json.reason).toBe('no_rule');
  });

  it('phone QR: allows once; refuses replayed, expired, forged, wrong-door and wrong-community tokens', async () => {
    const qr = await d.c.resident.post('/api/v1/access/me/qr', {});
    expect(qr.status, qr.body).toBe(200);
    expect(Date.parse(qr.json.expiresAt) - clock.now().getTime()).toBeLessThanOrEqual(60_000);
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: qr.json.token })).json).toMatchObject({ result: 'allow', reason: 'resident' });
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: qr.json.token })).json).toMatchObject({ result: 'deny', reason: 'qr_replayed' });

    const late = (await d.c.resident.post('/api/v1/access/me/qr', {})).json.token;
    clock.advance(61_000);
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: late })).json.reason).toBe('qr_expired');
    clock.set(T0);

    const fresh = (await d.c.resident.post('/api/v1/access/me/qr', {})).json.token as string;
    const [body, sig] = fresh.split('.');
    const p = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...p, c: 'acr_forged' })).toString('base64url') + '.' + sig;
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: forged })).json.reason).toBe('qr_bad_signature');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: 'not-a-token' })).json.reason).toBe('qr_malformed');

    const forGate = (await d.c.resident.post('/api/v1/access/me/qr', { pointId: d.gate.id })).json.token;
    expect((await d.decide({ doorId: d.unitDoor.id, credentialType: 'qr', token: forGate })).json.reason).toBe('qr_wrong_door');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: forGate })).json.result).toBe('allow');

    const c2token = (await d.c.otherResident.post('/api/v1/access/me/qr', {})).json.token;
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'qr', token: c2token })).json.reason).toBe('qr_wrong_key');
    expect((await d.decide({ doorId: d.c2gate.id, credentialType: 'qr', token: c2token }, d.ctl2)).json.result).toBe('allow');
    // the replay cache is in the database (shared by every node); a refused token burns no nonce
    const nonceOf = (tok: string) => JSON.parse(Buffer.from(tok.split('.')[0], 'base64url').toString()).n;
    expect(await t.kernel.db.selectFrom('access_qr_nonces').select('nonce').where('nonce', '=', nonceOf(qr.json.token)).executeTakeFirst()).toBeDefined();
    expect(await t.kernel.db.selectFrom('access_qr_nonces').select('nonce').where('nonce', '=', p.n).executeTakeFirst()).toBeUndefined();
  });

  it('anti-passback: in, in is refused; in, out, in passes', async () => {
    const g = await d.c.pm.post('/api/v1/access/door-groups', {
      communityId: d.w.c1.id,
      name: '东门闸机',
      pointIds: [d.gateIn.id, d.gateOut.id],
      antiPassback: true,
    });
    expect(g.status, g.body).toBe(201);
    const go = (doorId: string) => d.decide({ doorId, credentialType: 'card', value: '157920' }).then((r) => r.json.reason);
    expect(await go(d.gateIn.id)).toBe('resident');
    expect(await go(d.gateIn.id)).toBe('anti_passback');
    expect(await go(d.gateOut.id)).toBe('resident');
    expect(await go(d.gateIn.id)).toBe('resident');
    expect((await d.c.pm.patch(`/api/v1/access/door-groups/${g.json.id}`, { antiPassback: false })).json.antiPassback).toBe(false);
    expect(await go(d.gateIn.id)).toBe('resident');
  });

  it('move-out revokes: the next decision is refused and the credentials are revoked', async () => {
    await d.c.pm.post('/api/v1/access/credentials', { residentId: d.far.id, type: 'card', value: '333', cardFormat: 'w26' });
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '333' })).json.result).toBe('allow');
    const rs = new ResidentsService(t.kernel);
    const residency = (await rs.residents.residenciesOf([d.far.id]))[0];
    await rs.moveOut(systemActor(), d.far.id, { residencyId: residency.id, moveOut: '2026-11-27' }, '127.0.0.1');
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '333' })).json.result).toBe('deny');
    await until(async () => (await d.c.pm.get(`/api/v1/access/credentials?residentId=${d.far.id}`)).json.items.every((c: any) => c.status === 'revoked'));
    expect((await d.decide({ doorId: d.gate.id, credentialType: 'card', value: '333' })).json).toMatchObject({ result: 'deny', reason: 'revoked' });
  });

  it('a disabled door refuses everyone', async () => {
    expect((await d.c.pm.patch(`/api/v1/access/points/${d.gateOut.id}`, { enabled: false })).json.enabled).toBe(false);
    expect((await d.decide({ doorId: d.gateOut.id, credentialType: 'card', value: '157920' })).json.reason).toBe('door_disabled');
    await d.c.pm.patch(`/api/v1/access/points/${d.gateOut.id}`, { enabled: true });
  });
});
