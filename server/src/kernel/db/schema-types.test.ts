// Migrations and the declared table types cannot drift: the schema both dialects migrate to must be
// the one schema.generated.ts describes (module table interfaces are checked against that file by tsc).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { pgUrl, requireAll } from '../../test/db.js';
import { mergeSchemas, migratedShape, renderSchemaTypes, schemaDifferences } from './schema-types.js';

const generated = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.generated.ts');

it('SQLite and PostgreSQL migrate to the same schema, and schema.generated.ts is that schema (npm run db:types regenerates it)', async () => {
  if (!pgUrl && requireAll) throw new Error('LINLI_TEST_PG_URL is required when LINLI_TEST_REQUIRE_ALL=1');
  const sqlite = await migratedShape('sqlite');
  const postgres = pgUrl ? await migratedShape('postgres') : null;
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
