// The tables billing's migration creates (0009_billing), typed from the migrated schema with the
// columns it knows more about narrowed.
import type { Selectable } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export type FeeKind = 'property' | 'water' | 'electricity' | 'parking' | 'one_off' | 'deposit';
export type BillStatus = 'draft' | 'open' | 'paid';
export type PaymentStatus = 'pending' | 'paid' | 'closed' | 'refunded';
export type PaymentChannel = 'gateway' | 'cash' | 'transfer';
export type RunStatus = 'preview' | 'approved' | 'published';
export type ReadingStatus = 'ok' | 'flagged' | 'accepted' | 'rejected';

export type BillingTables = ModuleTables<
  | 'fee_items'
  | 'fee_subscriptions'
  | 'meter_readings'
  | 'billing_runs'
  | 'bills'
  | 'bill_adjustments'
  | 'payments'
  | 'payment_items'
  | 'refunds'
  | 'gateway_notifications'
  | 'ledger_transactions'
  | 'ledger_entries'
  | 'billing_counters',
  {
    fee_items: { kind: FeeKind; rounding: 'half_up' | 'down' | 'up'; rounding_unit: 'fen' | 'jiao' };
    meter_readings: { status: ReadingStatus };
    billing_runs: { status: RunStatus };
    bills: { status: BillStatus };
    payments: { status: PaymentStatus; channel: PaymentChannel };
  }
>;

export type BillRow = Selectable<BillingTables['bills']>;
export type PaymentRow = Selectable<BillingTables['payments']>;
export type FeeItemRow = Selectable<BillingTables['fee_items']>;
export type RunRow = Selectable<BillingTables['billing_runs']>;
export type ReadingRow = Selectable<BillingTables['meter_readings']>;
