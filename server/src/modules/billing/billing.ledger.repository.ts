// The SQL of the double-entry ledger's two tables (ledger_transactions, ledger_entries); the rules
// (balanced transactions only) are in billing.ledger.ts.
import { insertMany, type Database, type Db } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { Insertable } from 'kysely';
import type { BillingTables } from './billing.tables.js';

export type LedgerTransactionRow = Insertable<BillingTables['ledger_transactions']>;
export type LedgerEntryRow = Insertable<BillingTables['ledger_entries']>;

const lt = (db: Db) => tablesOf<BillingTables>(db);

/** One transaction and its entries, in the caller's transaction. Pass `database` for large ones (the driver's bulk path). */
export async function insertLedgerTransaction(db: Db, t: LedgerTransactionRow, entries: LedgerEntryRow[], database?: Database): Promise<void> {
  await lt(db).insertInto('ledger_transactions').values(t).execute();
  if (database) await insertMany(database, db, 'ledger_entries', entries);
  // chunked: SQLite binds at most 32766 parameters
  else
    for (let i = 0; i < entries.length; i += 500)
      await lt(db)
        .insertInto('ledger_entries')
        .values(entries.slice(i, i + 500))
        .execute();
}

/** Debits and credits of an account. */
export async function accountSums(db: Db, account: string): Promise<{ debit: number; credit: number }> {
  const r = await lt(db)
    .selectFrom('ledger_entries')
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('debit_fen'), eb.val(0)).as('d'), eb.fn.coalesce(eb.fn.sum<number>('credit_fen'), eb.val(0)).as('c')])
    .where('account', '=', account)
    .executeTakeFirst();
  return { debit: Number(r?.d ?? 0), credit: Number(r?.c ?? 0) };
}

/** Debits and credits of every transaction. */
export async function transactionSums(db: Db): Promise<{ txnId: string; debit: number; credit: number }[]> {
  const rows = await lt(db)
    .selectFrom('ledger_entries')
    .select(['txn_id', (eb) => eb.fn.sum<number>('debit_fen').as('d'), (eb) => eb.fn.sum<number>('credit_fen').as('c')])
    .groupBy('txn_id')
    .execute();
  return rows.map((r) => ({ txnId: r.txn_id, debit: Number(r.d), credit: Number(r.c) }));
}
