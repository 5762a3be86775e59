// Fee items, meter readings, billing runs (preview → approve → publish, rerun), waivers, late
// fees and reminders, adjustments, arrears, readings import and reconciliation, over HTTP.
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { balance, unbalancedTransactions } from './billing.ledger.js';
import { accrueLateFees } from './billing.late.js';

const T0 = '2026-11-02T02:00:00.000Z';
let n = 0;
const key = () => `runs-key-${Date.now()}-${++n}`;

function multipart(name: string, data: Buffer, type: string) {
  const boundary = '----linli' + crypto.randomBytes(8).toString('hex');
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDialect('billing runs', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let pm: Client, pmC2: Client, staff: Client, residentA: Client;
  let items: Record<string, string>;
  let runId: string;

  const upload = async (c: Client, url: string, name: string, data: Buffer, type: string) => {
    const m = multipart(name, data, type);
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: m.payload,
      headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.contentType },
    });
    return { status: res.statusCode, json: JSON.parse(res.body) };
  };
  const bill = (houseId: string, feeItemId: string) =>
    t.kernel.db
      .selectFrom('bills')
      .selectAll()
      .where('house_id', '=', houseId)
      .where('fee_item_id', '=', feeItemId)
      .where('period', '=', '2026-10')
      .executeTakeFirst();

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    const a = await buildResident(t.kernel, w.house1, { name: '赵敏', phone: '13900004444', tags: ['low_income'] });
    await buildResident(t.kernel, w.house1b, { name: '钱进' });
    await buildResidentUser(t.kernel, a, w.c1);
    await buildStaff(t.kernel, 'br_pm', 'property_manager', w.c1);
    await buildStaff(t.kernel, 'br_pm2', 'property_manager', w.c2);
    await buildStaff(t.kernel, 'br_staff', 'community_staff', w.c1);
    await signIn();
  }, 60_000);
  // moving the clock ends idle sessions: sign in again after each move
  async function signIn() {
    pm = await login(t.app, 'br_pm', PASSWORD);
    pmC2 = await login(t.app, 'br_pm2', PASSWORD);
    staff = await login(t.app, 'br_staff', PASSWORD);
    residentA = await loginResident(t.app, '13900004444', PASSWORD);
  }
  afterAll(async () => t?.close());

  it('fee items: property (per m², 低保 50 % off), tiered electricity, parking; bad tiers and duplicate codes refused', async () => {
    const base = { communityId: w.c1.id, dueDays: 15, lateGraceDays: 10, lateRateBp: 5, lateCapBp: 1000 };
    const mk = async (body: object) => {
      const r = await pm.post('/api/v1/billing/fee-items', { ...base, ...body });
      expect(r.status, r.body).toBe(201);
      return r.json.id as string;
    };
    items = {
      property: await mk({
        code: 'property',
        nameZh: '物业费',
        nameEn: 'Property fee',
        kind: 'property',
        unitPrice: 23500,
        discounts: [{ tag: 'low_income', percentOff: 50 }],
      }),
      power: await mk({
        code: 'power',
        nameZh: '电费',
        nameEn: 'Electricity',
        kind: 'electricity',
        unitPrice: 0,
        maxJump: 100000,
        tiers: [
          { upTo: 24000, unitPrice: 4883 },
          { upTo: 40000, unitPrice: 5383 },
          { upTo: null, unitPrice: 7883 },
        ],
      }),
      parking: await mk({
        code: 'parking',
        nameZh: '停车费',
        nameEn: 'Parking',
        kind: 'parking',
        unitPrice: 1_500_000,
        rounding: 'down',
        roundingUnit: 'jiao',
      }),
    };
    const dup = await pm.post('/api/v1/billing/fee-items', { ...base, code: 'property', nameZh: 'x', nameEn: 'x', kind: 'property', unitPrice: 1 });
    expect(dup.status).toBe(409);
    const bad = await pm.post('/api/v1/billing/fee-items', {
      ...base,
      code: 'bad',
      nameZh: 'x',
      nameEn: 'x',
      kind: 'water',
      unitPrice: 1,
      tiers: [{ upTo: 100, unitPrice: 1 }],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ field: 'tiers', code: 'billing.bad_tiers' });
    expect((await pmC2.post('/api/v1/billing/fee-items', { ...base, code: 'x', nameZh: 'x', nameEn: 'x', kind: 'property', unitPrice: 1 })).status).toBe(404);
    expect((await staff.post('/api/v1/billing/fee-items', { ...base, code: 'y', nameZh: 'x', nameEn: 'x', kind: 'property', unitPrice: 1 })).status).toBe(403);
    expect((await pm.post('/api/v1/billing/subscriptions', { feeItemId: items.parking, houseId: w.house1b.id, quantity: 1 })).status).toBe(200);
  });

  it('meter readings: a lower reading or an implausible jump is flagged, not billed', async () => {
    const rd = (houseId: string, period: string, reading: number) => pm.post('/api/v1/billing/readings', { houseId, feeItemId: items.power, period, reading });
    expect((await rd(w.house1.id, '2026-09', 1000)).json.status).toBe('ok');
    const oct = await rd(w.house1.id, '2026-10', 1300);
    expect(oct.json).toMatchObject({ status: 'ok', use: 300 });
    expect((await rd(w.house1b.id, '2026-09', 500)).json.status).toBe('ok');
    expect((await rd(w.house1b.id, '2026-10', 400)).json).toMatchObject({ status: 'flagged', flag: 'lower_than_previous' });
    expect((await rd(w.house2.id, '2026-10', 1)).status).toBe(422); // a house of another community
    const list = await pm.get(`/api/v1/billing/readings?communityId=${w.c1.id}&status=flagged`);
    expect(list.json.items).toHaveLength(1);
  });

  it('preview computes the bills (area from the registry, tiers, rounding, waiver); a second preview recomputes, no duplicates', async () => {
    const r = await pm.post('/api/v1/billing/runs', { communityId: w.c1.id, period: '2026-10' });
    expect(r.status, r.body).toBe(200);
    runId = r.json.id;
    expect(r.json).toMatchObject({ status: 'preview', billCount: 4 });
    expect(r.json.skipped).toEqual([{ houseId: w.house1b.id, feeItemId: items.power, reason: 'reading_flagged' }]);
    const p1 = (await bill(w.house1.id, items.property))!;
    expect(p1).toMatchObject({ gross_fen: 20798, discount_fen: 10399, amount_fen: 10399, status: 'draft' }); // 88.5 m² × 2.35 = 207.975 → 207.98, 低保 50 %
    expect((await bill(w.house1.id, items.power))!.amount_fen).toBe(14949); // 240 × 0.4883 + 60 × 0.5383
    expect((await bill(w.house1b.id, items.property))!.amount_fen).toBe(15510); // 66 × 2.35, no waiver
    expect((await bill(w.house1b.id, items.parking))!.amount_fen).toBe(15000);
    const again = await pm.post('/api/v1/billing/runs', { communityId: w.c1.id, period: '2026-10' });
    expect(again.json).toMatchObject({ id: runId, billCount: 4, totalFen: 10399 + 14949 + 15510 + 15000 });
    const count = await t.kernel.db
      .selectFrom('bills')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('period', '=', '2026-10')
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(4);
    // drafts are not the resident's business yet
    expect((await residentA.get('/api/v1/me/bills')).json.items).toEqual([]);
    expect((await pmC2.get(`/api/v1/billing/runs/${runId}`)).status).toBe(404);
  });

  it('approve, publish: bills open and enter the ledger; a rerun makes no second bill; the unique key holds', async () => {
    expect((await pm.post(`/api/v1/billing/runs/${runId}/publish`)).status).toBe(409); // not approved yet
    expect((await pm.post(`/api/v1/billing/runs/${runId}/approve`)).json.status).toBe('approved');
    expect((await pm.post(`/api/v1/billing/runs/${runId}/publish`)).json.status).toBe('published');
    expect((await pm.post(`/api/v1/billing/runs/${runId}/publish`)).status).toBe(409);
    const rerun = await pm.post('/api/v1/billing/runs', { communityId: w.c1.id, period: '2026-10' });
    expect(rerun.json).toMatchObject({ id: runId, status: 'published', billCount: 4 });
    const mine = (await residentA.get('/api/v1/me/bills')).json;
    expect(mine.items.map((b: any) => b.amountFen).sort()).toEqual([10399, 14949]);
    expect(mine.outstandingFen).toBe(25348);
    expect(await balance(t.kernel.db, `receivable:${w.house1.id}`)).toBe(25348);
    expect(await balance(t.kernel.db, `revenue:${items.property}`)).toBe(-(10399 + 15510));
    const dupe = { ...(await bill(w.house1.id, items.property))!, id: 'bil_dupe', number: 'ZDdupe' };
    await expect(t.kernel.db.insertInto('bills').values(dupe).execute()).rejects.toThrow();
    expect(await unbalancedTransactions(t.kernel.db)).toEqual([]);
  });

  it('a published bill is never edited: a credit note is an adjustment with its own ledger entry', async () => {
    const b = (await bill(w.house1.id, items.property))!;
    const r = await pm.req(
      'POST',
      `/api/v1/billing/bills/${b.id}/adjustments`,
      { kind: 'credit', amountFen: 1000, reason: '电梯停运补偿' },
      { 'idempotency-key': key() },
    );
    expect(r.status, r.body).toBe(201);
    const after = (await bill(w.house1.id, items.property))!;
    expect(after).toMatchObject({ amount_fen: 10399, adjust_fen: -1000 });
    const tooMuch = await pm.req(
      'POST',
      `/api/v1/billing/bills/${b.id}/adjustments`,
      { kind: 'credit', amountFen: 999999, reason: 'x' },
      { 'idempotency-key': key() },
    );
    expect(tooMuch.status).toBe(422);
    expect(await balance(t.kernel.db, `receivable:${w.house1.id}`)).toBe(24348);
    const detail = await pm.get(`/api/v1/billing/bills/${b.id}`);
    expect(detail.json.adjustments).toHaveLength(1);
    expect(detail.json.outstandingFen).toBe(9399);
  });

  it('late fees: nothing in the grace days, the daily rate after, a reminder in the inbox; nothing is cut off', async () => {
    // due 2026-11-15 (period end + 15 days), grace 10 days
    clock.set('2026-11-25T04:00:00.000Z');
    await signIn();
    await accrueLateFees(t.kernel, clock.now());
    expect((await bill(w.house1.id, items.property))!.late_fee_fen).toBe(0);
    const inbox = (await residentA.get('/api/v1/notifications')).json;
    expect(inbox.items.filter((x: any) => x.kind === 'billing.reminder')).toHaveLength(2); // one per overdue bill, once
    clock.set('2026-11-30T04:00:00.000Z'); // 5 days after the grace
    await signIn();
    await accrueLateFees(t.kernel, clock.now());
    await accrueLateFees(t.kernel, clock.now()); // running twice adds nothing
    const fined = (await bill(w.house1.id, items.property))!;
    expect(fined.late_fee_fen).toBe(Math.floor((9399 * 5 * 5) / 10000));
    // the job charged it as its system actor, audited once per accrual
    const accruals = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_name', 'detail'])
      .where('action', '=', 'billing.late_fee.accrue')
      .where('target_id', '=', fined.id)
      .execute();
    expect(accruals.map((a) => [a.actor_id, a.actor_name, JSON.parse(a.detail).amountFen])).toEqual([
      ['sys_billing_late_fees', 'system:billing.late-fees', fined.late_fee_fen],
    ]);
    expect((await residentA.get('/api/v1/notifications')).json.items.filter((x: any) => x.kind === 'billing.reminder')).toHaveLength(2);
    clock.set('2027-12-30T04:00:00.000Z'); // long overdue: capped at 10 % of the bill
    await signIn();
    await accrueLateFees(t.kernel, clock.now());
    expect((await bill(w.house1.id, items.property))!.late_fee_fen).toBe(1039);
    expect(await balance(t.kernel.db, 'revenue:late_fee')).toBe(-(1039 + Math.floor(14949 * 0.1) + Math.floor(15510 * 0.1) + 1500));
    expect(await unbalancedTransactions(t.kernel.db)).toEqual([]);
  });

  it('arrears by house with aging buckets; collection rate; XLSX export', async () => {
    clock.set('2027-01-10T04:00:00.000Z');
    await signIn();
    const a = await pm.get(`/api/v1/billing/arrears?communityId=${w.c1.id}`);
    expect(a.status).toBe(200);
    const h1 = a.json.items.find((x: any) => x.houseId === w.house1.id);
    expect(h1.houseName).toContain('101');
    expect(h1.buckets['31-90']).toBe(h1.totalFen); // due 2026-11-15: 56 days
    expect((await pmC2.get(`/api/v1/billing/arrears?communityId=${w.c1.id}`)).status).toBe(404);
    const c = await staff.get(`/api/v1/billing/collection?communityId=${w.c1.id}`);
    expect(c.json.byMonth).toEqual([expect.objectContaining({ month: '2026-10', collectedFen: 0 })]);
    expect(c.json.byEstate[0]).toMatchObject({ estateId: w.estate1.id, ratePercent: 0 });
    const x = await t.app.inject({ method: 'GET', url: `/api/v1/billing/arrears/export.xlsx?communityId=${w.c1.id}`, headers: { cookie: pm.cookie } });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('房屋');
    expect(wb.worksheets[0].rowCount).toBe(a.json.items.length + 2);
  });

  it('imports readings from XLSX: good rows recorded, odd ones flagged, bad ones reported by row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('读数');
    ws.addRow(['房屋', '收费项目', '账期', '读数']);
    ws.addRow([w.house1.id, 'power', '2026-11', 1450]);
    ws.addRow([w.house1b.id, 'power', '2026-11', 99999]); // implausible jump over 500
    ws.addRow(['no-such-house', 'power', '2026-11', 1]);
    ws.addRow([w.house1.id, 'power', '2026-13', 1]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await upload(
      pm,
      `/api/v1/billing/readings/import?communityId=${w.c1.id}`,
      'r.xlsx',
      data,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ ok: 1, flagged: 1 });
    expect(r.json.rejected.map((x: any) => x.row)).toEqual([4, 5]);
    const flagged = (await pm.get(`/api/v1/billing/readings?communityId=${w.c1.id}&period=2026-11&status=flagged`)).json.items;
    expect(flagged[0]).toMatchObject({ flag: 'implausible_jump' });
    const reviewed = await pm.post(`/api/v1/billing/readings/${flagged[0].id}/review`, { accept: true });
    expect(reviewed.json.status).toBe('accepted');
    const garbage = await upload(
      pm,
      `/api/v1/billing/readings/import?communityId=${w.c1.id}`,
      'r.xlsx',
      Buffer.from('not a spreadsheet'),
      'application/octet-stream',
    );
    expect(garbage.status).toBe(422);
  });

  it('reconciliation: a statement line never credited here is missing; a credited payment absent from it is extra; a different amount is mismatched', async () => {
    const [b1, b2] = [(await bill(w.house1.id, items.property))!, (await bill(w.house1b.id, items.parking))!];
    // two gateway payments credited here (as the notification would), one of them with another amount on the statement
    const now = clock.now().toISOString();
    for (const [id, b] of [
      ['pay_r1', b1],
      ['pay_r2', b2],
    ] as const) {
      await t.kernel.db
        .insertInto('payments')
        .values({
          id,
          community_id: w.c1.id,
          place_path: b.place_path,
          channel: 'gateway',
          out_trade_no: id.toUpperCase(),
          amount_fen: 100,
          status: 'paid',
          created_at: now,
        })
        .execute();
    }
    const csv = 'trade_no,out_trade_no,total_amount\n2026001,PAY_R1,1.00\n2026002,PAY_R2,2.00\n2026003,LLNOTOURS,3.00\n';
    const r = await upload(pm, `/api/v1/billing/reconciliation?communityId=${w.c1.id}`, 's.csv', Buffer.from(csv), 'text/csv');
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({
      rows: 3,
      matched: 1,
      missing: [{ outTradeNo: 'LLNOTOURS', amountFen: 300 }],
      mismatched: [{ outTradeNo: 'PAY_R2', statementFen: 200, oursFen: 100 }],
      extra: [],
    });
    const r2 = await upload(
      pm,
      `/api/v1/billing/reconciliation?communityId=${w.c1.id}`,
      's.csv',
      Buffer.from('trade_no,out_trade_no,total_amount\n'),
      'text/csv',
    );
    expect(r2.json.extra.map((x: any) => x.outTradeNo).sort()).toEqual(['PAY_R1', 'PAY_R2']);
    const bad = await upload(pm, `/api/v1/billing/reconciliation?communityId=${w.c1.id}`, 's.csv', Buffer.from('a,b\n1,2\n'), 'text/csv');
    expect(bad.status).toBe(422);
  });
});
