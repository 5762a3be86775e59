// Demo fees and bills for 花家地社区: fee items, three months of meter readings (one flagged),
// two published billing runs with some bills paid at the office, and a preview of last month,
// so arrears, collection rates and the portal's bills have something to show.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { insertMany } from '../../kernel/db/index.js';
import { iso, localDate } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import type { PlaceRow } from '../registry/index.js';
import { billingHouses, residents } from '../registry/index.js';
import { Fees } from './billing.fees.js';
import { Runs } from './billing.runs.js';
import { Payments } from './billing.payments.js';
import { previousPeriod } from './billing.calc.js';
import type { BillRow } from './billing.repository.js';

const system: Actor = {
  userId: 'usr_system',
  kind: 'staff',
  name: 'system',
  residentId: null,
  sessionId: null,
  via: 'token',
  grants: [{ role: 'platform_admin', placeId: null, scopePath: '/' }],
};

export async function seedDemoBilling(k: Kernel, c1: PlaceRow): Promise<void> {
  const fees = new Fees(k);
  const late = { dueDays: 15, lateGraceDays: 15, lateRateBp: 3, lateCapBp: 1000 };
  await fees.create(null, {
    communityId: c1.id,
    code: 'property',
    nameZh: '物业费',
    nameEn: 'Property fee',
    kind: 'property',
    unitPrice: 23500,
    discounts: [{ tag: 'low_income', percentOff: 50 }],
    ...late,
  });
  const water = await fees.create(null, {
    communityId: c1.id,
    code: 'water',
    nameZh: '水费',
    nameEn: 'Water',
    kind: 'water',
    unitPrice: 50000,
    maxJump: 6000,
    ...late,
  });
  const power = await fees.create(null, {
    communityId: c1.id,
    code: 'power',
    nameZh: '电费',
    nameEn: 'Electricity',
    kind: 'electricity',
    unitPrice: 0,
    maxJump: 150000,
    ...late,
    tiers: [
      { upTo: 24000, unitPrice: 4883 },
      { upTo: 40000, unitPrice: 5383 },
      { upTo: null, unitPrice: 7883 },
    ],
  });
  const parking = await fees.create(null, {
    communityId: c1.id,
    code: 'parking',
    nameZh: '停车费',
    nameEn: 'Parking',
    kind: 'parking',
    unitPrice: 1_500_000,
    ...late,
  });

  const houses = await billingHouses.ofCommunity(k, c1.id);
  const current = localDate(k.clock.now(), k.config.timeZone).slice(0, 7);
  const p1 = previousPeriod(current);
  const p2 = previousPeriod(p1);
  const p3 = previousPeriod(p2);
  const p4 = previousPeriod(p3);
  const now = iso(k.clock.now());
  // meter readings (hundredths): a steady monthly use per house, deterministic
  const readings: Record<string, unknown>[] = [];
  houses.forEach((h, i) => {
    let w = 10_000 + i * 37;
    let e = 200_000 + i * 911;
    for (const period of [p4, p3, p2, p1]) {
      const prevW = w;
      const prevE = e;
      w += 800 + ((i * 13) % 900);
      e += 15_000 + ((i * 7919) % 30_000);
      const first = period === p4;
      readings.push({
        id: newId('mtr'),
        community_id: c1.id,
        place_path: h.path,
        house_id: h.houseId,
        fee_item_id: water.id,
        period,
        reading: w,
        previous: first ? null : prevW,
        status: 'ok',
        flag: null,
        source: 'import',
        created_by: null,
        created_at: now,
        reviewed_by: null,
        reviewed_at: null,
      });
      readings.push({
        id: newId('mtr'),
        community_id: c1.id,
        place_path: h.path,
        house_id: h.houseId,
        fee_item_id: power.id,
        period,
        reading: e,
        previous: first ? null : prevE,
        status: 'ok',
        flag: null,
        source: 'import',
        created_by: null,
        created_at: now,
        reviewed_by: null,
        reviewed_at: null,
      });
    }
  });
  await k.db.transaction().execute((tx) => insertMany(k.database, tx, 'meter_readings', readings));
  for (const h of houses.filter((_, i) => i % 9 === 0)) await fees.subscribe(system, { feeItemId: parking.id, houseId: h.houseId, quantity: 1 });
  // one meter read wrong last month: flagged for review, left out of that month's run
  if (houses[5]) await fees.recordReading(null, { houseId: houses[5].houseId, feeItemId: water.id, period: p1, reading: 1 }, 'manual');

  const runs = new Runs(k);
  const payments = new Payments(k);
  const demoUser = await k.db
    .selectFrom('users')
    .select('resident_id')
    .where('kind', '=', 'resident')
    .where('resident_id', 'is not', null)
    .orderBy('created_at')
    .executeTakeFirst();
  const demoHouses = new Set(demoUser?.resident_id ? ((await residents.get(k, demoUser.resident_id))?.houses ?? []).map((h) => h.houseId) : []);
  for (const [period, share] of [
    [p3, 0.7],
    [p2, 0.45],
  ] as const) {
    const run = await runs.preview(null, c1.id, period);
    await runs.approve(system, run.id, '127.0.0.1');
    await runs.publish(null, run.id);
    const bills = (await k.db.selectFrom('bills').selectAll().where('run_id', '=', run.id).orderBy('house_id').execute()) as BillRow[];
    const byHouse = new Map<string, BillRow[]>();
    for (const b of bills) byHouse.set(b.house_id!, [...(byHouse.get(b.house_id!) ?? []), b]);
    let i = 0;
    for (const [houseId, list] of byHouse) {
      i++;
      // the demo resident paid the older month and still owes the newer one (the portal has something to pay)
      const pay = demoHouses.has(houseId) ? period === p3 : (i * 7919) % 100 < share * 100;
      if (!pay) continue;
      await payments.recordOffline(
        system,
        list,
        { channel: i % 3 ? 'transfer' : 'cash', amountFen: list.reduce((s, b) => s + b.amount_fen, 0), offlineRef: `DEMO-${period}-${i}` },
        '127.0.0.1',
      );
    }
  }
  await runs.preview(null, c1.id, p1); // last month: waiting for approval in the console
}
