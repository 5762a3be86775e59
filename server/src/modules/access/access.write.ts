// A decision's write on SQLite that must happen before its answer, without Kysely: one
// synchronous better-sqlite3 transaction (BEGIN IMMEDIATE … COMMIT) with statements prepared
// once. Decisions that change no other state are logged by the writer thread instead
// (access.logthread.ts); this path is for anti-passback and visitor-pass uses, whose answer
// depends on state read and changed together with the row, and for an in-memory database (no
// second connection for a thread). The commit is a WAL append without
// fsync (synchronous = NORMAL).
//
// Inside the transaction: the unique key (controller_id, event_id) is checked first (a retry
// writes nothing and gets the stored answer), then anti-passback state and a visitor pass's use
// (race-safe: the write lock is held), then the row. If another writer has the turn at the write
// lock (kernel/db/sqlite-turns.ts), the decision takes AccessDecider.writeKysely instead
// (PostgreSQL always does), with the same steps.
import type SQLite from 'better-sqlite3';
import type { LogRow } from './access.log.repository.js';

export const LOG_COLUMNS = [
  'id',
  'community_id',
  'place_path',
  'point_id',
  'point_name',
  'controller_id',
  'event_id',
  'at',
  'recorded_at',
  'credential_type',
  'credential_id',
  'resident_id',
  'visitor_pass_id',
  'holder_name',
  'direction',
  'result',
  'reason',
  'open_seconds',
  'offline',
] as const;

/** The log row's insert (positional, in LOG_COLUMNS order); a row already logged for the controller's event is skipped. */
export const LOG_INSERT_SQL = `insert into access_log (${LOG_COLUMNS.map((c) => `"${c}"`).join(', ')}) values (${LOG_COLUMNS.map(() => '?').join(', ')}) on conflict (controller_id, event_id) do nothing`;

/** A row's values for LOG_INSERT_SQL. */
export const logValues = (row: LogRow): unknown[] => LOG_COLUMNS.map((c) => row[c]);

export interface WriteOptions {
  apbGroups: string[];
  apbHolder: string | null;
  takeUse: string | null;
  openSeconds: number;
}

/** written: this call logged it; duplicate: the event was logged before; busy: write it another way. */
export type WriteOutcome = 'written' | 'duplicate' | 'busy';

class SqliteDecisionWriter {
  readonly write: (row: LogRow, o: WriteOptions) => WriteOutcome;
  readonly stored: SQLite.Statement<[string, string], LogRow>;

  constructor(private readonly db: SQLite.Database) {
    const seen = db.prepare('select 1 from access_log where controller_id = ? and event_id = ?').pluck();
    this.stored = db.prepare('select * from access_log where controller_id = ? and event_id = ?');
    const apbGet = db.prepare('select direction from access_apb where group_id = ? and holder = ?').pluck();
    const apbSet = db.prepare(
      'insert into access_apb (group_id, holder, direction, at) values (?, ?, ?, ?) on conflict (group_id, holder) do update set direction = excluded.direction, at = excluded.at',
    );
    const takeUse = db.prepare('update access_visitor_passes set uses = uses + 1 where id = ? and uses < max_uses');
    const insertLog = db.prepare(LOG_INSERT_SQL);
    const one = (row: LogRow, o: WriteOptions): WriteOutcome => {
      if (seen.get(row.controller_id, row.event_id)) return 'duplicate';
      let result = row.result;
      let reason = row.reason;
      if (result === 'allow' && o.apbGroups.length && o.apbHolder) {
        for (const g of o.apbGroups) {
          if (apbGet.get(g, o.apbHolder) === row.direction) {
            result = 'deny';
            reason = 'anti_passback';
          }
        }
        if (result === 'allow') for (const g of o.apbGroups) apbSet.run(g, o.apbHolder, row.direction, row.at);
      }
      if (result === 'allow' && o.takeUse && takeUse.run(o.takeUse).changes !== 1) {
        result = 'deny';
        reason = 'pass_used_up';
      }
      row.result = result;
      row.reason = reason;
      row.open_seconds = result === 'allow' ? o.openSeconds : 0;
      insertLog.run(logValues(row));
      return 'written';
    };
    const tx = db.transaction(one).immediate;
    this.write = (row, o) => (this.db.inTransaction ? 'busy' : tx(row, o));
  }
}

const writers = new WeakMap<SQLite.Database, SqliteDecisionWriter>();

function writerOf(db: SQLite.Database): SqliteDecisionWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new SqliteDecisionWriter(db)));
  return w;
}

/** Write one decision now (synchronously), unless a transaction is open on the connection ('busy'). */
export function writeDecisionSqlite(db: SQLite.Database, row: LogRow, o: WriteOptions): WriteOutcome {
  return writerOf(db).write(row, o);
}

/** The logged row of a controller's event, read now (committed rows only). */
export function storedDecisionSqlite(db: SQLite.Database, controllerId: string, eventId: string): LogRow | undefined {
  return writerOf(db).stored.get(controllerId, eventId);
}
