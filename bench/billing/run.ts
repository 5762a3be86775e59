// bench/billing: a billing run (preview → approve → publish, with ledger) for N houses × 3 fee
// items (property by area, water by meter readings, parking by subscription), against a
// baseline of inserting the same number of bill rows with the raw driver in the same process;
// then signed gateway notifications credited per second (verify, check, credit, ledger,
// receipt) over the app's HTTP layer (inject), 50 at a time. Prints JSON. Not a test.
//
//   npx tsx bench/billing/run.ts [--houses 100000] [--notifications 5000] [--pg postgres://…/postgres]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import pg from 'pg';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { insertMany } from '../../server/src/kernel/db/index.js';
import { newId } from '../../server/src/kernel/ids.js';
import { formatYuan } from '../../server/src/kernel/money.js';
import { PlacesService } from '../../server/src/modules/registry/index.js';
import { Fees } from '../../server/src/modules/billing/billing.fees.js';
import { Runs } from '../../server/src/modules/billing/billing.runs.js';
import { signParams } from '../../server/src/modules/billing/billing.gateway.js';
import { arg, freshPgDatabase } from '../registry/util.js';
import { printResult } from '../result.js';

const HOUSES = arg('houses', 100_000);
const NOTIFS = arg('notifications', 5000);
const pgIdx = process.argv.indexOf('--pg');
const PG = pgIdx > 0 ? process.argv[pgIdx + 1] : null;
const dir = path.resolve('bench/.data/billing');
const system = {
  userId: 'usr_bench',
  kind: 'staff' as const,
  name: 'bench',
  residentId: null,
  sessionId: null,
  via: 'token' as const,
  grants: [{ role: 'platform_admin' as const, placeId: null, scopePath: '/' }],
};

