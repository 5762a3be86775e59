// The migrated schema as TypeScript: `npm run db:types` writes schema.generated.ts from fresh
// databases migrated on each dialect, and schema-types.test.ts fails when the file no longer
// matches what the migrations make (so migrations and types cannot drift). Modules declare their
// own table interfaces and check them against it at compile time (tables.ts).
// Hand-written rather than kysely-codegen: that tool needs a live database per run and maps
// SQLite and PostgreSQL types differently; here both dialects must give one file.
// Only `npm run db:types` (schema-types.gen.ts) and schema-types.test.ts load this file; the app does not.
import { sql, type Kysely } from 'kysely';
import { createTestDatabase } from '../../test/db.js';
import { migrations } from '../../migrations/index.js';
import { migrate } from './migrator.js';
import type { Dialect } from './index.js';

export interface ColumnShape {
  name: string;
  ts: 'string' | 'number' | 'unknown';
  nullable: boolean;
  /** Has a declared default: optional on insert (Kysely's Generated). SQLite's rowid keys are not counted: Linli sets them. */
  generated: boolean;
}
export interface TableShape {
  view: boolean;
  columns: ColumnShape[];
}
export type SchemaShape = Record<string, TableShape>;

/**
 * Tables that exist on one dialect only, on purpose: SQLite keeps raw telemetry in two tables
 * behind the `telemetry_raw` view (migration 0016); PostgreSQL keeps one table.
 */
export const DIALECT_ONLY_TABLES = new Set(['telemetry_raw_by_series', 'telemetry_raw_moved', 'telemetry_raw_recent']);

/** A column's SQL type as the TypeScript type the drivers hand back (pg parses int8 and numeric as numbers, kernel/db). */
export function tsTypeOf(dataType: string): ColumnShape['ts'] {
  const t = dataType.toLowerCase();
  if (/(char|text|clob|uuid|date|time|json)/.test(t)) return 'string';
  if (/(int|real|floa|doub|num|dec|bool)/.test(t)) return 'number';
  return 'unknown';
}

/** Tables and views of a migrated database (not the migrator's own tables), columns in name order. */
export async function introspect(db: Kysely<never>, dialect: 'sqlite' | 'postgres'): Promise<SchemaShape> {
  const out: SchemaShape = {};
  const tables = await db.introspection.getTables();
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) {
    if (t.name.startsWith('linli_migrations') || t.name.startsWith('sqlite_')) continue;
    // SQLite lets a non-integer primary key hold NULL unless declared NOT NULL; Linli never stores
    // one, and PostgreSQL makes them NOT NULL, so a key column counts as not nullable on both
    const keys = new Set<string>();
    if (dialect === 'sqlite') {
      const r = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${t.name})`.execute(db);
      for (const c of r.rows) if (c.pk > 0) keys.add(c.name);
    }
    out[t.name] = {
      view: t.isView,
      columns: t.columns
        .map((c) => ({ name: c.name, ts: tsTypeOf(c.dataType), nullable: c.isNullable && !keys.has(c.name), generated: c.hasDefaultValue }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
  return out;
}

/** The schema a fresh database of the dialect has after every migration (a temporary database, dropped after). */
export async function migratedShape(d: Dialect): Promise<SchemaShape> {
  const t = await createTestDatabase(d);
  try {
    await migrate(t.database, migrations);
    return await introspect(t.database.db as unknown as Kysely<never>, d);
  } finally {
    await t.drop();
  }
}

/**
 * Where the two dialects' schemas differ (table, column, type or nullability); empty = they agree.
 * A view's columns report no nullability on SQLite, so only names and types are compared there.
 */
export function schemaDifferences(a: SchemaShape, b: SchemaShape, names: [string, string]): string[] {
  const diffs: string[] = [];
  for (const t of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!a[t] || !b[t]) {
      if (!DIALECT_ONLY_TABLES.has(t)) diffs.push(`table ${t} only on ${a[t] ? names[0] : names[1]}`);
      continue;
    }
    const either = a[t].view || b[t].view;
    const bc = new Map(b[t].columns.map((c) => [c.name, c]));
    for (const c of a[t].columns) {
      const o = bc.get(c.name);
      if (!o) diffs.push(`${t}.${c.name} only on ${names[0]}`);
      else if (o.ts !== c.ts || (!either && (o.nullable !== c.nullable || o.generated !== c.generated))) {
        diffs.push(`${t}.${c.name}: ${names[0]} ${show(c)}, ${names[1]} ${show(o)}`);
      }
      bc.delete(c.name);
    }
    for (const name of bc.keys()) diffs.push(`${t}.${name} only on ${names[1]}`);
  }
  return diffs;
}

/** One schema for both dialects: every table of either; a view's nullability from the dialect where it is a table. */
export function mergeSchemas(sqlite: SchemaShape, postgres: SchemaShape | null): SchemaShape {
  const out: SchemaShape = {};
  for (const t of [...new Set([...Object.keys(sqlite), ...Object.keys(postgres ?? {})])].sort()) {
    const s = sqlite[t];
    const p = postgres?.[t];
    out[t] = s && (!s.view || !p) ? s : p!;
  }
  return out;
}

const show = (c: ColumnShape) => (c.generated ? `Generated<${c.ts}>` : c.ts) + (c.nullable ? ' | null' : '');

export function renderSchemaTypes(schema: SchemaShape): string {
  const lines = [
    '// Generated by `npm run db:types` from the schema the migrations make on SQLite and PostgreSQL.',
    '// Do not edit: change a migration, then regenerate. schema-types.test.ts fails when this file is stale.',
    '',
    "import type { Generated } from 'kysely';",
    '',
    'export interface Schema {',
  ];
  for (const [table, shape] of Object.entries(schema)) {
    lines.push(`  ${table}: {`);
    for (const c of shape.columns) lines.push(`    ${c.name}: ${show(c)};`);
    lines.push('  };');
  }
  lines.push('}', '');
  return lines.join('\n');
}
