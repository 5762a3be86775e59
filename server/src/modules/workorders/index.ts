// Work orders (报修/工单): repair requests, alarm faults and phone calls become orders that are
// dispatched (assigned or grabbed), worked, resolved, confirmed and rated, with SLA escalation.
import type { Module } from '../../kernel/app.js';
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

// ---- for other modules (appended by the incidents module, issue 4) ----
import type { Kernel } from '../../kernel/index.js';
import { places as registryPlaces } from '../registry/index.js';

/**
 * A work order raised by another module for one of its own records (e.g. a security incident),
 * on behalf of a user that module has already authorized for that record. The order is created
 * as a staff order at the place, recorded (and audited) under that user's name. Returns its id
 * and number.
 */
export async function createWorkOrderFor(
  k: Kernel,
  input: { placeId: string; category: string; title: string; description: string; priority?: 'low' | 'normal' | 'high' | 'urgent'; by: { userId: string; name: string } },
  ip: string,
): Promise<{ id: string; number: string }> {
  const place = await registryPlaces.getPlace(k, input.placeId);
  if (!place) throw new Error(`workorders: no place ${input.placeId}`);
  // the caller vouches for the user: a grant that lets them create an order at exactly this place
  const actor = {
    userId: input.by.userId, kind: 'staff' as const, name: input.by.name, residentId: null, sessionId: null, via: 'token' as const,
    grants: [{ role: 'property_manager' as const, placeId: place.id, scopePath: place.path }],
  };
  const wo = await new WorkOrdersService(k).createByStaff(actor, { placeId: place.id, category: input.category, title: input.title, description: input.description, priority: input.priority }, ip, 'zh-CN');
  return { id: wo.id, number: wo.number };
}
