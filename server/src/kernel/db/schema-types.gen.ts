// `npm run db:types`: migrate a fresh SQLite database and a PostgreSQL one (LINLI_TEST_PG_URL, default
// the local server), check they agree, and write schema.generated.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeSchemas, migratedShape, renderSchemaTypes, schemaDifferences } from './schema-types.js';

const sqlite = await migratedShape('sqlite');
const postgres = await migratedShape('postgres');
const diffs = schemaDifferences(sqlite, postgres, ['sqlite', 'postgres']);
if (diffs.length) {
  console.error('SQLite and PostgreSQL disagree:\n' + diffs.join('\n'));
  process.exit(1);
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.generated.ts');
const merged = mergeSchemas(sqlite, postgres);
fs.writeFileSync(out, renderSchemaTypes(merged));
console.log(`wrote ${out} (${Object.keys(merged).length} tables)`);
