// The events the work-order module publishes (kernel/events); payload types declared here once.
import { defineEvent } from '../../kernel/events/index.js';

/** A work order was created (from a resident, the staff or an alarm). */
export interface WorkOrderCreated {
  workOrderId: string;
  communityId: string;
  placePath: string;
  source: string;
  alarmId: string | null;
}

/** A work order changed status (or was rated) by `action`. */
export interface WorkOrderStatusChanged {
  workOrderId: string;
  communityId: string;
  placePath: string;
  from: string;
  to: string;
  action: string;
}

/** Cost lines were recorded on an order (billing charges them; it dedupes on the line ids). */
export interface CostRecorded {
  workOrderId: string;
  communityId: string;
  houseId: string | null;
  residentId: string | null;
  lines: { id: string; description: string; amountFen: number }[];
  totalFen: number;
}

export const WO_CREATED = defineEvent<WorkOrderCreated>('workorders.work_order.created');
export const WO_STATUS_CHANGED = defineEvent<WorkOrderStatusChanged>('workorders.work_order.status_changed');
export const WO_COST_RECORDED = defineEvent<CostRecorded>('workorders.cost_recorded');
