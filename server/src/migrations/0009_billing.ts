import { sql } from 'kysely';
import type { LinliMigration } from '../kernel/db/migrator.js';

// Life services: fee items, meter readings, billing runs, bills, adjustments, payments, the
// double-entry ledger, gateway notifications and counters (issue 5). Money is integer fen.
export const m0009: LinliMigration = {
  name: '0009_billing',
  async up(db) {
    await db.schema
      .createTable('fee_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the community's path (authorization scope)
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // property | water | electricity | parking | one_off | deposit
      // price per unit in 1/100 fen (0.0001 yuan), so tariffs like 0.4883 yuan/kWh stay exact
      .addColumn('unit_price', 'bigint', (c) => c.notNull())
      .addColumn('tiers', 'text', (c) => c.notNull().defaultTo('[]')) // [{ upTo: number|null, unitPrice }]
      .addColumn('rounding', 'text', (c) => c.notNull()) // half_up | down | up
      .addColumn('rounding_unit', 'text', (c) => c.notNull()) // fen | jiao
      .addColumn('due_days', 'bigint', (c) => c.notNull())
      .addColumn('late_grace_days', 'bigint', (c) => c.notNull())
      .addColumn('late_rate_bp', 'bigint', (c) => c.notNull()) // per day, in 1/10000 of the unpaid amount
      .addColumn('late_cap_bp', 'bigint', (c) => c.notNull()) // cap, in 1/10000 of the bill amount
      .addColumn('max_jump', 'bigint') // meter items: a monthly use above this is flagged (hundredths)
      .addColumn('discounts', 'text', (c) => c.notNull().defaultTo('[]')) // [{ tag, percentOff }]
      .addColumn('active', 'bigint', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('fee_items_code').on('fee_items').columns(['community_id', 'code']).unique().execute();

    // Per-house quantities that the registry does not hold (parking spaces, deposits).
    await db.schema
      .createTable('fee_subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('fee_item_id', 'text', (c) => c.notNull().references('fee_items.id'))
      .addColumn('house_id', 'text', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull()) // hundredths
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('fee_subscriptions_key').on('fee_subscriptions').columns(['fee_item_id', 'house_id']).unique().execute();

    await db.schema
      .createTable('meter_readings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('house_id', 'text', (c) => c.notNull())
      .addColumn('fee_item_id', 'text', (c) => c.notNull().references('fee_items.id'))
      .addColumn('period', 'text', (c) => c.notNull()) // YYYY-MM
      .addColumn('reading', 'bigint', (c) => c.notNull()) // hundredths of a unit
      .addColumn('previous', 'bigint') // the reading it is compared with
      .addColumn('status', 'text', (c) => c.notNull()) // ok | flagged | accepted | rejected
      .addColumn('flag', 'text') // lower_than_previous | implausible_jump
      .addColumn('source', 'text', (c) => c.notNull()) // manual | import | telemetry
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('reviewed_by', 'text')
      .addColumn('reviewed_at', 'text')
      .execute();
    await db.schema.createIndex('meter_readings_key').on('meter_readings').columns(['house_id', 'fee_item_id', 'period']).unique().execute();

    await db.schema
      .createTable('billing_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // preview | approved | published
      .addColumn('bill_count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('total_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('published_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .execute();
    await db.schema.createIndex('billing_runs_period').on('billing_runs').columns(['community_id', 'period']).unique().execute();

    await db.schema
      .createTable('bills')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull()) // the house's path
      .addColumn('house_id', 'text')
      .addColumn('resident_id', 'text') // who owes a one-off charge (null for house bills)
      .addColumn('fee_item_id', 'text')
      .addColumn('fee_kind', 'text', (c) => c.notNull())
      .addColumn('period', 'text')
      .addColumn('run_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull()) // run | workorders | services | manual
      .addColumn('source_ref', 'text')
      .addColumn('subject_zh', 'text', (c) => c.notNull())
      .addColumn('subject_en', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}')) // quantity, tiers, discount rule
      .addColumn('gross_fen', 'bigint', (c) => c.notNull())
      .addColumn('discount_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('amount_fen', 'bigint', (c) => c.notNull()) // gross − discount: what the bill asks
      .addColumn('late_fee_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('adjust_fen', 'bigint', (c) => c.notNull().defaultTo(0)) // debit notes − credit notes
      .addColumn('paid_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull()) // draft | open | paid
      .addColumn('due_date', 'text')
      .addColumn('late_grace_days', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('late_rate_bp', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('late_cap_bp', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('issued_at', 'text')
      .addColumn('paid_at', 'text')
      .addColumn('reminded_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // a house is billed once per fee item and period, however often a run is repeated
    // partial indexes: a run's bills carry no source reference or resident, one-off bills no period
    await db.schema
      .createIndex('bills_house_item_period')
      .on('bills')
      .columns(['house_id', 'fee_item_id', 'period'])
      .unique()
      .where(sql.ref('period'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('bills_source_ref')
      .on('bills')
      .columns(['source', 'source_ref'])
      .unique()
      .where(sql.ref('source_ref'), 'is not', null)
      .execute();
    // place only: publishing a run changes every bill's status, which then touches no index
    await db.schema.createIndex('bills_path').on('bills').column('place_path').execute();
    await db.schema.createIndex('bills_resident').on('bills').columns(['resident_id']).where(sql.ref('resident_id'), 'is not', null).execute();
    await db.schema.createIndex('bills_run').on('bills').columns(['run_id']).execute();

    await db.schema
      .createTable('bill_adjustments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('bill_id', 'text', (c) => c.notNull().references('bills.id'))
      .addColumn('kind', 'text', (c) => c.notNull()) // credit | debit | late_fee
      .addColumn('amount_fen', 'bigint', (c) => c.notNull()) // positive
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('bill_adjustments_bill').on('bill_adjustments').column('bill_id').execute();

    await db.schema
      .createTable('payments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('place_path', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text')
      .addColumn('user_id', 'text')
      .addColumn('channel', 'text', (c) => c.notNull()) // gateway | cash | transfer
      .addColumn('out_trade_no', 'text', (c) => c.notNull().unique())
      .addColumn('trade_no', 'text', (c) => c.unique()) // the gateway's number
      .addColumn('amount_fen', 'bigint', (c) => c.notNull())
      .addColumn('refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull()) // pending | paid | closed | refunded
      .addColumn('receipt_no', 'text', (c) => c.unique())
      .addColumn('offline_ref', 'text') // the paper receipt or bank reference of an offline payment
      .addColumn('expires_at', 'text')
      .addColumn('paid_at', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('payments_path').on('payments').columns(['place_path', 'created_at']).execute();

    await db.schema
      .createTable('payment_items')
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
      .addColumn('bill_id', 'text', (c) => c.notNull().references('bills.id'))
      .addColumn('amount_fen', 'bigint', (c) => c.notNull()) // asked when the order was made
      .addColumn('applied_fen', 'bigint', (c) => c.notNull().defaultTo(0)) // credited to the bill
      .addPrimaryKeyConstraint('payment_items_pk', ['payment_id', 'bill_id'])
      .execute();
    await db.schema.createIndex('payment_items_bill').on('payment_items').column('bill_id').execute();

    await db.schema
      .createTable('refunds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
      .addColumn('out_request_no', 'text', (c) => c.notNull().unique())
      .addColumn('amount_fen', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull()) // done | failed
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // Every notification the gateway sent, accepted or not: refusals are the evidence of an attack.
    await db.schema
      .createTable('gateway_notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('out_trade_no', 'text')
      .addColumn('trade_no', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull()) // credited | duplicate | ignored | refused
      .addColumn('reason', 'text')
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('ledger_transactions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull()) // bill | payment | adjustment | late_fee | refund
      .addColumn('ref_id', 'text', (c) => c.notNull())
      .addColumn('memo', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ledger_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('txn_id', 'text', (c) => c.notNull().references('ledger_transactions.id'))
      .addColumn('community_id', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull()) // receivable:<house|resident> | clearing:gateway | cash | bank | revenue:<fee item> | revenue:late_fee | refunds
      .addColumn('debit_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('credit_fen', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account']).execute();
    await db.schema.createIndex('ledger_entries_txn').on('ledger_entries').columns(['txn_id']).execute();

    await db.schema
      .createTable('billing_counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
  },
};
