// The only code that touches the event tables.
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Database, Db, Tx } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { ParticipationTables } from './participation.tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { startsWith } from '../../kernel/db/index.js';
import { reachWhere } from './points.repository.js';

export type EventRow = Selectable<ParticipationTables['pt_events']>;
export type RegistrationRow = Selectable<ParticipationTables['pt_event_registrations']>;

const normE = (r: EventRow): EventRow => ({ ...r, capacity: Number(r.capacity) });
const normR = (r: RegistrationRow): RegistrationRow => ({ ...r, volunteer_hours: r.volunteer_hours == null ? null : Number(r.volunteer_hours) });

/** The kernel's handle (or a transaction of it) seen through participation's tables. */
const own = (db: Db | Tx) => tablesOf<ParticipationTables>(db);

export class EventsRepository {
  constructor(private database: Database) {}
  get db() {
    return this.database.db;
  }
  private get own() {
    return own(this.database.db);
  }
  async insert(r: EventRow) {
    await this.own.insertInto('pt_events').values(r).execute();
  }
  async byId(id: string) {
    const r = await this.own.selectFrom('pt_events').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? normE(r) : undefined;
  }
  async update(id: string, patch: Partial<EventRow>) {
    await this.own.updateTable('pt_events').set(patch).where('id', '=', id).execute();
  }
  async list(reach: Reachable | null, communityPath: string | null, limit: number) {
    let q = this.own.selectFrom('pt_events').selectAll();
    if (reach) q = q.where(reachWhere('place_path', reach));
    if (communityPath) q = q.where(startsWith('place_path', communityPath));
    return (await q.orderBy('starts_at', 'desc').limit(limit).execute()).map(normE);
  }
  async counts(ids: string[]) {
    if (!ids.length) return new Map<string, { registered: number; waitlisted: number; checkedIn: number }>();
    const rows = await this.own
      .selectFrom('pt_event_registrations')
      .select(['event_id', 'status', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when checked_in_at is null then 0 else 1 end)`.as('c')])
      .where('event_id', 'in', ids)
      .groupBy(['event_id', 'status'])
      .execute();
    const out = new Map<string, { registered: number; waitlisted: number; checkedIn: number }>();
    for (const r of rows) {
      const m = out.get(r.event_id) ?? { registered: 0, waitlisted: 0, checkedIn: 0 };
      if (r.status === 'registered') m.registered = Number(r.n);
      if (r.status === 'waitlisted') m.waitlisted = Number(r.n);
      m.checkedIn += Number(r.c ?? 0);
      out.set(r.event_id, m);
    }
    return out;
  }
  /** Serialise registrations of one event (PostgreSQL row lock; SQLite runs one writer at a time). */
  async lockEvent(tx: Tx, id: string) {
    if (this.database.dialect === 'postgres') await sql`select id from pt_events where id = ${id} for update`.execute(tx);
  }
  async registration(tx: Tx | null, eventId: string, residentId: string) {
    const r = await own(tx ?? this.db)
      .selectFrom('pt_event_registrations')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('resident_id', '=', residentId)
      .executeTakeFirst();
    return r ? normR(r) : undefined;
  }
  async registrationById(id: string) {
    const r = await this.own.selectFrom('pt_event_registrations').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? normR(r) : undefined;
  }
  async registeredCount(tx: Tx, eventId: string) {
    const r = await own(tx)
      .selectFrom('pt_event_registrations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .where('status', '=', 'registered')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async insertRegistration(tx: Tx, r: RegistrationRow) {
    await own(tx).insertInto('pt_event_registrations').values(r).execute();
  }
  async setRegistration(tx: Tx | null, id: string, patch: Partial<RegistrationRow>) {
    await own(tx ?? this.db)
      .updateTable('pt_event_registrations')
      .set(patch)
      .where('id', '=', id)
      .execute();
  }
  async firstWaitlisted(tx: Tx, eventId: string) {
    const r = await own(tx)
      .selectFrom('pt_event_registrations')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('status', '=', 'waitlisted')
      .orderBy('registered_at')
      .orderBy('id')
      .executeTakeFirst();
    return r ? normR(r) : undefined;
  }
  async registrations(eventId: string) {
    return (
      await this.own.selectFrom('pt_event_registrations').selectAll().where('event_id', '=', eventId).orderBy('registered_at').orderBy('id').execute()
    ).map(normR);
  }
  async checkIn(id: string, at: string) {
    const r = await this.own
      .updateTable('pt_event_registrations')
      .set({ checked_in_at: at })
      .where('id', '=', id)
      .where('checked_in_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
