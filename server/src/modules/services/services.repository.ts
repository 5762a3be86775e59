// The only code that touches the services tables (svc_*), typed by ServicesTables. Integer
// columns come back as numbers from both drivers (pg parses int8 and numeric too, kernel/db).
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../../kernel/db/index.js';
import { startsWith, noRows } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { BookingStatus } from './services.states.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { AreaRow, AvailabilityRow, BookingEventRow, BookingRow, MemberRow, ProviderRow, ServiceRow, ServicesTables } from './services.tables.js';

export type { AreaRow, AvailabilityRow, BookingEventRow, BookingRow, MemberRow, ProviderRow, ServiceRow } from './services.tables.js';

export interface BookingFilter {
  reach?: Reachable;
  providerId?: string;
  status?: BookingStatus;
}

/** The services tables through the kernel's handle or a transaction (a Tx is a Db too). */
const st = (db: Db) => tablesOf<ServicesTables>(db);

export class ServicesRepository {
  constructor(private db: Db) {}

  private get t() {
    return st(this.db);
  }

  // ---------- providers ----------
  async insertProvider(t: Db, p: ProviderRow, areas: AreaRow[]) {
    await st(t).insertInto('svc_providers').values(p).execute();
    await st(t).insertInto('svc_provider_areas').values(areas).execute();
  }
  async updateProvider(t: Db, id: string, patch: Partial<ProviderRow>, areas?: AreaRow[]) {
    await st(t).updateTable('svc_providers').set(patch).where('id', '=', id).execute();
    if (areas) {
      await st(t).deleteFrom('svc_provider_areas').where('provider_id', '=', id).execute();
      await st(t).insertInto('svc_provider_areas').values(areas).execute();
    }
  }
  async providerById(id: string, db: Db = this.db): Promise<ProviderRow | undefined> {
    const r = await st(db).selectFrom('svc_providers').selectAll().where('id', '=', id).executeTakeFirst();
    return r;
  }
  async providersByIds(ids: string[]): Promise<ProviderRow[]> {
    if (!ids.length) return [];
    return await this.t
      .selectFrom('svc_providers')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
  }
  async listProviders(reach: Reachable, communityId: string | undefined, limit: number, offset: number) {
    let q = this.t.selectFrom('svc_providers');
    if (!reach.all) q = q.where((eb) => (reach.prefixes.length ? eb.or(reach.prefixes.map((p) => startsWith('place_path', p))) : noRows()));
    if (communityId) q = q.where('community_id', '=', communityId);
    const items = await q.selectAll().orderBy('created_at').orderBy('id').limit(limit).offset(offset).execute();
    const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { items, total: Number(c.n) };
  }
  areasOf(providerIds: string[]): Promise<AreaRow[]> {
    if (!providerIds.length) return Promise.resolve([]);
    return this.t.selectFrom('svc_provider_areas').selectAll().where('provider_id', 'in', providerIds).execute();
  }
  /** Active providers with an area that covers the path (the area is the place or an ancestor). */
  async providersServing(placePath: string): Promise<ProviderRow[]> {
    const ancestors = placePath
      .split('/')
      .filter(Boolean)
      .map((_, i, a) => '/' + a.slice(0, i + 1).join('/') + '/');
    const rows = await this.t
      .selectFrom('svc_providers')
      .selectAll('svc_providers')
      .where('active', '=', 1)
      .where('id', 'in', (eb) => eb.selectFrom('svc_provider_areas').select('provider_id').where('place_path', 'in', ancestors))
      .orderBy('created_at')
      .execute();
    return rows;
  }

