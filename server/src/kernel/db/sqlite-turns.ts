// Turns at SQLite's write lock among the connections of this process. The ingest pipeline writes
// from a second connection on a worker thread (devices/telemetry.sqlite.ts). If the main
// connection simply asked for the lock while that thread held it, SQLite's busy handler would
// sleep on the main thread, stalling every socket (measured: 0.8 s of 10 s at half ingest load).
// Instead a writer on either side first takes a turn here, asynchronously and in arrival order,
// and only then touches the lock: main-thread writers wait without blocking the event loop, and
// reads do not wait for them (WAL; a waiting writer lets go of Kysely's single connection). The
// busy handler stays as the safety net for other processes.
//
// Kysely's SQLite driver is wrapped so that a transaction takes a turn at BEGIN and gives it back
// at COMMIT or ROLLBACK, and a write outside a transaction (better-sqlite3 tells: statement
// not readonly) takes one around itself. Transactions BEGIN IMMEDIATE: a deferred transaction that
// read before another connection committed could not write (SQLITE_BUSY, no retry).
// Hand-written: Kysely and better-sqlite3 have nothing that coordinates two connections.
import type SQLite from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type QueryResult, type SqliteDialectConfig } from 'kysely';

export class WriteTurns {
  private tail: Promise<void> = Promise.resolve();
  private outstanding = 0;

  /** Wait for the turn; call the returned function to give it back (exactly once). */
  async take(): Promise<() => void> {
    this.outstanding++;
    let give!: () => void;
    const mine = new Promise<void>((r) => (give = r));
    const before = this.tail;
    this.tail = before.then(() => mine);
    await before;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.outstanding--;
      give();
    };
  }

  /** Someone holds the turn or waits for it (a synchronous writer should not block on the lock now). */
  get busy(): boolean {
    return this.outstanding > 0;
  }
}

class TurnTakingDriver extends SqliteDriver {
  private giveBack: (() => void) | null = null;
  private conn: DatabaseConnection | null = null;
  private inner: DatabaseConnection | null = null;

  constructor(
    cfg: SqliteDialectConfig,
    private readonly raw: SQLite.Database,
    private readonly turns: WriteTurns,
  ) {
    super(cfg);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = (this.inner = await super.acquireConnection());
    this.conn ??= {
      executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        if (this.giveBack || this.raw.prepare(q.sql).readonly) return inner.executeQuery<R>(q);
        const give = await this.takeTurn();
        try {
          return await inner.executeQuery<R>(q);
        } finally {
          give();
        }
      },
      streamQuery: <R>(q: CompiledQuery, chunk?: number) => inner.streamQuery<R>(q, chunk),
    };
    return this.conn;
  }

  /**
   * Take the turn. While another writer has it, the connection is let go meanwhile (Kysely holds
   * it from before BEGIN), so that reads on it are not held up behind this waiting writer.
   */
  private async takeTurn(): Promise<() => void> {
    if (!this.turns.busy) return this.turns.take();
    await super.releaseConnection();
    try {
      return await this.turns.take();
    } finally {
      await super.acquireConnection();
    }
  }

  override async beginTransaction(): Promise<void> {
    const give = await this.takeTurn();
    try {
      await this.inner!.executeQuery(CompiledQuery.raw('begin immediate')); // not through the wrapper: this is the turn
    } catch (e) {
      give();
      throw e;
    }
    this.giveBack = give;
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.endTurn();
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.endTurn();
    }
  }

  private endTurn(): void {
    const give = this.giveBack;
    this.giveBack = null;
    give?.();
  }
}

export class TurnTakingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly cfg: SqliteDialectConfig & { database: SQLite.Database },
    private readonly turns: WriteTurns,
  ) {
    super(cfg);
  }
  override createDriver() {
    return new TurnTakingDriver(this.cfg, this.cfg.database, this.turns);
  }
}
