import type { LinliMigration } from '../kernel/db/migrator.js';

// Signed checkpoints of hash-chained logs (kernel/audit/checkpoints.ts): the head of a chain
// (its sequence number and hash) signed with a key kept outside the database. One table for
// every chain (the audit log now, the exchange message log later), keyed by the chain's name.
export const m0018: LinliMigration = {
  name: '0018_chain_checkpoints',
  async up(db, dialect) {
    const big = dialect === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('chain_checkpoints')
      .addColumn('chain', 'text', (c) => c.notNull())
      .addColumn('seq', big, (c) => c.notNull())
      .addColumn('head_hash', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('chain_checkpoints_pk', ['chain', 'seq'])
      .execute();
  },
};