  // ---------- members ----------
  async memberOf(userId: string): Promise<MemberRow | undefined> {
    return this.t.selectFrom('svc_provider_members').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }
  membersOf(providerId: string): Promise<MemberRow[]> {
    return this.t.selectFrom('svc_provider_members').selectAll().where('provider_id', '=', providerId).orderBy('created_at').execute();
  }
  /** false when the user already works for a provider. */
  async insertMember(t: Db, m: MemberRow): Promise<boolean> {
    const r = await st(t)
      .insertInto('svc_provider_members')
      .values(m)
      .onConflict((oc) => oc.column('user_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  async deleteMember(t: Db, providerId: string, userId: string): Promise<boolean> {
    const r = await st(t).deleteFrom('svc_provider_members').where('provider_id', '=', providerId).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  // ---------- services and availability ----------
  async insertService(t: Db, s: ServiceRow) {
    await st(t).insertInto('svc_services').values(s).execute();
  }
  async updateService(t: Db, id: string, patch: Partial<ServiceRow>) {
    await st(t).updateTable('svc_services').set(patch).where('id', '=', id).execute();
  }
  async serviceById(id: string): Promise<ServiceRow | undefined> {
    const r = await this.t.selectFrom('svc_services').selectAll().where('id', '=', id).executeTakeFirst();
    return r;
  }
  async servicesOf(providerIds: string[]): Promise<ServiceRow[]> {
    if (!providerIds.length) return [];
    return this.t.selectFrom('svc_services').selectAll().where('provider_id', 'in', providerIds).orderBy('created_at').orderBy('id').execute();
  }
  async availabilityOf(serviceIds: string[]): Promise<AvailabilityRow[]> {
    if (!serviceIds.length) return [];
    const rows = await this.t
      .selectFrom('svc_availability')
      .selectAll()
      .where('service_id', 'in', serviceIds)
      .orderBy('weekday')
      .orderBy('start_time')
      .execute();
    return rows;
  }
  async replaceAvailability(t: Db, serviceId: string, rows: AvailabilityRow[]) {
    await st(t).deleteFrom('svc_availability').where('service_id', '=', serviceId).execute();
    if (rows.length) await st(t).insertInto('svc_availability').values(rows).execute();
  }

  // ---------- seats ----------
  /** Seats taken per slot start of a service in [from, to). */
  async seatsTaken(serviceId: string, from: string, to: string): Promise<Map<string, number>> {
    const rows = await this.t
      .selectFrom('svc_slot_seats')
      .select(['slot_start', (eb) => eb.fn.countAll<number>().as('n')])
      .where('service_id', '=', serviceId)
      .where('slot_start', '>=', from)
      .where('slot_start', '<', to)
      .groupBy('slot_start')
      .execute();
    return new Map(rows.map((r) => [r.slot_start, Number(r.n)]));
  }
  /**
   * Take a free seat (1..capacity) of a slot for a booking; null when all are taken. Each try is
   * an INSERT … ON CONFLICT DO NOTHING on the seat's primary key, so of two concurrent bookings
   * of the last seat the database lets exactly one in.
   */
  async takeSeat(t: Db, serviceId: string, slotStart: string, capacity: number, bookingId: string): Promise<number | null> {
    const taken = new Set(
      (await st(t).selectFrom('svc_slot_seats').select('seat').where('service_id', '=', serviceId).where('slot_start', '=', slotStart).execute()).map(
        (r) => r.seat,
      ),
    );
    for (let seat = 1; seat <= capacity; seat++) {
      if (taken.has(seat)) continue;
      const r = await st(t)
        .insertInto('svc_slot_seats')
        .values({ service_id: serviceId, slot_start: slotStart, seat, booking_id: bookingId })
        .onConflict((oc) => oc.columns(['service_id', 'slot_start', 'seat']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 1) return seat;
    }
    return null;
  }
  async freeSeat(t: Db, bookingId: string) {
    await st(t).deleteFrom('svc_slot_seats').where('booking_id', '=', bookingId).execute();
  }

  // ---------- bookings ----------
  async insertBooking(t: Db, b: BookingRow) {
    await st(t).insertInto('svc_bookings').values(b).execute();
  }
  async bookingById(id: string, db: Db = this.db): Promise<BookingRow | undefined> {
    const r = await st(db).selectFrom('svc_bookings').selectAll().where('id', '=', id).executeTakeFirst();
    return r;
  }
  /** Conditional update on (status, version): of two concurrent changes exactly one applies. */
  async updateBookingIf(t: Db, id: string, expect: { status: BookingStatus; version: number }, patch: Partial<BookingRow>): Promise<boolean> {
    const r = await st(t)
      .updateTable('svc_bookings')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', expect.status)
      .where('version', '=', expect.version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  /** Record the bill of a booking once (the first bill wins). */
  async setBill(id: string, billId: string, chargedFen: number): Promise<boolean> {
    const r = await this.t
      .updateTable('svc_bookings')
      .set({ bill_id: billId, charged_fen: chargedFen })
      .where('id', '=', id)
      .where('bill_id', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async listBookings(f: BookingFilter, limit: number, offset: number): Promise<{ items: BookingRow[]; total: number }> {
    let q = this.t.selectFrom('svc_bookings');
    if (f.reach && !f.reach.all) {
      const reach = f.reach;
      q = q.where((eb) => {
        const ors: Expression<SqlBool>[] = reach.prefixes.map((p) => startsWith('place_path', p));
        if (reach.residentId) ors.push(eb('resident_id', '=', reach.residentId));
        return ors.length ? eb.or(ors) : noRows();
      });
    }
    if (f.providerId) q = q.where('provider_id', '=', f.providerId);
    if (f.status) q = q.where('status', '=', f.status);
    const items = await q.selectAll().orderBy('slot_start', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
    const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { items, total: Number(c.n) };
  }
  async insertEvent(t: Db, e: BookingEventRow) {
    await st(t).insertInto('svc_booking_events').values(e).execute();
  }
  eventsOf(bookingId: string): Promise<BookingEventRow[]> {
    return this.t.selectFrom('svc_booking_events').selectAll().where('booking_id', '=', bookingId).orderBy('at').orderBy('id').execute();
  }
}
