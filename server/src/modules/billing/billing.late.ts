// Late fees and reminders, run daily. A late fee accrues at the item's daily rate on what is
// unpaid, after the grace days, up to the cap; it is its own ledger entry (late-fee revenue).
// A reminder goes to the residents' inboxes once a bill is overdue. Nothing is ever cut off
// for not paying (Civil Code Art. 944): there is deliberately no such hook here.
import type { Kernel } from '../../kernel/index.js';
import { systemActor } from '../../kernel/authz/index.js';
import { iso, localDate } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { formatYuan } from '../../kernel/money.js';
import { billingHouses } from '../registry/index.js';
import { userOfResident } from '../identity/index.js';
import { lateFee } from './billing.calc.js';
import { acct, post } from './billing.ledger.js';
import { BillingRepository, holderOf, outstanding, type BillRow } from './billing.repository.js';

export async function accrueLateFees(k: Kernel, now: Date): Promise<{ charged: number; reminded: number }> {
  // the daily job, not a person, charges them: each late fee is audited as this actor
  const actor = systemActor('billing.late-fees');
  const today = localDate(now, k.config.timeZone);
  let charged = 0;
  let reminded = 0;
  let after = '';
  const repo = new BillingRepository(k.db);
  for (;;) {
    const rows = await repo.overdueBills(today, after, 500);
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    for (const b of rows) {
      const unpaid = b.amount_fen + b.adjust_fen - b.paid_fen; // the late fee itself bears no late fee
      const target = lateFee({
        unpaidFen: unpaid,
        amountFen: b.amount_fen,
        dueDate: b.due_date!,
        today,
        graceDays: b.late_grace_days,
        rateBp: b.late_rate_bp,
        capBp: b.late_cap_bp,
      });
      if (target > b.late_fee_fen) {
        const delta = target - b.late_fee_fen;
        const ok = await k.db.transaction().execute(async (tx) => {
          // the old value in the WHERE: two nodes running the job cannot both add the same day
          if (!(await repo.raiseLateFee(tx, b, target))) return false;
          const id = newId('adj');
          await repo.addAdjustment(tx, {
            id,
            billId: b.id,
            kind: 'late_fee',
            amountFen: delta,
            reason: `late fee to ${today}`,
            createdBy: actor.userId,
            at: iso(now),
          });
          await post(tx, k.clock, {
            communityId: b.community_id,
            kind: 'late_fee',
            refId: id,
            memo: b.number,
            lines: [
              { account: acct.receivable(holderOf(b)), debit: delta },
              { account: acct.lateFeeRevenue, credit: delta },
            ],
          });
          await k.audit.record(
            {
              actorId: actor.userId,
              actorName: actor.name,
              action: 'billing.late_fee.accrue',
              targetType: 'Bill',
              targetId: b.id,
              scopePath: b.place_path,
              detail: { number: b.number, amountFen: delta, lateFeeFen: target, to: today },
            },
            tx,
          );
          return true;
        });
        if (ok) {
          charged++;
          b.late_fee_fen = target;
        }
      }
      if (!b.reminded_at) {
        await remind(k, b);
        await repo.markReminded(b.id, iso(now));
        reminded++;
      }
    }
  }
  return { charged, reminded };
}

async function remind(k: Kernel, b: BillRow) {
  const residentIds = new Set<string>();
  if (b.resident_id) residentIds.add(b.resident_id);
  if (b.house_id) for (const h of await billingHouses.ofCommunity(k, b.community_id, [b.house_id])) for (const o of h.occupants) residentIds.add(o.residentId);
  const users: string[] = [];
  for (const r of residentIds) {
    const u = await userOfResident(k, r);
    if (u) users.push(u);
  }
  if (!users.length) return;
  const params = { subject: { zh: b.subject_zh, en: b.subject_en }, number: b.number, amount: formatYuan(outstanding(b)) };
  await k.notify.send(users, { kind: 'billing.reminder', code: 'billing.remind.title', bodyCode: 'billing.remind.body', params, link: '/portal/bills' });
}
