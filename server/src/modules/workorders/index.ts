// Work orders (报修/工单): repair requests, alarm faults and phone calls become orders that are
// dispatched (assigned or grabbed), worked, resolved, confirmed and rated, with SLA escalation.
import type { Module } from '../module.js';
import './workorders.policy.js';
import { WorkOrdersService } from './workorders.service.js';
import { WorkOrderFlow } from './workorders.flow.js';
import { registerWorkOrderRoutes } from './workorders.routes.js';
import type { AlarmCreated } from './workorders.schema.js';

export { WO_COST_RECORDED, WO_CREATED, WO_STATUS_CHANGED } from './workorders.service.js';
export type { AlarmCreated, CostRecorded } from './workorders.schema.js';

export const SLA_JOB = 'workorders.sla';

export const workordersModule: Module = {
  name: 'workorders',
  async register(app, k) {
    const svc = new WorkOrdersService(k);
    const flow = new WorkOrderFlow(svc);
    registerWorkOrderRoutes(app, k, svc, flow);
    // one node of the cluster handles each alarm; the alarm_id UNIQUE key absorbs redelivery
    k.events.subscribe<AlarmCreated>('alarms.alarm.created', async (e) => {
      await svc.createFromAlarm(e.payload);
    }, { mode: 'once', group: 'workorders.alarm-created' });
    k.jobs.register({ name: SLA_JOB, everyMs: 60_000, run: async ({ now }) => void (await flow.runSla(now)) });
  },
};
