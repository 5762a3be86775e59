import type { LinliMigration } from '../kernel/db/migrator.js';

// Kernel files (kernel/files): the vault-wrapped data key of an encrypted file (null = a file
// stored in clear before this migration), when it expires and when its bytes were purged.
// Import spreadsheets and rejected-row reports stored before now get the default retention
// (7 days after upload), so the purge job clears the old ones on its first run.
const IMPORT_RETENTION_MS = 7 * 86_400_000;

export const m0019: LinliMigration = {
  name: '0019_file_encryption',
  async up(db) {
    await db.schema.alterTable('files').addColumn('key_enc', 'text').execute();
    await db.schema.alterTable('files').addColumn('expires_at', 'text').execute();
    await db.schema.alterTable('files').addColumn('purged_at', 'text').execute();
    await db.schema.createIndex('files_expires_at').on('files').column('expires_at').execute();
    const imports = await db.selectFrom('imports').select(['file_id', 'report_file_id']).execute();
    const ids = imports.flatMap((r) => [r.file_id, r.report_file_id]).filter((x): x is string => !!x);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('files')
        .select(['id', 'created_at'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        const expires = new Date(new Date(r.created_at).getTime() + IMPORT_RETENTION_MS).toISOString();
        await db.updateTable('files').set({ expires_at: expires }).where('id', '=', r.id).execute();
      }
    }
  },
};
