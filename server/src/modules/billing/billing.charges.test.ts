// One-off charges: a repair's recorded cost (workorders.cost_recorded) becomes a bill of the
// house once; staff charge a deposit or a one-off fee item to a house; the real-gateway settings.
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildResident, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { loadConfig, ConfigError } from '../../config.js';
import { WO_COST_RECORDED, type CostRecorded } from '../workorders/index.js';
import { eventually as until } from '../../test/wait.js';

let n = 0;
const key = () => `charges-key-${Date.now()}-${++n}`;

describeEachDialect('billing one-off charges', (dialect) => {
  let t: TestApp;
  let w: World;
  let pm: Client, pmC2: Client;
  let residentId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    residentId = (await buildResident(t.kernel, w.house1, { name: '吴刚' })).id;
    await buildStaff(t.kernel, 'ch_pm', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'ch_pm2', 'property_manager', w.c2);
    pm = await login(t.app, 'ch_pm', PASSWORD);
    pmC2 = await login(t.app, 'ch_pm2', PASSWORD);
  }, 60_000);
  afterAll(async () => t?.close());

  it("a repair's recorded cost becomes one bill of the house, however often the event arrives", async () => {
    const e: CostRecorded = {
      workOrderId: 'wo_test1',
      communityId: w.c1.id,
      houseId: w.house1.id,
      residentId,
      lines: [
        { id: 'woc_1', description: '更换阀芯', amountFen: 4500 },
        { id: 'woc_2', description: '上门费', amountFen: 2000 },
      ],
      totalFen: 6500,
    };
    await t.kernel.events.publish(WO_COST_RECORDED, e);
    await t.kernel.events.publish(WO_COST_RECORDED, e);
    // a later cost record of another work order: once its bill is there, both copies were handled too
    await t.kernel.events.publish(WO_COST_RECORDED, {
      ...e,
      workOrderId: 'wo_marker',
      lines: [{ id: 'woc_m', description: '标记', amountFen: 100 }],
      totalFen: 100,
    });
    const q = (wo: string) => t.kernel.db.selectFrom('bills').selectAll().where('source', '=', 'workorders').where('source_ref', 'like', `${wo}:%`).execute();
    await until(async () => (await q('wo_marker')).length > 0);
    const rows = await q('wo_test1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ house_id: w.house1.id, amount_fen: 6500, status: 'open' });
    expect(rows[0].subject_zh).toContain('更换阀芯');
    // billing made it on the work order's behalf, as its system actor
    const audit = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_name'])
      .where('action', '=', 'billing.charge.create')
      .where('target_id', '=', rows[0].id)
      .execute();
    expect(audit).toEqual([{ actor_id: 'sys_billing_charge', actor_name: 'system:billing.charge' }]);
  });

  it('staff charge a deposit to a house (Idempotency-Key); another community is 404', async () => {
    const item = await pm.post('/api/v1/billing/fee-items', {
      communityId: w.c1.id,
      code: 'deposit',
      nameZh: '装修押金',
      nameEn: 'Renovation deposit',
      kind: 'deposit',
      unitPrice: 0,
    });
    expect(item.status).toBe(201);
    const body = { houseId: w.house1.id, feeItemId: item.json.id, amountFen: 200000, note: '装修押金' };
    const k1 = key();
    const r = await pm.req('POST', '/api/v1/billing/charges', body, { 'idempotency-key': k1 });
    expect(r.status, r.body).toBe(201);
    expect(r.json).toMatchObject({ feeKind: 'deposit', amountFen: 200000, status: 'open' });
    const again = await pm.req('POST', '/api/v1/billing/charges', body, { 'idempotency-key': k1 });
    expect(again.json.id).toBe(r.json.id);
    expect((await pm.req('POST', '/api/v1/billing/charges', { ...body, houseId: w.house2.id }, { 'idempotency-key': key() })).status).toBe(422);
    expect((await pmC2.req('POST', '/api/v1/billing/charges', body, { 'idempotency-key': key() })).status).toBe(404);
    // money columns are 64-bit on PostgreSQL too: 30 million yuan does not overflow
    const big = await pm.req('POST', '/api/v1/billing/charges', { ...body, amountFen: 3_000_000_000 }, { 'idempotency-key': key() });
    expect(big.status, big.body).toBe(201);
    expect(big.json.amountFen).toBe(3_000_000_000);
    const periodic = await pm.post('/api/v1/billing/fee-items', {
      communityId: w.c1.id,
      code: 'prop',
      nameZh: '物业费',
      nameEn: 'Property',
      kind: 'property',
      unitPrice: 1,
    });
    expect((await pm.req('POST', '/api/v1/billing/charges', { ...body, feeItemId: periodic.json.id }, { 'idempotency-key': key() })).status).toBe(422);
  });
});

describe('payment gateway settings', () => {
  it('no LINLI_PAY_* means the sandbox; some but not all is refused naming the missing one; keys must be valid', () => {
    expect(loadConfig({}).payment.mode).toBe('sandbox');
    expect(() => loadConfig({ LINLI_PAY_APP_ID: '2021000000000000' })).toThrow(ConfigError);
    try {
      loadConfig({ LINLI_PAY_APP_ID: '2021000000000000' });
    } catch (e) {
      expect((e as ConfigError).variable).toBe('LINLI_PAY_GATEWAY_URL');
    }
    const full = {
      LINLI_PAY_GATEWAY_URL: 'https://openapi.example.com/gateway.do',
      LINLI_PAY_APP_ID: '2021',
      LINLI_PAY_MERCHANT_PRIVATE_KEY: 'not a key',
      LINLI_PAY_GATEWAY_PUBLIC_KEY: 'x',
      LINLI_PAY_NOTIFY_URL: 'https://linli.example.com/hooks/pay/notify',
    };
    expect(() => loadConfig(full)).toThrow(/LINLI_PAY_MERCHANT_PRIVATE_KEY/);
    expect(() => loadConfig({ LINLI_PAY_ORDER_TIMEOUT_MINUTES: '0' })).toThrow(/LINLI_PAY_ORDER_TIMEOUT_MINUTES/);
  });
});
