// `npm run db:types`: migrate a fresh SQLite database and a PostgreSQL one (LINLI_TEST_PG_URL, default
// the local server), check they agree, and write schema.generated.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../../test/db.js';
import type { Kysely } from 'kysely';
import { migrate } from './migrator.js';
import { migrations } from '../../migrations/index.js';
import { introspect, mergeSchemas, renderSchemaTypes, schemaDifferences, type SchemaShape } from './schema-types.js';
import type { Dialect } from './index.js';

async function shapeOf(d: Dialect): Promise<SchemaShape> {
  const t = await createTestDatabase(d);
  try {
    await migrate(t.database, migrations);
    return await introspect(t.database.db as unknown as Kysely<never>, d);
  } finally {
    await t.drop();
  }
}

const sqlite = await shapeOf('sqlite');
const postgres = await shapeOf('postgres');
const diffs = schemaDifferences(sqlite, postgres, ['sqlite', 'postgres']);
if (diffs.length) {
  console.error('SQLite and PostgreSQL disagree:\n' + diffs.join('\n'));
  process.exit(1);
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.generated.ts');
const merged = mergeSchemas(sqlite, postgres);
fs.writeFileSync(out, renderSchemaTypes(merged));
console.log(`wrote ${out} (${Object.keys(merged).length} tables)`);
