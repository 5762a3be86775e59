// One ordered timeline of migrations that runs on SQLite and PostgreSQL.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database, Dialect, Db } from './index.js';

export interface LinliMigration {
  name: string;
  up(db: Db, dialect: Dialect): Promise<void>;
}

export async function migrate(database: Database, migrations: LinliMigration[]): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const m of migrations) out[m.name] = { up: (db) => m.up(db, database.dialect) };
      return out;
    },
  };
  const migrator = new Migrator({ db: database.db, provider, migrationTableName: 'linli_migrations', migrationLockTableName: 'linli_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