function keys() {
  const kp = () =>
    crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  return { merchant: kp(), gateway: kp() };
}

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const fresh = PG ? await freshPgDatabase(PG, 'linli_bench_billing') : null;
  const url = fresh?.url ?? null;
  const k0 = keys();
  const config = loadConfig({
    LINLI_DATA_DIR: dir,
    LINLI_LOG_LEVEL: 'silent',
    LINLI_MQTT_PORT: '0',
    ...(url ? { LINLI_DATABASE_URL: url } : {}),
    LINLI_PAY_GATEWAY_URL: 'http://127.0.0.1:9/gateway.do',
    LINLI_PAY_APP_ID: 'bench-app',
    LINLI_PAY_SELLER_ID: '2088000000000009',
    LINLI_PAY_MERCHANT_PRIVATE_KEY: k0.merchant.privateKey,
    LINLI_PAY_GATEWAY_PUBLIC_KEY: k0.gateway.publicKey,
    LINLI_PAY_NOTIFY_URL: 'http://127.0.0.1/hooks/pay/notify',
  });
  const { app, kernel: k } = await buildApp({ config, logger: pino({ level: 'silent' }), rateLimit: 10_000_000 });
  await app.ready();

  // ---- setup: one community with N houses, readings and parking spaces (bulk, not timed) ----
  const places = new PlacesService(k);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110199', regionLevel: 'district' }, null);
  const c = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const e = await places.insertPlace({ kind: 'estate', name: '基准小区' }, c);
  const now = new Date().toISOString();
  const houses = Array.from({ length: HOUSES }, (_, i) => {
    const id = newId('hse');
    return {
      id,
      kind: 'house',
      region_level: null,
      parent_id: e.id,
      path: `${e.path}${id}/`,
      community_id: c.id,
      name: `H${i}`,
      code: null,
      floor: 1 + (i % 30),
      area_m2: 60 + (i % 90) + 0.5,
      house_use: 'residential',
      time_zone: null,
      sort: 0,
      created_at: now,
      updated_at: now,
    };
  });
  for (let i = 0; i < houses.length; i += 20_000) await k.db.transaction().execute((tx) => insertMany(k.database, tx, 'places', houses.slice(i, i + 20_000)));
  const fees = new Fees(k);
  const base = { communityId: c.id, dueDays: 15, lateGraceDays: 15, lateRateBp: 3, lateCapBp: 1000 };
  await fees.create(null, {
    ...base,
    code: 'property',
    nameZh: '物业费',
    nameEn: 'Property',
    kind: 'property',
    unitPrice: 23500,
    discounts: [{ tag: 'low_income', percentOff: 50 }],
  });
  const water = await fees.create(null, {
    ...base,
    code: 'water',
    nameZh: '水费',
    nameEn: 'Water',
    kind: 'water',
    unitPrice: 50000,
    tiers: [
      { upTo: 1500, unitPrice: 50000 },
      { upTo: null, unitPrice: 70000 },
    ],
  });
  const parking = await fees.create(null, { ...base, code: 'parking', nameZh: '停车费', nameEn: 'Parking', kind: 'parking', unitPrice: 1_500_000 });
  const readings: Record<string, unknown>[] = [];
  const subs: Record<string, unknown>[] = [];
  houses.forEach((h, i) => {
    for (const [period, reading] of [
      ['2026-09', 10_000 + i],
      ['2026-10', 11_200 + i + (i % 700)],
    ] as const) {
      readings.push({
        id: newId('mtr'),
        community_id: c.id,
        place_path: h.path,
        house_id: h.id,
        fee_item_id: water.id,
        period,
        reading,
        previous: null,
        status: 'ok',
        flag: null,
        source: 'import',
        created_by: null,
        created_at: now,
        reviewed_by: null,
        reviewed_at: null,
      });
    }
    subs.push({ id: newId('fsb'), fee_item_id: parking.id, house_id: h.id, quantity: 100, note: null, created_at: now });
  });
  for (let i = 0; i < readings.length; i += 20_000)
    await k.db.transaction().execute((tx) => insertMany(k.database, tx, 'meter_readings', readings.slice(i, i + 20_000)));
  for (let i = 0; i < subs.length; i += 20_000)
    await k.db.transaction().execute((tx) => insertMany(k.database, tx, 'fee_subscriptions', subs.slice(i, i + 20_000)));

  // ---- the billing run ----
  const runs = new Runs(k);
  let t = performance.now();
  const run = await runs.preview(null, c.id, '2026-10');
  const previewMs = performance.now() - t;
  await runs.approve(system, run.id, '127.0.0.1');
  t = performance.now();
  await runs.publish(null, run.id);
  const publishMs = performance.now() - t;
  const runMs = previewMs + publishMs;
  const bills = Number(
    (
      await k.db
        .selectFrom('bills')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', run.id)
        .executeTakeFirst()
    )?.n ?? 0,
  );
  // rerun: nothing new
  t = performance.now();
  await runs.preview(null, c.id, '2026-10');
  const rerunMs = performance.now() - t;

  // ---- baseline: the same number of bill rows inserted with the raw driver ----
  let baselineMs: number;
  const sample = await k.db.selectFrom('bills').selectAll().where('run_id', '=', run.id).limit(1).executeTakeFirstOrThrow();
  const cols = Object.keys(sample);
  if (!PG) {
    const raw = new SQLite(path.join(dir, 'baseline.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec(`create table bills (${cols.map((c) => `"${c}" ${typeof (sample as any)[c] === 'number' ? 'integer' : 'text'}`).join(', ')})`);
    const st = raw.prepare(`insert into bills (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`);
    t = performance.now();
    raw.transaction(() => {
      for (let i = 0; i < bills; i++) st.run(cols.map((c) => (c === 'id' ? `bil_${i}` : c === 'number' ? `N${i}` : (sample as any)[c])));
    })();
    baselineMs = performance.now() - t;
    raw.close();
  } else {
    const client = new pg.Client({ connectionString: url! });
    await client.connect();
    await client.query(`create table bench_bills (like bills)`);
    t = performance.now();
    await client.query('begin');
    for (let i = 0; i < bills; i += 1000) {
      const n = Math.min(1000, bills - i);
      const vals: unknown[] = [];
      const rows: string[] = [];
      for (let j = 0; j < n; j++) {
        rows.push(`(${cols.map((_, ci) => `$${j * cols.length + ci + 1}`).join(',')})`);
        for (const col of cols) vals.push(col === 'id' ? `bil_${i + j}` : col === 'number' ? `N${i + j}` : (sample as any)[col]);
      }
      await client.query(`insert into bench_bills (${cols.map((c) => `"${c}"`).join(',')}) values ${rows.join(',')}`, vals);
    }
    await client.query('commit');
    baselineMs = performance.now() - t;
    await client.end();
  }

  // ---- notifications: N orders of one bill each, paid; signed as the gateway would ----
  const open = await k.db.selectFrom('bills').select(['id', 'place_path', 'amount_fen']).where('run_id', '=', run.id).limit(NOTIFS).execute();
  const pays: Record<string, unknown>[] = [];
  const items: Record<string, unknown>[] = [];
  for (const b of open) {
    const id = newId('pay');
    pays.push({
      id,
      community_id: c.id,
      place_path: b.place_path,
      resident_id: null,
      user_id: null,
      channel: 'gateway',
      out_trade_no: id.replace('pay_', 'LL'),
      trade_no: null,
      amount_fen: b.amount_fen,
      refunded_fen: 0,
      status: 'pending',
      receipt_no: null,
      offline_ref: null,
      expires_at: now,
      paid_at: null,
      created_by: null,
      created_at: now,
    });
    items.push({ payment_id: id, bill_id: b.id, amount_fen: b.amount_fen, applied_fen: 0 });
  }
  await k.db.transaction().execute(async (tx) => {
    await insertMany(k.database, tx, 'payments', pays);
    await insertMany(k.database, tx, 'payment_items', items);
  });
  t = performance.now();
  const bodies = pays.map((p, i) =>
    new URLSearchParams(
      signParams(
        {
          notify_time: '2026-11-25 10:00:00',
          notify_type: 'trade_status_sync',
          notify_id: `n${i}`,
          app_id: 'bench-app',
          charset: 'utf-8',
          version: '1.0',
          seller_id: '2088000000000009',
          trade_no: `2026${String(i).padStart(12, '0')}`,
          out_trade_no: String(p.out_trade_no),
          total_amount: formatYuan(Number(p.amount_fen)),
          trade_status: 'TRADE_SUCCESS',
        },
        k0.gateway.privateKey,
      ),
    ).toString(),
  );
  const signMs = performance.now() - t;
  const send = (body: string) =>
    app.inject({ method: 'POST', url: '/hooks/pay/notify', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  let next = 0;
  let ok = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < bodies.length) {
        const r = await send(bodies[next++]);
        if (r.body === 'success') ok++;
      }
    }),
  );
  const notifyMs = performance.now() - t;
  const credited = Number(
    (
      await k.db
        .selectFrom('gateway_notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('outcome', '=', 'credited')
        .executeTakeFirst()
    )?.n ?? 0,
  );
  // the same notifications again: all duplicates, nothing credited twice
  next = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < bodies.length) await send(bodies[next++]);
    }),
  );
  const dupMs = performance.now() - t;
  const creditedAfter = Number(
    (
      await k.db
        .selectFrom('gateway_notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('outcome', '=', 'credited')
        .executeTakeFirst()
    )?.n ?? 0,
  );

  await app.close();
  await fresh?.drop();
  printResult(
    JSON.stringify(
      {
        database: PG ? 'postgres' : 'sqlite',
        houses: HOUSES,
        feeItems: 3,
        bills,
        run: { previewMs: Math.round(previewMs), publishMs: Math.round(publishMs), totalMs: Math.round(runMs), rerunMs: Math.round(rerunMs), targetMs: 10_000 },
        baseline: { rawInsertMs: Math.round(baselineMs), ratio: +(runMs / baselineMs).toFixed(2) },
        notifications: {
          count: bodies.length,
          accepted: ok,
          credited,
          perSecond: Math.round(bodies.length / (notifyMs / 1000)),
          duplicatesPerSecond: Math.round(bodies.length / (dupMs / 1000)),
          creditedTwice: creditedAfter - credited,
          signMsPerNotification: +(signMs / bodies.length).toFixed(3),
          target: 1000,
        },
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
