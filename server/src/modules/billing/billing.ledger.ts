// Double-entry ledger. Every money movement is one transaction of entries whose debits equal
// their credits; post() refuses anything else, so no caller can write half a movement. Its SQL is
// in billing.ledger.repository.ts.
import type { Database, Db } from '../../kernel/db/index.js';
import { iso, type Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { AppError } from '../../kernel/http/errors.js';
import { accountSums, insertLedgerTransaction, transactionSums } from './billing.ledger.repository.js';

export type LedgerKind = 'bill' | 'payment' | 'adjustment' | 'late_fee' | 'refund';

export interface Line {
  account: string;
  debit?: number;
  credit?: number;
}

/** Accounts. Receivables are kept per house (the billed unit), or per resident for a charge without a house. */
export const acct = {
  receivable: (holder: string) => `receivable:${holder}`,
  revenue: (feeKey: string) => `revenue:${feeKey}`,
  lateFeeRevenue: 'revenue:late_fee',
  clearing: (channel: string) => (channel === 'gateway' ? 'clearing:gateway' : channel === 'cash' ? 'cash' : 'bank'),
  refunds: 'refunds',
  depositsHeld: 'deposits:held',
};

export function assertBalanced(lines: Line[]): void {
  let d = 0;
  let c = 0;
  for (const l of lines) {
    const dv = l.debit ?? 0;
    const cv = l.credit ?? 0;
    if (!Number.isSafeInteger(dv) || !Number.isSafeInteger(cv) || dv < 0 || cv < 0) throw new AppError(500, 'billing.unbalanced');
    d += dv;
    c += cv;
  }
  if (d !== c || lines.length < 2) throw new AppError(500, 'billing.unbalanced');
}

/** Post one balanced transaction. Pass `database` for large ones (a billing run) to insert through the driver's bulk path. */
export async function post(
  db: Db,
  clock: Clock,
  t: { communityId: string; kind: LedgerKind; refId: string; memo?: string; lines: Line[] },
  database?: Database,
): Promise<string | null> {
  const lines = t.lines.filter((l) => (l.debit ?? 0) !== 0 || (l.credit ?? 0) !== 0);
  if (!lines.length) return null; // nothing moved (e.g. a fully waived bill)
  assertBalanced(lines);
  const id = newId('ltx');
  const at = iso(clock.now());
  const entries = lines.map((l) => ({
    id: newId('len'),
    txn_id: id,
    community_id: t.communityId,
    account: l.account,
    debit_fen: l.debit ?? 0,
    credit_fen: l.credit ?? 0,
    created_at: at,
  }));
  await insertLedgerTransaction(
    db,
    { id, community_id: t.communityId, kind: t.kind, ref_id: t.refId, memo: t.memo ?? null, created_at: at },
    entries,
    database,
  );
  return id;
}

/** Debits − credits of an account (a receivable's balance is what the holder owes). */
export async function balance(db: Db, account: string): Promise<number> {
  const s = await accountSums(db, account);
  return s.debit - s.credit;
}

/** Transactions whose entries do not balance (should always be none). */
export async function unbalancedTransactions(db: Db): Promise<string[]> {
  return (await transactionSums(db)).filter((r) => r.debit !== r.credit).map((r) => r.txnId);
}
