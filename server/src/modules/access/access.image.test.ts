// The decision image stays current: every change is reflected in the very next decision on the
// node that made it, and on another node (a second app on the same database, events through NATS)
// as soon as the event arrives: credential issued and revoked, visitor pass revoked, move-out,
// move-in, rules added and deleted, a door disabled. Without NATS the second-node half is skipped
// (LINLI_TEST_REQUIRE_ALL=1 makes it fail instead).
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, requireAll, type TestApp } from '../../test/harness.js';
import type { App } from '../../kernel/app.js';
import { natsReachable, natsUrl, secondNode, type SecondNode } from '../../test/nodes.js';
import { FixedClock } from '../../kernel/clock.js';
import { ResidentsService } from '../registry/index.js';
import { anonymous } from '../../test/session.js';
import { buildResident, systemActor } from '../../test/fixtures.js';
import { buildDoors } from './access.fixtures.js';
import { createDevice } from '../devices/index.js';
import { eventually } from '../../test/wait.js';

const T0 = '2026-11-27T02:00:00.000Z'; // Friday 10:00 in Shanghai
type Answer = { result: string; reason: string };
/** Ask again (each time a new event id) until the answer matches; the second node waits for the event. */
async function answers(ask: () => Promise<Answer>, want: Partial<Answer>, ms = 5000): Promise<Answer> {
  return eventually(async () => {
    const last = await ask();
    return (Object.keys(want) as (keyof Answer)[]).every((k) => last[k] === want[k]) ? last : null;
  }, ms);
}

