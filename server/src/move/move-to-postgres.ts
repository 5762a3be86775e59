// `linli move-to-postgres`: move an install from its embedded SQLite file to PostgreSQL.
//
// What it does, in order:
// 1. Holds SQLite's write lock (BEGIN IMMEDIATE) for the whole copy, so the copy is of one state and
//    nothing can be written meanwhile: a running app's writes would wait and fail, hence "stop the app".
//    The source must be migrated to this version (the same migration list), or the tables differ.
// 2. Migrates the target (an empty database, or one filled by an earlier move when --overwrite is given)
//    and empties its tables: the reference rows migrations insert come from the source too.
// 3. Copies every table the target's schema has, in foreign-key order, in batches of multi-row
//    inserts, inside one PostgreSQL transaction: a move that fails part-way leaves the target's tables
//    empty, so it can simply be run again.
// 4. Verifies: row counts of every table, the audit log's hash chain and signed checkpoints on the
//    target (the same keys), and a sample of vault ciphertext per encrypted column decrypting on
//    the target to what it decrypts to on the source.
// 5. Returns the configuration to start with (LINLI_DATABASE_URL; the data folder keeps the keys).
// Hand-written: no tool copies between these two schemas with Linli's checks (pgloader is not on
// Debian's stable list for this use, and could not verify the audit chain or the vault).
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { Config } from '../config.js';
import { openDatabase } from '../kernel/db/index.js';
import { migrate } from '../kernel/db/migrator.js';
import { migrations } from '../migrations/index.js';
import { verifyAudit, witnessFileOf, type AuditVerifyReport } from '../kernel/audit/verify.js';
import { loadSigningKeys } from '../kernel/audit/signing.js';
import { encryptedColumns, loadKeyring, Vault } from '../kernel/vault/index.js';
import '../modules/index.js'; // the modules register their encrypted columns when loaded

export interface MoveOptions {
  sqliteFile: string;
  targetUrl: string;
  config: Config;
  /** Empty the target's tables first (a target filled by an earlier move). */
  overwrite?: boolean;
  /** Rows per insert statement (at most 65,535 parameters per statement). */
  batchRows?: number;
  /** Ciphertexts checked per encrypted column. */
  samplePerColumn?: number;
  progress?: (line: string) => void;
}

export interface MoveReport {
  ok: boolean;
  tables: { name: string; source: number; target: number }[];
  rows: number;
  seconds: number;
  audit: AuditVerifyReport;
  decrypted: { table: string; column: string; checked: number; failed: number }[];
  problems: string[];
  /** Environment for the app on the new database. */
  configuration: string[];
}

export class MoveRefused extends Error {}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function moveToPostgres(o: MoveOptions): Promise<MoveReport> {
  const started = performance.now();
  const say = o.progress ?? (() => {});
  const src = new SQLite(o.sqliteFile, { fileMustExist: true });
  src.pragma('busy_timeout = 2000');
  try {
    try {
      src.exec('begin immediate');
    } catch (e) {
      throw new MoveRefused(`the database ${o.sqliteFile} is being written to (${(e as Error).message}): stop the app first`);
    }
    const applied = (src.prepare('select name from linli_migrations order by name').all() as { name: string }[]).map((r) => r.name);
    const known = migrations.map((m) => m.name).sort();
    if (applied.join('\n') !== known.join('\n')) {
      const missing = known.filter((n) => !applied.includes(n));
      const unknown = applied.filter((n) => !known.includes(n));
      throw new MoveRefused(
        `the SQLite database is not at this version's schema (${missing.length ? `not yet applied: ${missing.join(', ')}` : ''}${unknown.length ? ` unknown: ${unknown.join(', ')}` : ''}): run \`linli migrate\` with this version first`,
      );
    }

    const target = openDatabase({ url: o.targetUrl });
    try {
      await migrate(target, migrations);
      const client = await target.pool!.connect();
      let report: Omit<MoveReport, 'audit' | 'decrypted' | 'ok' | 'seconds' | 'configuration'>;
      try {
        report = await copyAll(src, client, o, say);
      } finally {
        client.release();
      }
      src.exec('commit'); // the copy is made; the source stays as it was

      say('verifying the audit log on PostgreSQL');
      const keys = loadSigningKeys({ signingKey: o.config.audit.signingKey, dataDir: o.config.dataDir }).keys;
      const audit = await verifyAudit({ db: target.db, keys: keys.publicKeys, witnessFile: witnessFileOf(o.config) });
      say('decrypting a sample of personal data on PostgreSQL');
      const vault = new Vault(loadKeyring({ masterKey: o.config.masterKey, dataDir: o.config.dataDir }).keyring);
      const decrypted = await sampleDecrypts(src, target.pool!, vault, o.samplePerColumn ?? 50);
      const problems = [...report.problems];
      if (!audit.ok) problems.push('the audit log does not verify on PostgreSQL');
      for (const d of decrypted) if (d.failed) problems.push(`${d.table}.${d.column}: ${d.failed} of ${d.checked} sampled values differ after the move`);
      return {
        ...report,
        ok: problems.length === 0,
        problems,
        audit,
        decrypted,
        seconds: +((performance.now() - started) / 1000).toFixed(1),
        configuration: [`LINLI_DATABASE_URL=${o.targetUrl}`, `LINLI_DATA_DIR=${o.config.dataDir}`],
      };
    } finally {
      await target.close();
    }
  } finally {
    if (src.inTransaction) src.exec('rollback');
    src.close();
  }
}

