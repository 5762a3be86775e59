import type { LinliMigration } from '../kernel/db/migrator.js';

// Work orders (报修/工单): categories with SLA, orders, their timeline, photos, cost lines and
// the per-community-per-day number counter.
export const m0006: LinliMigration = {
  name: '0006_workorders',
  async up(db) {
    await db.schema
      .createTable('wo_categories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text') // null = a default for every community
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull()) // default priority: low | normal | high | urgent
      .addColumn('response_minutes', 'integer', (c) => c.notNull())
      .addColumn('resolve_minutes', 'integer', (c) => c.notNull())
      .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('wo_categories_code').on('wo_categories').columns(['code', 'community_id']).execute();

    const at = '2026-01-01T00:00:00.000Z';
    const seed: [string, string, string, string, number, number][] = [
      ['elevator', '电梯', 'Elevator', 'urgent', 15, 240],
      ['water', '水电', 'Water & power', 'high', 60, 480],
      ['plumbing', '管道疏通', 'Plumbing', 'normal', 120, 1440],
      ['electrical', '电路', 'Electrical', 'high', 60, 480],
      ['door', '门禁', 'Door access', 'high', 60, 480],
      ['public_area', '公共区域', 'Public area', 'normal', 240, 2880],
      ['appliance', '家电', 'Appliance', 'low', 240, 4320],
      ['other', '其他', 'Other', 'normal', 240, 4320],
    ];
    await db
      .insertInto('wo_categories')
      .values(
        seed.map(([code, zh, en, priority, resp, res], i) => ({
          id: `woc_default_${code}`,
          community_id: null,
          code,
          name_zh: zh,
          name_en: en,
          priority,
          response_minutes: resp,
          resolve_minutes: res,
          sort: i,
          created_at: at,
        })),
      )
      .execute();

    await db.schema
      .createTable('work_orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('house_id', 'text')
      .addColumn('resident_id', 'text') // who asked (null for alarms and public faults)
      .addColumn('resident_name', 'text')
      .addColumn('source', 'text', (c) => c.notNull()) // alarm | resident | staff
      .addColumn('alarm_id', 'text', (c) => c.unique()) // one order per alarm
      .addColumn('category_id', 'text', (c) => c.notNull().references('wo_categories.id'))
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('preferred_time', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('assignee_id', 'text')
      .addColumn('assignee_name', 'text')
      .addColumn('respond_by', 'text', (c) => c.notNull())
      .addColumn('resolve_by', 'text', (c) => c.notNull())
      .addColumn('responded_at', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('escalated_at', 'text')
      .addColumn('rating', 'integer')
      .addColumn('rating_comment', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('work_orders_number').on('work_orders').columns(['community_id', 'number']).unique().execute();
    await db.schema.createIndex('work_orders_path').on('work_orders').columns(['place_path', 'created_at']).execute();
    await db.schema.createIndex('work_orders_status').on('work_orders').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('work_orders_assignee').on('work_orders').columns(['assignee_id', 'status']).execute();
    await db.schema.createIndex('work_orders_resident').on('work_orders').columns(['resident_id', 'created_at']).execute();
    await db.schema.createIndex('work_orders_sla').on('work_orders').columns(['overdue', 'status', 'resolve_by']).execute();

    await db.schema
      .createTable('wo_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('photo_ids', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array of file ids
      .execute();
    await db.schema.createIndex('wo_events_order').on('wo_events').columns(['work_order_id', 'at']).execute();

    // which order a photo belongs to (for access checks); a file is attached once
    await db.schema
      .createTable('wo_photos')
      .addColumn('file_id', 'text', (c) => c.primaryKey())
      .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('wo_photos_order').on('wo_photos').column('work_order_id').execute();

    await db.schema
      .createTable('wo_costs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('work_order_id', 'text', (c) => c.notNull().references('work_orders.id'))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('amount_fen', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    await db.schema.createIndex('wo_costs_order').on('wo_costs').column('work_order_id').execute();

    // last number handed out per (community, local day)
    await db.schema
      .createTable('wo_counters')
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull()) // YYYYMMDD
      .addColumn('last', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('wo_counters_pk', ['community_id', 'day'])
      .execute();
  },
};
