// The events billing publishes. Other modules charge residents through createCharge() and learn
// that a charge was paid or refunded from these (one per bill, after the ledger is written).
import { defineEvent } from '../../kernel/events/index.js';

export interface ChargePaid {
  billId: string;
  source: string;
  sourceRef: string;
  paymentId: string;
  paidAt: string;
}
export interface ChargeRefunded extends ChargePaid {
  refundedFen: number;
  refundedAt: string;
}

export const CHARGE_PAID = defineEvent<ChargePaid>('billing.charge.paid');
export const CHARGE_REFUNDED = defineEvent<ChargeRefunded>('billing.charge.refunded');
