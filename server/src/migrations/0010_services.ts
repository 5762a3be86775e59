import type { LinliMigration } from '../kernel/db/migrator.js';

// Life services: the household-services marketplace (预约家政, issue 5). Providers registered by a
// community, the places they serve, the user accounts that work for them, their services with
// weekly availability, bookings with their timeline, and the seats that enforce slot capacity.
export const m0010: LinliMigration = {
  name: '0010_services',
  async up(db) {
    await db.schema
      .createTable('svc_providers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull()) // the community that registered it
      .addColumn('place_path', 'text', (c) => c.notNull()) // that community's path (authorization scope)
      .addColumn('category', 'text', (c) => c.notNull()) // housekeeping | appliance_repair | elderly_care | moving | other
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('svc_providers_path').on('svc_providers').columns(['place_path', 'created_at']).execute();

    // service areas: communities or estates (any place below the community) a provider serves
    await db.schema
      .createTable('svc_provider_areas')
      .addColumn('provider_id', 'text', (c) => c.notNull().references('svc_providers.id'))
      .addColumn('place_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('svc_provider_areas_pk', ['provider_id', 'place_id'])
      .execute();
    await db.schema.createIndex('svc_provider_areas_path').on('svc_provider_areas').column('place_path').execute();

    // a user account works for at most one provider (user_id is the key)
    await db.schema
      .createTable('svc_provider_members')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('provider_id', 'text', (c) => c.notNull().references('svc_providers.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    await db.schema.createIndex('svc_provider_members_provider').on('svc_provider_members').column('provider_id').execute();

    await db.schema
      .createTable('svc_services')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('provider_id', 'text', (c) => c.notNull().references('svc_providers.id'))
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('price_fen', 'integer', (c) => c.notNull())
      .addColumn('duration_minutes', 'integer', (c) => c.notNull())
      .addColumn('free_cancel_hours', 'integer', (c) => c.notNull()) // free until N hours before the slot
      .addColumn('cancel_fee_fen', 'integer', (c) => c.notNull()) // fee after that
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('svc_services_provider').on('svc_services').column('provider_id').execute();

    // weekly hours of a service, in the community's local time; slots are duration-long from start
    await db.schema
      .createTable('svc_availability')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('service_id', 'text', (c) => c.notNull().references('svc_services.id'))
      .addColumn('weekday', 'integer', (c) => c.notNull()) // 1 = Monday … 7 = Sunday
      .addColumn('start_time', 'text', (c) => c.notNull()) // HH:MM
      .addColumn('end_time', 'text', (c) => c.notNull()) // HH:MM
      .addColumn('capacity', 'integer', (c) => c.notNull()) // bookings per slot
      .execute();
    await db.schema.createIndex('svc_availability_service').on('svc_availability').columns(['service_id', 'weekday']).execute();

    await db.schema
      .createTable('svc_bookings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the house's path
      .addColumn('house_id', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('resident_name', 'text', (c) => c.notNull())
      .addColumn('provider_id', 'text', (c) => c.notNull().references('svc_providers.id'))
      .addColumn('service_id', 'text', (c) => c.notNull().references('svc_services.id'))
      .addColumn('service_name_zh', 'text', (c) => c.notNull()) // as booked
      .addColumn('service_name_en', 'text', (c) => c.notNull())
      .addColumn('price_fen', 'integer', (c) => c.notNull()) // as booked
      .addColumn('free_cancel_hours', 'integer', (c) => c.notNull()) // the rule as booked
      .addColumn('cancel_fee_fen', 'integer', (c) => c.notNull())
      .addColumn('slot_start', 'text', (c) => c.notNull())
      .addColumn('slot_end', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('cancelled_by', 'text') // resident | provider
      .addColumn('charged_fen', 'integer') // what is billed: the price once done, or a late-cancellation fee
      .addColumn('bill_id', 'text')
      .addColumn('payment_id', 'text')
      .addColumn('paid_at', 'text')
      .addColumn('rating', 'integer')
      .addColumn('rating_comment', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('svc_bookings_number').on('svc_bookings').column('number').unique().execute();
    await db.schema.createIndex('svc_bookings_path').on('svc_bookings').columns(['place_path', 'created_at']).execute();
    await db.schema.createIndex('svc_bookings_resident').on('svc_bookings').columns(['resident_id', 'created_at']).execute();
    await db.schema.createIndex('svc_bookings_provider').on('svc_bookings').columns(['provider_id', 'slot_start']).execute();

    // One row per taken place in a slot: seat 1..capacity. The primary key makes two bookings of
    // the last place impossible, whatever the isolation level; cancelling frees the seat.
    await db.schema
      .createTable('svc_slot_seats')
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('slot_start', 'text', (c) => c.notNull())
      .addColumn('seat', 'integer', (c) => c.notNull())
      .addColumn('booking_id', 'text', (c) => c.notNull().unique())
      .addPrimaryKeyConstraint('svc_slot_seats_pk', ['service_id', 'slot_start', 'seat'])
      .execute();

    await db.schema
      .createTable('svc_booking_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('booking_id', 'text', (c) => c.notNull().references('svc_bookings.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('svc_booking_events_booking').on('svc_booking_events').columns(['booking_id', 'at']).execute();
  },
};
