// Migration 0019 on a database that already holds files: they stay (read as clear legacy files),
// and the spreadsheets and reports of imports get the default 7-day retention from their upload.
import { afterEach, expect, it } from 'vitest';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../test/db.js';
import { migrate } from '../kernel/db/migrator.js';
import { migrations } from './index.js';

describeEachDialect('migration 0019 (file encryption and retention)', (dialect) => {
  let t: TestDatabase;
  afterEach(async () => t?.drop());

  it('gives the files of past imports 7 days from upload, and other files no expiry', async () => {
    t = await createTestDatabase(dialect);
    await migrate(
      t.database,
      migrations.slice(
        0,
        migrations.findIndex((m) => m.name === '0019_file_encryption'),
      ),
    );
    const db = t.database.db;
    const file = (id: string, at: string) => ({
      id,
      owner_id: null,
      name: `${id}.csv`,
      mime: 'text/csv',
      size: 1,
      sha256: 'x',
      storage_key: `2025/01/${id}`,
      created_at: at,
    });
    await db
      .insertInto('files')
      .values([file('fil_up', '2025-01-02T03:00:00.000Z'), file('fil_rep', '2025-01-02T03:05:00.000Z'), file('fil_photo', '2025-01-01T00:00:00.000Z')])
      .execute();
    await db
      .insertInto('imports')
      .values({
        id: 'imp_1',
        community_id: 'plc_1',
        place_path: '/plc_1/',
        kind: 'residents',
        file_id: 'fil_up',
        file_name: 'a.csv',
        status: 'done',
        report_file_id: 'fil_rep',
        created_by: 'usr_1',
        created_at: '2025-01-02T03:00:00.000Z',
      })
      .execute();

    await migrate(t.database, migrations);
    const rows = await db.selectFrom('files').select(['id', 'key_enc', 'expires_at', 'purged_at']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'fil_photo', key_enc: null, expires_at: null, purged_at: null },
      { id: 'fil_rep', key_enc: null, expires_at: '2025-01-09T03:05:00.000Z', purged_at: null },
      { id: 'fil_up', key_enc: null, expires_at: '2025-01-09T03:00:00.000Z', purged_at: null },
    ]);
  });
});