async function copyAll(src: SQLite.Database, client: pg.PoolClient, o: MoveOptions, say: (l: string) => void) {
  const tables = await targetTables(client);
  const sourceNames = new Set((src.prepare(`select name from sqlite_master where type in ('table', 'view')`).all() as { name: string }[]).map((r) => r.name));
  const problems: string[] = [];
  const missing = tables.filter((t) => !sourceNames.has(t.name)).map((t) => t.name);
  if (missing.length) throw new MoveRefused(`tables missing from the SQLite database: ${missing.join(', ')}`);

  // Migrations insert reference rows (device types, alarm rules…) into a new database; those are
  // replaced by the source's. An install's own data starts with places, accounts and the audit log.
  const filled: string[] = [];
  for (const t of ['places', 'users', 'audit_log']) if ((await client.query(`select exists (select 1 from ${q(t)}) as x`)).rows[0].x) filled.push(t);
  if (filled.length && !o.overwrite)
    throw new MoveRefused(
      `the target database already holds data (${filled.slice(0, 5).join(', ')}${filled.length > 5 ? ', …' : ''}): give --overwrite to replace it`,
    );

  const counts: MoveReport['tables'] = [];
  let rows = 0;
  await client.query('begin');
  try {
    await client.query(`truncate ${tables.map((t) => q(t.name)).join(', ')} cascade`);
    for (const t of tables) {
      const started = performance.now();
      const total = (src.prepare(`select count(*) as n from ${q(t.name)}`).get() as { n: number }).n;
      const copied = await copyTable(src, client, t, total, o.batchRows ?? 2000, (n) =>
        say(`${t.name}: ${n.toLocaleString('en')}/${total.toLocaleString('en')} rows`),
      );
      const inTarget = Number((await client.query(`select count(*) as n from ${q(t.name)}`)).rows[0].n);
      counts.push({ name: t.name, source: total, target: inTarget });
      if (inTarget !== total || copied !== total) problems.push(`${t.name}: ${total} rows in SQLite, ${inTarget} in PostgreSQL`);
      rows += copied;
      if (total) say(`${t.name}: ${total.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    if (problems.length) throw new MoveRefused(`row counts differ, nothing kept: ${problems.join('; ')}`);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  }
  return { tables: counts, rows, problems };
}

interface TargetTable {
  name: string;
  columns: { name: string; type: string }[];
  /** A column referencing this table's own key (a tree, e.g. places.parent_id): parents go first. */
  selfRef: { column: string; references: string } | null;
}

/** The target's tables (not the migration bookkeeping, not partitions), parents before children. */
async function targetTables(client: pg.PoolClient): Promise<TargetTable[]> {
  const names = (
    await client.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition and c.relname not like 'linli_migrations%'
       order by c.relname`,
    )
  ).rows.map((r) => r.name);
  const cols = (
    await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`,
    )
  ).rows;
  const fks = (
    await client.query<{ child: string; parent: string; child_col: string; parent_col: string }>(
      `select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
              (select attname from pg_attribute where attrelid = c.conrelid and attnum = c.conkey[1]) as child_col,
              (select attname from pg_attribute where attrelid = c.confrelid and attnum = c.confkey[1]) as parent_col
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where c.contype = 'f' and n.nspname = current_schema()`,
    )
  ).rows.map((r) => ({ ...r, child: r.child.replace(/"/g, ''), parent: r.parent.replace(/"/g, '') }));
  const byName = new Map<string, TargetTable>(
    names.map((name) => [
      name,
      { name, columns: cols.filter((c) => c.table_name === name).map((c) => ({ name: c.column_name, type: c.data_type })), selfRef: null },
    ]),
  );
  for (const f of fks) if (f.child === f.parent && byName.has(f.child)) byName.get(f.child)!.selfRef = { column: f.child_col, references: f.parent_col };
  // depth-first: a table after every table it references
  const out: TargetTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name)) return; // done, or a cycle (none today; the insert would then fail loudly)
    state.set(name, 'visiting');
    for (const f of fks) if (f.child === name && f.parent !== name && byName.has(f.parent)) visit(f.parent);
    state.set(name, 'done');
    out.push(byName.get(name)!);
  };
  for (const n of names) visit(n);
  return out;
}

async function copyTable(src: SQLite.Database, client: pg.PoolClient, t: TargetTable, total: number, batchRows: number, progress: (n: number) => void) {
  if (!total) return 0;
  const cols = t.columns;
  const per = Math.max(1, Math.min(batchRows, Math.floor(60_000 / cols.length)));
  const insert = (n: number) =>
    `insert into ${q(t.name)} (${cols.map((c) => q(c.name)).join(', ')}) values ${Array.from(
      { length: n },
      (_, r) => `(${cols.map((_, i) => `$${r * cols.length + i + 1}`).join(', ')})`,
    ).join(', ')}`;
  const full = insert(per);
  const select = `select ${cols.map((c) => q(c.name)).join(', ')} from ${q(t.name)}`;
  let source: Iterable<unknown[]>;
  if (t.selfRef) {
    // a tree: rows whose parent is already copied first (the key and the reference by their names)
    const rows = src.prepare(select).raw().all() as unknown[][];
    const key = cols.findIndex((c) => c.name === t.selfRef!.references);
    const ref = cols.findIndex((c) => c.name === t.selfRef!.column);
    source = treeOrder(rows, key, ref);
  } else source = src.prepare(select).raw().iterate() as Iterable<unknown[]>;
  let batch: unknown[] = [];
  let n = 0;
  let lastSaid = 0;
  const flush = async (rowsInBatch: number) => {
    await client.query(rowsInBatch === per ? { name: `move_${t.name}`, text: full, values: batch } : { text: insert(rowsInBatch), values: batch });
    n += rowsInBatch;
    batch = [];
    if (n - lastSaid >= 50_000) progress((lastSaid = n));
  };
  let inBatch = 0;
  for (const row of source) {
    for (let i = 0; i < cols.length; i++) batch.push(convert(row[i], cols[i].type));
    if (++inBatch === per) {
      await flush(inBatch);
      inBatch = 0;
    }
  }
  if (inBatch) await flush(inBatch);
  return n;
}

function treeOrder(rows: unknown[][], key: number, ref: number): unknown[][] {
  const children = new Map<unknown, unknown[][]>();
  const keys = new Set(rows.map((r) => r[key]));
  const roots: unknown[][] = [];
  for (const r of rows) {
    const parent = r[ref];
    if (parent == null || !keys.has(parent)) roots.push(r);
    else (children.get(parent) ?? children.set(parent, []).get(parent)!).push(r);
  }
  const out: unknown[][] = [];
  const stack = roots.reverse();
  while (stack.length) {
    const r = stack.pop()!;
    out.push(r);
    const c = children.get(r[key]);
    if (c) for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
  return out;
}

/** SQLite's storage classes to the target column's type. */
function convert(v: unknown, type: string): unknown {
  if (v == null) return null;
  if (type === 'boolean') return Boolean(v);
  if (type === 'bytea') return Buffer.isBuffer(v) ? v : Buffer.from(String(v));
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/** Per encrypted column: sampled rows' ciphertext on the target equals the source's and decrypts. */
async function sampleDecrypts(src: SQLite.Database, pool: pg.Pool, vault: Vault, per: number) {
  const out: MoveReport['decrypted'] = [];
  for (const e of encryptedColumns) {
    for (const column of e.columns) {
      const rows = (
        await pool.query(`select ${q(e.idColumn)} as id, ${q(column)} as v from ${q(e.table)} where ${q(column)} is not null order by 1 limit ${per}`)
      ).rows as { id: string; v: string }[];
      const st = src.prepare(`select ${q(column)} as v from ${q(e.table)} where ${q(e.idColumn)} = ?`);
      let failed = 0;
      for (const r of rows) {
        // the id column need not be unique (several viewers of one patient): any row of that id may match
        const before = (st.all(r.id) as { v: string | null }[]).flatMap((x) => (x.v == null ? [] : [x.v]));
        try {
          const after = vault.decrypt(r.v);
          if (!before.some((b) => vault.decrypt(b) === after)) failed++;
        } catch {
          failed++;
        }
      }
      out.push({ table: e.table, column, checked: rows.length, failed });
    }
  }
  return out;
}
