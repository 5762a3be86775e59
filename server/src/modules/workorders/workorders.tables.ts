// The tables the work-orders module owns (migration 0006_workorders), typed from the migrated
// schema with the columns it knows more about narrowed.
import type { Kysely, Selectable } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';
import type { Priority, Status, TransitionAction } from './workorders.states.js';

/** Where an order came from. */
export type WorkOrderSource = 'alarm' | 'resident' | 'staff';
/** What a timeline entry records: a transition, or one of the steps beside the state machine. */
export type TimelineAction = TransitionAction | 'create' | 'rate' | 'cost' | 'escalate';

export type WorkOrdersTables = ModuleTables<
  'wo_categories' | 'work_orders' | 'wo_events' | 'wo_photos' | 'wo_costs' | 'wo_counters',
  {
    wo_categories: { priority: Priority };
    work_orders: { source: WorkOrderSource; status: Status; priority: Priority };
    wo_events: { action: TimelineAction; from_status: Status | null; to_status: Status };
  }
>;
export type WorkOrdersDb = Kysely<WorkOrdersTables>;

export type CategoryRow = Selectable<WorkOrdersTables['wo_categories']>;
export type WorkOrderRow = Selectable<WorkOrdersTables['work_orders']>;
export type EventRow = Selectable<WorkOrdersTables['wo_events']>;
export type PhotoRow = Selectable<WorkOrdersTables['wo_photos']>;
export type CostRow = Selectable<WorkOrdersTables['wo_costs']>;
