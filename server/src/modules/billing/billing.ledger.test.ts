// Ledger property test: after any sequence of charges, late fees, credit and debit notes,
// payments and refunds, every transaction balances, and each holder's receivable equals its
// bills − its payments + its adjustments (late fees included), computed from the business tables.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { buildResident, buildWorld, systemActor, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { assertBalanced, balance, unbalancedTransactions } from './billing.ledger.js';
import { Bills } from './billing.bills.js';
import { Payments } from './billing.payments.js';
import { accrueLateFees } from './billing.late.js';
import { outstanding, type BillRow, type PaymentRow } from './billing.repository.js';

type Op =
  | { op: 'charge'; holder: number; amount: number; late: boolean }
  | { op: 'note'; pick: number; kind: 'credit' | 'debit'; amount: number }
  | { op: 'pay'; pick: number; count: number; channel: 'cash' | 'transfer' }
  | { op: 'refund'; pick: number; amount: number }
  | { op: 'days'; days: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('charge' as const), holder: fc.nat(2), amount: fc.integer({ min: 1, max: 500_000 }), late: fc.boolean() }),
  fc.record({
    op: fc.constant('note' as const),
    pick: fc.nat(),
    kind: fc.constantFrom('credit' as const, 'debit' as const),
    amount: fc.integer({ min: 1, max: 50_000 }),
  }),
  fc.record({
    op: fc.constant('pay' as const),
    pick: fc.nat(),
    count: fc.integer({ min: 1, max: 3 }),
    channel: fc.constantFrom('cash' as const, 'transfer' as const),
  }),
  fc.record({ op: fc.constant('refund' as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 600_000 }) }),
  fc.record({ op: fc.constant('days' as const), days: fc.integer({ min: 1, max: 120 }) }),
);

it('post refuses a transaction whose debits and credits differ', () => {
  expect(() =>
    assertBalanced([
      { account: 'a', debit: 100 },
      { account: 'b', credit: 99 },
    ]),
  ).toThrow();
  expect(() => assertBalanced([{ account: 'a', debit: 100 }])).toThrow();
  expect(() =>
    assertBalanced([
      { account: 'a', debit: -1 },
      { account: 'b', debit: 1 },
    ]),
  ).toThrow();
  expect(() =>
    assertBalanced([
      { account: 'a', debit: 100 },
      { account: 'b', credit: 60 },
      { account: 'c', credit: 40 },
    ]),
  ).not.toThrow();
});

describeEachDialect('billing ledger (property)', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date('2026-01-05T02:00:00.000Z'));
  let holders: { houseId: string | null; residentId: string; community: string }[];
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    const a = await buildResident(t.kernel, w.house1, { name: '孙悦' });
    const b = await buildResident(t.kernel, w.house2, { name: '周洋' });
    // two houses and one charge made out to a resident without a house
    holders = [
      { houseId: w.house1.id, residentId: a.id, community: w.c1.id },
      { houseId: w.house2.id, residentId: b.id, community: w.c2.id },
      { houseId: null, residentId: a.id, community: w.c1.id },
    ];
  }, 60_000);
  afterAll(async () => t?.close());

  async function apply(op: Op) {
    const k = t.kernel;
    const bills = new Bills(k);
    const pay = new Payments(k);
    const openBills = (await k.db.selectFrom('bills').selectAll().where('status', '=', 'open').orderBy('id').execute()) as BillRow[];
    const anyBills = (await k.db.selectFrom('bills').selectAll().orderBy('id').execute()) as BillRow[];
    switch (op.op) {
      case 'charge': {
        const h = holders[op.holder];
        const { billId } = await bills.createCharge({
          communityId: h.community,
          houseId: h.houseId,
          residentId: h.residentId,
          source: 'prop',
          sourceRef: `p${++seq}`,
          amountFen: op.amount,
          subject: { zh: '费用', en: 'fee' },
        });
        if (op.late) await k.db.updateTable('bills').set({ late_grace_days: 3, late_rate_bp: 5, late_cap_bp: 1000 }).where('id', '=', billId).execute();
        return;
      }
      case 'note': {
        if (!anyBills.length) return;
        const b = anyBills[op.pick % anyBills.length];
        const amount = op.kind === 'credit' ? Math.min(op.amount, outstanding(b)) : op.amount;
        if (amount <= 0) return;
        await bills.adjust(b, { kind: op.kind, amountFen: amount, reason: 'prop', actorId: null });
        return;
      }
      case 'pay': {
        if (!openBills.length) return;
        const first = openBills[op.pick % openBills.length];
        const same = openBills
          .filter((b) => b.community_id === first.community_id && (b.house_id ?? b.resident_id) === (first.house_id ?? first.resident_id))
          .slice(0, op.count);
        await pay.recordOffline(
          systemActor(),
          same,
          { channel: op.channel, amountFen: same.reduce((s, b) => s + outstanding(b), 0), offlineRef: `R${seq}` },
          '127.0.0.1',
        );
        return;
      }
      case 'refund': {
        const ps = (await k.db.selectFrom('payments').selectAll().where('status', '=', 'paid').orderBy('id').execute()) as PaymentRow[];
        if (!ps.length) return;
        const p = ps[op.pick % ps.length];
        const amount = Math.min(op.amount, p.amount_fen - p.refunded_fen);
        if (amount > 0) await pay.refund(null, p, { amountFen: amount, reason: 'prop' });
        return;
      }
      case 'days':
        clock.advance(op.days * 86_400_000);
        await accrueLateFees(k, clock.now());
    }
  }

  async function check() {
    const db = t.kernel.db;
    expect(await unbalancedTransactions(db)).toEqual([]);
    const tot = await db
      .selectFrom('ledger_entries')
      .select((eb) => [eb.fn.sum<number>('debit_fen').as('d'), eb.fn.sum<number>('credit_fen').as('c')])
      .executeTakeFirst();
    expect(Number(tot?.d ?? 0)).toBe(Number(tot?.c ?? 0));
    const allBills = (await db.selectFrom('bills').selectAll().where('status', '!=', 'draft').execute()) as BillRow[];
    const items = await db
      .selectFrom('payment_items')
      .innerJoin('payments', 'payments.id', 'payment_items.payment_id')
      .select(['payment_items.bill_id', 'payment_items.amount_fen'])
      .where('payments.status', 'in', ['paid', 'refunded'])
      .execute();
    const byBill = new Map<string, number>();
    for (const i of items) byBill.set(i.bill_id, (byBill.get(i.bill_id) ?? 0) + Number(i.amount_fen));
    const expected = new Map<string, number>();
    for (const b of allBills) {
      const holder = b.house_id ?? b.resident_id!;
      // bills − payments + adjustments (debit notes, credit notes, late fees)
      expected.set(holder, (expected.get(holder) ?? 0) + b.amount_fen + b.adjust_fen + b.late_fee_fen - (byBill.get(b.id) ?? 0));
    }
    for (const [holder, v] of expected) expect(await balance(db, `receivable:${holder}`)).toBe(v);
    for (const b of allBills) {
      expect(b.paid_fen).toBeGreaterThanOrEqual(0);
      expect(b.status === 'paid').toBe(outstanding(b) <= 0);
    }
  }

  it('every transaction balances and receivables equal bills − payments + adjustments, after random operations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const op of ops) await apply(op);
        await check();
      }),
      { numRuns: dialect === 'sqlite' ? 40 : 20, seed: Number(process.env.LINLI_FC_SEED) || undefined },
    );
  }, 180_000);
});
