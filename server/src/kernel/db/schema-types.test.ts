// Migrations and the declared table types cannot drift: the schema both dialects migrate to must be
// the one schema.generated.ts describes (module table interfaces are checked against that file by tsc).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createTestDatabase, pgUrl, requireAll } from '../../test/db.js';
import type { Kysely } from 'kysely';
import { migrate } from './migrator.js';
import { migrations } from '../../migrations/index.js';
import { introspect, mergeSchemas, renderSchemaTypes, schemaDifferences, type SchemaShape } from './schema-types.js';
import type { Dialect } from './index.js';

const generated = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.generated.ts');

async function shapeOf(d: Dialect): Promise<SchemaShape> {
  const t = await createTestDatabase(d);
  try {
    await migrate(t.database, migrations);
    return await introspect(t.database.db as unknown as Kysely<never>, d);
  } finally {
    await t.drop();
  }
}

it('SQLite and PostgreSQL migrate to the same schema, and schema.generated.ts is that schema (npm run db:types regenerates it)', async () => {
  if (!pgUrl && requireAll) throw new Error('LINLI_TEST_PG_URL is required when LINLI_TEST_REQUIRE_ALL=1');
  const sqlite = await shapeOf('sqlite');
  const postgres = pgUrl ? await shapeOf('postgres') : null;
  if (postgres) expect(schemaDifferences(sqlite, postgres, ['sqlite', 'postgres'])).toEqual([]);
  // without PostgreSQL the SQLite views' nullability cannot be settled: compare tables only
  const expected = renderSchemaTypes(mergeSchemas(sqlite, postgres));
  const actual = fs.readFileSync(generated, 'utf8');
  if (postgres) expect(actual).toBe(expected);
  else
    for (const [t, shape] of Object.entries(sqlite))
      if (!shape.view)
        expect(actual).toContain(
          renderSchemaTypes({ [t]: shape })
            .split('export interface Schema {\n')[1]
            .replace(/}\n$/, ''),
        );
});
