import type { LinliMigration } from '../kernel/db/migrator.js';

// Smart security (issue 4): per-camera extras kept beside the devices module's devices (location,
// stream address, the MAC/IP/channel a vendor notification names), camera events (idempotent on
// device + event key), counters of refused camera input, per-community incident rules, security
// incidents and their timeline.
export const m0008: LinliMigration = {
  name: '0008_incidents',
  async up(db) {
    await db.schema
      .createTable('cameras')
      .addColumn('device_id', 'text', (c) => c.primaryKey()) // a device of type 'camera' (devices module)
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('location', 'text')
      .addColumn('stream_url', 'text')
      .addColumn('mac', 'text') // normalised: lower case, colon separated
      .addColumn('ip', 'text')
      .addColumn('channel', 'integer')
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cameras_mac').on('cameras').columns(['mac', 'channel']).execute();
    await db.schema.createIndex('cameras_ip').on('cameras').columns(['ip', 'channel']).execute();

    await db.schema
      .createTable('camera_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('event_key', 'text', (c) => c.notNull()) // the sender's event id (or a key built from the vendor's fields)
      .addColumn('kind', 'text', (c) => c.notNull()) // motion | intrusion | loitering | smoke_fire | tailgating
      .addColumn('source', 'text', (c) => c.notNull()) // mqtt | webhook | hikvision
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('picture_file_id', 'text')
      .addColumn('incident_id', 'text')
      .addUniqueConstraint('camera_events_key', ['device_id', 'event_key'])
      .execute();
    await db.schema.createIndex('camera_events_incident').on('camera_events').columns(['incident_id', 'at']).execute();
    await db.schema.createIndex('camera_events_path').on('camera_events').columns(['place_path', 'at']).execute();

    await db.schema
      .createTable('camera_event_rejects')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addColumn('last_detail', 'text')
      .addPrimaryKeyConstraint('camera_event_rejects_pk', ['source', 'reason'])
      .execute();

    await db.schema
      .createTable('incident_rules')
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('opens', 'integer', (c) => c.notNull())
      .addColumn('window_s', 'integer', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_rules_pk', ['community_id', 'kind'])
      .execute();

    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('camera_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // new | investigating | resolved | false_alarm
      .addColumn('title', 'text', (c) => c.notNull())
      // "camera:kind" while the incident takes further events of that camera; null once closed or
      // stale. Unique, so two events arriving at once cannot open two incidents.
      .addColumn('open_key', 'text', (c) => c.unique())
      .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_event_at', 'text', (c) => c.notNull())
      .addColumn('last_event_at', 'text', (c) => c.notNull())
      .addColumn('work_order_id', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('closed_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('incidents_path').on('incidents').columns(['place_path', 'created_at']).execute();
    await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('incident_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull()) // open | investigate | resolve | false_alarm | note | work_order
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('incident_events_incident').on('incident_events').columns(['incident_id', 'at']).execute();
  },
};
