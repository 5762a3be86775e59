// Work orders (报修/工单): repair requests, alarm faults and phone calls become orders that are
// dispatched (assigned or grabbed), worked, resolved, confirmed and rated, with SLA escalation.
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { systemActor } from '../../kernel/authz/index.js';
import { places as registryPlaces } from '../registry/index.js';
import { ALARM_CREATED } from '../alarms/index.js';
import { workordersMessages, workordersPermissions } from './workorders.policy.js';
import { WorkOrdersService } from './workorders.service.js';
import { WorkOrderFlow } from './workorders.flow.js';
import { registerWorkOrderRoutes } from './workorders.routes.js';
import { WO_COST_RECORDED, WO_CREATED, WO_STATUS_CHANGED } from './workorders.events.js';

export { WO_COST_RECORDED, WO_CREATED, WO_STATUS_CHANGED } from './workorders.events.js';
export type { CostRecorded, WorkOrderCreated, WorkOrderStatusChanged } from './workorders.events.js';
export { workordersMessages, workordersPermissions } from './workorders.policy.js';

export const SLA_JOB = 'workorders.sla';

export const workordersModule: Module = {
  name: 'workorders',
  summary: 'Work orders from repair requests, alarms and phone calls: dispatch (assign or grab), work, resolve, rate, costs, SLA escalation',
  url: import.meta.url,
  permissions: workordersPermissions,
  messages: workordersMessages,
  publishes: [WO_CREATED, WO_STATUS_CHANGED, WO_COST_RECORDED],
  subscribes: [ALARM_CREATED],
  jobs: [SLA_JOB],
  matrix: 'workorders.authz-rows.js',
  docs: 'docs/api/workorders.md',
  async register(app, k) {
    const svc = new WorkOrdersService(k);
    const flow = new WorkOrderFlow(svc);
    registerWorkOrderRoutes(app, k, svc, flow);
    // one node of the cluster handles each alarm; the alarm_id UNIQUE key absorbs redelivery
    k.events.subscribe(
      ALARM_CREATED,
      async (e) => {
        await svc.createFromAlarm(e.payload);
      },
      { mode: 'once', group: 'workorders.alarm-created' },
    );
    k.jobs.register({ name: SLA_JOB, everyMs: 60_000, run: async ({ now }) => void (await flow.runSla(now)) });
  },
};

/**
 * A work order raised by another module for one of its own records (e.g. a security incident),
 * on behalf of a user that module has already authorized for that record. The order is created
 * by the system actor `workorders.raise-for-<module>` (explicit and audited: no grant is made up
 * for the user) and recorded in the timeline under the user's name, the audit detail naming the
 * system actor (`via`). Returns its id and number.
 */
export async function createWorkOrderFor(
  k: Kernel,
  input: {
    placeId: string;
    category: string;
    title: string;
    description: string;
    priority?: 'low' | 'normal' | 'high' | 'urgent';
    by: { userId: string; name: string };
    /** the calling module, named in the system actor (default "module") */
    for?: string;
  },
  ip: string,
): Promise<{ id: string; number: string }> {
  const place = await registryPlaces.getPlace(k, input.placeId);
  if (!place) throw new Error(`workorders: no place ${input.placeId}`);
  const actor = systemActor(`workorders.raise-for-${input.for ?? 'module'}`);
  const wo = await new WorkOrdersService(k).createByStaff(
    actor,
    { placeId: place.id, category: input.category, title: input.title, description: input.description, priority: input.priority },
    ip,
    'zh-CN',
    input.by,
  );
  return { id: wo.id, number: wo.number };
}
