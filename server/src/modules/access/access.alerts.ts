// Door alerts: controller events (door forced open, held open, tamper) and repeated denials at
// one door raise an alarm of the controller through the alarms module (`raiseDeviceEventAlarm`:
// one open alarm per controller and kind, the alarm lifecycle, audit, and the live-feed
// notification of the on-duty staff covering the controller), and are published as the domain
// event `access.door.alert` for other modules (incidents). Only when no alarm rule applies (the
// built-in event rule disabled for the controller) do the guards and property managers covering
// the door get a plain notification instead. A "door_closed" event clears the held-open alarm.
// Controller events arrive as device events (MQTT `linli/v1/devices/{id}/events`,
// {"type": "door_forced", "doorId": "acp_…"}) through the devices module's telemetry hub.
import type { Kernel } from '../../kernel/index.js';
import { usersCovering } from '../identity/index.js';
import type { DeviceEvent } from '../devices/index.js';
import { raiseDeviceEventAlarm, clearDeviceEventAlarm } from '../alarms/index.js';
import { AccessRepository, type PointRow } from './access.repository.js';
import { AccessLogRepository } from './access.log.repository.js';
import { logSettled } from './access.logthread.js';

import { DOOR_ALERT, type DoorAlert } from './access.events.js';
export { DOOR_ALERT, type DoorAlert };
export const CONTROLLER_EVENT_TYPES = ['door_forced', 'door_held_open', 'tamper'] as const;
/** This many denials at one door within the window raise one alert (at the threshold, not after each). */
export const DENIALS_THRESHOLD = 5;
export const DENIALS_WINDOW_MS = 5 * 60_000;

/** Repeated-denial checks in progress on this node, by app. */
const checks = new WeakMap<Kernel, Set<Promise<void>>>();

/** Resolves when the repeated-denial checks of the denials answered so far on this node have run (each starts before its answer). */
export async function denialChecksDone(k: Kernel): Promise<void> {
  await Promise.allSettled([...(checks.get(k) ?? [])]);
}

export class AccessAlerts {
  readonly repo: AccessRepository;
  readonly log: AccessLogRepository;
  /** When this node last raised repeated denials, by door. */
  private readonly raisedAt = new Map<string, number>();
  constructor(readonly k: Kernel) {
    this.repo = new AccessRepository(k.db);
    this.log = new AccessLogRepository(k.db, logSettled(k));
  }

  async onDeviceEvent(e: DeviceEvent): Promise<void> {
    if (e.type === 'door_closed') {
      if ((await this.repo.pointsOfController(e.deviceId)).length)
        await clearDeviceEventAlarm(this.k, { deviceId: e.deviceId, event: 'door_held_open', reason: 'door_closed', at: new Date(e.ts).toISOString() });
      return;
    }
    if (!(CONTROLLER_EVENT_TYPES as readonly string[]).includes(e.type)) return;
    const points = await this.repo.pointsOfController(e.deviceId);
    if (!points.length) return; // not a door controller of ours
    const doorId = (e.payload as { doorId?: unknown })?.doorId;
    const p = points.find((x) => x.id === doorId) ?? points[0];
    await this.raise(p, e.type as DoorAlert['kind'], new Date(e.ts).toISOString());
  }

  /** Check a denial for the repeated-denials alert (its run is tracked: denialChecksDone). */
  afterDenial(p: PointRow): Promise<void> {
    let running = checks.get(this.k);
    if (!running) checks.set(this.k, (running = new Set()));
    const run = this.checkDenials(p);
    running.add(run);
    const done = () => void running.delete(run);
    run.then(done, done);
    return run;
  }

  private async checkDenials(p: PointRow): Promise<void> {
    const now = this.k.clock.now();
    const n = await this.log.denialsSince(p.id, new Date(now.getTime() - DENIALS_WINDOW_MS).toISOString());
    // Log rows may be committed in groups (access.logthread.ts), so the count can pass the
    // threshold between two checks: raise at or above it, once per door and window on this node
    // (the alarm itself is one active alarm per device and rule on every node).
    if (n < DENIALS_THRESHOLD) return;
    const last = this.raisedAt.get(p.id);
    if (last !== undefined && now.getTime() - last < DENIALS_WINDOW_MS) return;
    this.raisedAt.set(p.id, now.getTime());
    await this.raise(p, 'repeated_denials', now.toISOString());
  }

  async raise(p: PointRow, kind: DoorAlert['kind'], at: string): Promise<void> {
    const alarm = await raiseDeviceEventAlarm(this.k, { deviceId: p.controller_id, event: kind, at, details: { place: p.name, doorId: p.id } });
    const alert: DoorAlert = {
      kind,
      pointId: p.id,
      pointName: p.name,
      communityId: p.community_id,
      placePath: p.place_path,
      controllerId: p.controller_id,
      at,
      alarmId: alarm?.alarmId ?? null,
    };
    if (!alarm) {
      const users = await usersCovering(this.k, p.place_path, ['security_guard', 'property_manager']);
      const params = { door: p.name, at };
      await this.k.notify.send(
        users.map((u) => u.userId),
        {
          kind: `access.alert.${kind}`,
          code: `access.alert.${kind}`,
          bodyCode: 'access.alert.body',
          params,
          link: `/guard`,
        },
      );
    }
    await this.k.events.publish(DOOR_ALERT, alert);
  }
}
