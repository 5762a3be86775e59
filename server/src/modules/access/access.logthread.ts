// The decision log on a SQLite file, written by a thread of its own (kernel/db/sqlite-thread.ts).
//
// Why: the log insert was the largest part of a decision. Each commit appends every page it
// dirtied to the WAL (the table and six indexes: about 11 frames, two write() calls each), which
// took ~0.24 ms of the main thread per decision, more than the rest of the decision together
// (docs/performance.md). Group commit on the main thread did not help: the cost is per row, and
// waiting for the end of the loop turn to commit multiplied the answer time.
//
// How: a decision that changes no other state (no anti-passback group, no visitor-pass use) is
// answered at once; its row is queued here and committed by the thread, together with whatever
// else queued in the same event-loop turn or while the previous group was being written. Decisions that
// read and change state in the same transaction as their row (anti-passback, pass uses) keep the
// synchronous write on the main connection (access.write.ts), which takes turns with this thread.
//
// What it costs, decided on purpose: a row is committed ~0.1–1 ms after its answer, so a process
// crash in that window loses those rows (the controller already opened the door; a retry after
// the restart is decided again and logged once). Readers of the log in this process wait for what
// was queued before they read (flushed()), so a list right after a decision shows it. A retry
// within the process gets the remembered answer (access.decide.ts), and the unique key
// (controller_id, event_id) keeps any row from being stored twice. If the thread cannot write
// (disk full, thread died), the rows stay queued and are retried every second, and the error is
// logged; close() writes what is queued before the thread stops.
import type { Logger } from 'pino';
import type { Kernel } from '../../kernel/index.js';
import type { WriteTurns } from '../../kernel/db/index.js';
import { SqliteThread } from '../../kernel/db/sqlite-thread.js';
import { LOG_COLUMNS, LOG_INSERT_SQL, logValues } from './access.write.js';
import type { LogRow } from './access.log.repository.js';

// A row SQLite refuses (a statement error aborts only that statement) is left out and reported
// instead of holding up the rows behind it; a row already logged (same controller and event) is
// skipped by the unique key.
const LOG_WRITER_JS = `
function makeWriter(db) {
  const insert = db.prepare(${JSON.stringify(LOG_INSERT_SQL)});
  return db.transaction((rows) => {
    const refused = [];
    for (const r of rows) {
      try {
        insert.run(r);
      } catch (e) {
        refused.push([r[${LOG_COLUMNS.indexOf('event_id')}], String((e && e.message) || e)]);
      }
    }
    return refused;
  }).immediate;
}
`;

const RETRY_MS = 1000;

export class AccessLogQueue {
  readonly thread: SqliteThread<unknown[][], [string, string][]>;
  private queue: unknown[][] = [];
  private pushed = 0;
  private committed = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];
  private draining = false;
  private closed = false;

  constructor(
    file: string,
    private readonly turns: WriteTurns,
    private readonly log: Logger,
  ) {
    this.thread = new SqliteThread(file, LOG_WRITER_JS, 'access log writer');
  }

  /** Queue a decision's row; the thread commits it shortly. */
  push(row: LogRow): void {
    this.queue.push(logValues(row));
    this.pushed++;
    // the rows of one event-loop turn go to the thread together (one message, one commit)
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Resolves when every row queued before this call is committed, or after `maxMs` (the thread cannot write: read what is there). */
  flushed(maxMs = 2000): Promise<void> {
    if (this.committed >= this.pushed) return Promise.resolve();
    return new Promise((resolve) => {
      const w = { upTo: this.pushed, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve();
      }, maxMs).unref();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const rows = this.queue;
        this.queue = [];
        let failed: unknown = null;
        const give = await this.turns.take();
        try {
          const refused = await this.thread.post(rows);
          for (const [eventId, error] of refused) this.log.error({ eventId, error }, 'access log: row refused by the database, left out');
        } catch (err) {
          failed = err;
        } finally {
          give();
        }
        if (failed) {
          // nothing is dropped: the group goes back to the front and is tried again
          this.queue = rows.concat(this.queue);
          this.log.error({ err: failed, rows: this.queue.length }, 'access log: rows not written yet, retrying');
          if (this.closed) return;
          await new Promise((r) => setTimeout(r, RETRY_MS));
          continue;
        }
        this.committed += rows.length;
        if (this.waiters.length) {
          const due = this.waiters.filter((w) => w.upTo <= this.committed);
          this.waiters = this.waiters.filter((w) => w.upTo > this.committed);
          for (const w of due) w.resolve();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Write what is queued, then stop the thread. */
  async close(): Promise<void> {
    await this.flushed(5000);
    this.closed = true;
    if (this.queue.length) this.log.error({ rows: this.queue.length }, 'access log: closed with rows not written');
    await this.thread.close();
  }
}

const queues = new WeakMap<Kernel, AccessLogQueue>();

/** The kernel's log queue; null unless the database is a SQLite file (memory and PostgreSQL write in the decision). */
export function accessLogQueue(k: Kernel): AccessLogQueue | null {
  const d = k.database;
  if (d.dialect !== 'sqlite' || !d.file || d.file === ':memory:' || !d.turns) return null;
  let q = queues.get(k);
  if (!q) queues.set(k, (q = new AccessLogQueue(d.file, d.turns, k.log)));
  return q;
}

/** For readers of the log: wait until this process's queued rows are committed. */
export const logSettled = (k: Kernel) => async () => queues.get(k)?.flushed();

export async function closeAccessLog(k: Kernel): Promise<void> {
  await queues.get(k)?.close();
  queues.delete(k);
}
