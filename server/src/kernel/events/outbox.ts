// Transactional outbox for domain events that must not be lost. An event published after a
// commit is lost if the process dies between the two (an alarm whose work order never opens, a
// repair cost never billed). A module instead records the event in the same transaction as the
// change (`add`), and after the commit asks for it to be published (`relay`). If the node dies
// first, the sweep job (any node, every few seconds) publishes what was left behind.
// Delivery is at least once: an event can be published twice (a node dies after publishing and
// before deleting the row), with the same event id both times, so handlers stay idempotent.
import type { Logger } from 'pino';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../db/index.js';
import type { Schema } from '../db/tables.js';
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import { recordedEvent, type EventBus, type EventToken } from './index.js';

/** Rows younger than this belong to a node that is still relaying them itself. */
export const ORPHAN_AFTER_MS = 15_000;
export const OUTBOX_JOB = 'events.outbox';

type OutboxRow = Selectable<Schema['event_outbox']>;

export class Outbox {
  /** Rows added in each open transaction (for `transaction`, which relays them without a read). */
  private added = new WeakMap<Tx, OutboxRow[]>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Record an event (the publisher's token, a payload of its type) inside the caller's transaction; returns its id for `relay`. */
  async add<T>(trx: Tx, name: EventToken<T>, payload: NoInfer<T>): Promise<string> {
    const row: OutboxRow = { id: newId('evt'), name, payload: JSON.stringify(payload), at: this.clock.now().toISOString() };
    await trx.insertInto('event_outbox').values(row).execute();
    const rows = this.added.get(trx);
    if (rows) rows.push(row);
    else this.added.set(trx, [row]);
    return row.id;
  }

  /**
   * Run `fn` in a transaction and, once it has committed, publish the events it added (read from
   * memory: no query after the commit but the delete). Never throws for the publishing part.
   */
  async transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
    let rows: OutboxRow[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      const r = await fn(trx);
      rows = this.added.get(trx) ?? [];
      return r;
    });
    try {
      await this.publishRows(rows);
    } catch (err) {
      this.log.error({ err, ids: rows.map((r) => r.id) }, 'events: outbox relay failed; the sweep will retry');
    }
    return result;
  }

  /** After the commit: publish these events and remove them from the outbox. Never throws;
   * what could not be published stays for the sweep. */
  async relay(ids: string[]): Promise<void> {
    if (!ids.length) return;
    try {
      const rows = await this.db.selectFrom('event_outbox').selectAll().where('id', 'in', ids).orderBy('id').execute();
      await this.publishRows(rows);
    } catch (err) {
      this.log.error({ err, ids }, 'events: outbox relay failed; the sweep will retry');
    }
  }

  /** Publish events left behind by a node that died between commit and publish. */
  async sweep(now = this.clock.now()): Promise<number> {
    const before = new Date(now.getTime() - ORPHAN_AFTER_MS).toISOString();
    const rows = await this.db.selectFrom('event_outbox').selectAll().where('at', '<', before).orderBy('id').limit(1000).execute();
    await this.publishRows(rows);
    return rows.length;
  }

  /** Publish in order, then delete what was published in one statement (a failed publish stops
   * there: it and the rest stay for the sweep). */
  private async publishRows(rows: OutboxRow[]): Promise<void> {
    const published: string[] = [];
    try {
      for (const r of rows) {
        await this.bus.publish(recordedEvent(r.name), JSON.parse(r.payload) as unknown, { id: r.id, at: r.at });
        published.push(r.id);
      }
    } finally {
      for (let i = 0; i < published.length; i += 500)
        await this.db
          .deleteFrom('event_outbox')
          .where('id', 'in', published.slice(i, i + 500))
          .execute();
    }
  }
}