describeEachDialect('access decision image', async (dialect) => {
  const nats = await natsReachable();
  const twoNodes = nats || requireAll;
  const clock = new FixedClock(new Date(T0));
  let a: TestApp;
  let b: SecondNode | null = null;
  let d: Awaited<ReturnType<typeof buildDoors>>;
  const run = crypto.randomBytes(3).toString('hex');
  let seq = 0;

  beforeAll(async () => {
    const env: Record<string, string> = { LINLI_SESSION_IDLE_MINUTES: '10080', LINLI_SESSION_MAX_HOURS: '2160', LINLI_NODE_ID: `img-a-${run}` };
    if (twoNodes) env.LINLI_NATS_URL = natsUrl;
    a = await createTestApp(dialect, { clock, env });
    d = await buildDoors(a.kernel, a.app, 'im');
    if (twoNodes) {
      // node B: its own app and connection on the same database (and the same vault key file)
      b = await secondNode(a, `img-b-${run}`, { clock });
    }
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const on =
    (app: App) =>
    async (body: Record<string, unknown>, dev = d.ctl) =>
      (
        await anonymous(app).req(
          'POST',
          '/api/v1/access/decisions',
          { eventId: `img-${run}-${++seq}`, ...body },
          { authorization: d.basic(dev.id, dev.secret) },
        )
      ).json as { result: string; reason: string };
  const onA = (body: Record<string, unknown>) => on(a.app)(body);
  const onB = (body: Record<string, unknown>) => on(b!.app)(body);

  it('a credential issued works at once on both nodes; revoked, it is refused by the next decision here and on the other node', async () => {
    const card = { doorId: d.gate.id, credentialType: 'card', value: '7001' };
    expect(await onA(card)).toMatchObject({ result: 'deny', reason: 'unknown_credential' });
    if (b) expect(await onB(card)).toMatchObject({ result: 'deny', reason: 'unknown_credential' });
    const issued = await d.c.pm.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '7001', cardFormat: 'w26' });
    expect(issued.status, issued.body).toBe(201);
    expect(await onA(card)).toMatchObject({ result: 'allow', reason: 'resident' });
    if (b) expect(await answers(() => onB(card), { result: 'allow' })).toMatchObject({ reason: 'resident' });
    expect((await d.c.pm.post(`/api/v1/access/credentials/${issued.json.id}/revoke`, { reason: 'lost' })).status).toBe(200);
    expect(await onA(card)).toMatchObject({ result: 'deny', reason: 'revoked' });
    if (b) await answers(() => onB(card), { result: 'deny', reason: 'revoked' });
  });

  it('a revoked visitor pass is refused by the next decision on either node', async () => {
    const inv = await d.c.resident.post('/api/v1/access/visitor-passes', {
      visitorName: '钱师傅',
      validFrom: '2026-11-27T01:00:00Z',
      validUntil: '2026-11-27T06:00:00Z',
      pointIds: [d.gate.id],
      maxUses: 5,
    });
    expect(inv.status, inv.body).toBe(201);
    const token = async () => (await anonymous(a.app).req('GET', inv.json.link.replace('/visit/', '/public/visits/'))).json.token as string;
    expect(await onA({ doorId: d.gate.id, credentialType: 'qr', token: await token() })).toMatchObject({ result: 'allow', reason: 'visitor' });
    if (b) expect(await onB({ doorId: d.gate.id, credentialType: 'qr', token: await token() })).toMatchObject({ result: 'allow', reason: 'visitor' });
    const [t1, t2] = [await token(), await token()];
    expect((await d.c.resident.post(`/api/v1/access/visitor-passes/${inv.json.id}/revoke`, {})).status).toBe(200);
    expect(await onA({ doorId: d.gate.id, credentialType: 'qr', token: t1 })).toMatchObject({ result: 'deny', reason: 'pass_revoked' });
    if (b) await answers(() => onB({ doorId: d.gate.id, credentialType: 'qr', token: t2 }), { result: 'deny', reason: 'pass_revoked' });
  });

  it('move-in and move-out change what the holder may open, at the next decision on either node', async () => {
    // someone from building 3: the estate gate yes, building 1's unit door no
    const house3 = d.house3;
    const x = await buildResident(a.kernel, house3, { name: '孙丽', phone: null });
    await d.c.pm.post('/api/v1/access/credentials', { residentId: x.id, type: 'card', value: '7002', cardFormat: 'w26' });
    const unit = { doorId: d.unitDoor.id, credentialType: 'card', value: '7002' };
    const gate = { doorId: d.gate.id, credentialType: 'card', value: '7002' };
    expect(await onA(unit)).toMatchObject({ result: 'deny', reason: 'no_rule' });
    if (b) expect(await onB(unit)).toMatchObject({ result: 'deny', reason: 'no_rule' });
    // moves into building 1 as well (the registry on node A; its event goes through the outbox)
    const rs = new ResidentsService(a.kernel);
    const moved = await rs.moveIn(systemActor(), x.id, { houseId: d.w.house1.id, role: 'tenant', moveIn: '2026-11-27' }, '127.0.0.1');
    expect(await onA(unit)).toMatchObject({ result: 'allow', reason: 'resident' });
    if (b) await answers(() => onB(unit), { result: 'allow', reason: 'resident' });
    // moves out of building 1 again: still lives in building 3, so the card stays valid at the gate
    await rs.moveOut(systemActor(), x.id, { residencyId: moved.id, moveOut: '2026-11-27' }, '127.0.0.1');
    expect(await onA(unit)).toMatchObject({ result: 'deny', reason: 'no_rule' });
    expect(await onA(gate)).toMatchObject({ result: 'allow' });
    if (b) await answers(() => onB(unit), { result: 'deny', reason: 'no_rule' });
    // moves out of the community: refused everywhere
    const last = (await rs.residents.residenciesOf([x.id])).find((r) => !r.move_out)!;
    if (b) expect(await onB(gate)).toMatchObject({ result: 'allow' });
    await rs.moveOut(systemActor(), x.id, { residencyId: last.id, moveOut: '2026-11-27' }, '127.0.0.1');
    expect(await onA(gate)).toMatchObject({ result: 'deny' });
    if (b) await answers(() => onB(gate), { result: 'deny' });
  });

  it('a rule added or deleted, and a door disabled, apply to the next decision on either node', async () => {
    await d.c.pm.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '7003', cardFormat: 'w26' });
    const gate = { doorId: d.gate.id, credentialType: 'card', value: '7003' };
    expect(await onA(gate)).toMatchObject({ result: 'allow', reason: 'resident' });
    if (b) expect(await onB(gate)).toMatchObject({ result: 'allow', reason: 'resident' });
    const rule = await d.c.pm.post('/api/v1/access/rules', {
      communityId: d.w.c1.id,
      name: '暂停李娜',
      effect: 'deny',
      whoKind: 'resident',
      whoValue: d.me.id,
    });
    expect(rule.status, rule.body).toBe(201);
    expect(await onA(gate)).toMatchObject({ result: 'deny', reason: 'rule_deny' });
    if (b) await answers(() => onB(gate), { result: 'deny', reason: 'rule_deny' });
    expect((await d.c.pm.del(`/api/v1/access/rules/${rule.json.id}`)).status).toBe(200);
    expect(await onA(gate)).toMatchObject({ result: 'allow', reason: 'resident' });
    if (b) await answers(() => onB(gate), { result: 'allow', reason: 'resident' });
    expect((await d.c.pm.patch(`/api/v1/access/points/${d.gate.id}`, { enabled: false })).status).toBe(200);
    expect(await onA(gate)).toMatchObject({ result: 'deny', reason: 'door_disabled' });
    if (b) await answers(() => onB(gate), { result: 'deny', reason: 'door_disabled' });
    await d.c.pm.patch(`/api/v1/access/points/${d.gate.id}`, { enabled: true });
  });

  it('a controller whose secret is rotated is refused with the old secret by the next request on this node and on the other node', async () => {
    const ctl = await createDevice(a.kernel, { typeCode: 'door_controller', placeId: d.w.estate1.id, name: '轮换控制器' });
    const list = (app: App, secret: string) => anonymous(app).req('GET', '/api/v1/access/allow-list', undefined, { authorization: d.basic(ctl.id, secret) });
    expect((await list(a.app, ctl.secret)).status).toBe(200);
    expect((await list(a.app, ctl.secret)).status).toBe(200); // now from the remembered credential
    if (b) expect((await list(b.app, ctl.secret)).status).toBe(200);
    expect((await list(a.app, ctl.secret + 'x')).status).toBe(401);
    const r = await d.c.pm.post(`/api/v1/devices/${ctl.id}/rotate-secret`);
    expect(r.status, r.body).toBe(200);
    expect((await list(a.app, ctl.secret)).status).toBe(401);
    expect((await list(a.app, r.json.secret)).status).toBe(200);
    if (b) {
      const other = b.app;
      await eventually(async () => (await list(other, ctl.secret)).status === 401);
      expect((await list(other, ctl.secret)).status).toBe(401);
      expect((await list(other, r.json.secret)).status).toBe(200);
    }
  });

  it('a retry on the other node gets the first answer and is logged once', async () => {
    if (!b) return;
    const body = { eventId: `img-retry-${run}`, doorId: d.gate.id, credentialType: 'card', value: '7003' };
    const first = (await anonymous(a.app).req('POST', '/api/v1/access/decisions', body, { authorization: d.basic(d.ctl.id, d.ctl.secret) })).json;
    // the door is disabled here after the first answer: the retry still gets the stored allow
    await d.c.pm.patch(`/api/v1/access/points/${d.gate.id}`, { enabled: false });
    const again = (await anonymous(b.app).req('POST', '/api/v1/access/decisions', body, { authorization: d.basic(d.ctl.id, d.ctl.secret) })).json;
    await d.c.pm.patch(`/api/v1/access/points/${d.gate.id}`, { enabled: true });
    expect(first).toMatchObject({ result: 'allow' });
    expect(again).toEqual(first);
    // node a's row may still be queued for its writer thread: read it through a's log API, which waits for it
    expect(await d.logged(body.eventId)).toHaveLength(1);
  });
});
