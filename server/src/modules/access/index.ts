// Smart security, doors half (issue 4): access points with door controllers, door and person
// groups, schedules and rules, credentials (IC card, fingerprint reference, phone QR, temporary
// PIN), decisions for controllers (HTTP; idempotent by event id), the access log, visitor passes
// and offline allow-lists. Other modules use only what is exported here.
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { accessMessages, accessPermissions } from './access.policy.js';
import { ACCESS_DECIDED, DOOR_ALERT, IMAGE_CHANGED, RULES_CHANGED } from './access.events.js';
import { RESIDENT_MOVED_IN, RESIDENT_MOVED_OUT } from '../registry/index.js';
import { AccessSetupService } from './access.setup.service.js';
import { AccessCredentialsService } from './access.credentials.service.js';
import { AccessLogService } from './access.log.service.js';
import { AccessVisitorsService } from './access.visitors.service.js';
import { AccessDecider } from './access.decide.js';
import { AccessOffline } from './access.offline.js';
import { AccessRepository } from './access.repository.js';
import { AccessAlerts } from './access.alerts.js';
import { forgetSnapshot } from './access.snapshot.js';
import { decisionImage } from './access.image.js';
import { startAccessMqtt, claimAccessRequests, type AccessMqtt } from './access.mqtt.js';
import { closeAccessLog } from './access.logthread.js';

const mqttClients = new WeakMap<Kernel, AccessMqtt>();
/** This app's MQTT responder (when LINLI_MQTT_URL is set), e.g. to wait until it has subscribed. */
export const accessMqtt = (k: Kernel) => mqttClients.get(k) ?? null;
import { telemetryHub, type DeviceEvent } from '../devices/index.js';
import { registerAccessRoutes, registerVisitRoute, type AccessServices } from './access.routes.js';
import { seedDemoAccess } from './access.demo.js';

export {
  ACCESS_DECIDED,
  DOOR_ALERT,
  IMAGE_CHANGED,
  RULES_CHANGED,
  type AccessDecided,
  type Decision,
  type DoorAlert,
  type ImageChange,
} from './access.events.js';
export { accessMessages, accessPermissions } from './access.policy.js';
export { AccessSetupService } from './access.setup.service.js';
export { AccessCredentialsService } from './access.credentials.service.js';

export const RETENTION_JOB = 'access.retention';

export function accessServices(k: Kernel): AccessServices {
  return {
    setup: new AccessSetupService(k),
    credentials: new AccessCredentialsService(k),
    log: new AccessLogService(k),
    visitors: new AccessVisitorsService(k),
    decider: new AccessDecider(k),
    offline: new AccessOffline(k),
  };
}

export const accessModule: Module = {
  name: 'access',
  summary: 'Doors: access points and controllers, rules and schedules, credentials, decisions (HTTP, MQTT, offline), the access log and visitor passes',
  url: import.meta.url,
  permissions: accessPermissions,
  messages: accessMessages,
  publishes: [ACCESS_DECIDED, DOOR_ALERT, IMAGE_CHANGED, RULES_CHANGED],
  subscribes: [RESIDENT_MOVED_IN, RESIDENT_MOVED_OUT, IMAGE_CHANGED, RULES_CHANGED],
  jobs: [RETENTION_JOB],
  matrix: 'access.authz-rows.js',
  docs: 'docs/api/access.md',
  seed: (k, demo) => seedDemoAccess(k, demo.residentId).then(() => undefined), // door controllers, estate gates, garage barriers, unit doors; a card for the demo resident
  async register(app, k) {
    const s = accessServices(k);
    // retries across a restart: the decisions of the last minutes are remembered (access.decide.ts)
    await s.decider.rememberLogged();
    registerAccessRoutes(app, k, s);
    registerVisitRoute(app, s);
    const alerts = new AccessAlerts(k);
    s.decider.onDenial = (p) => alerts.afterDenial(p);
    // controller events (door forced, held open, tamper) arrive as device events; never throw into ingest
    const onEvent = (e: DeviceEvent) => void alerts.onDeviceEvent(e).catch((err) => k.log.error({ err }, 'access: door alert failed'));
    telemetryHub(k).on('event', onEvent);
    app.addHook('preClose', async () => void telemetryHub(k).off('event', onEvent));
    // decisions over MQTT 5 request/response when an external broker is configured
    if (k.config.mqttUrl) {
      const m = await startAccessMqtt(k, s.decider, { url: k.config.mqttUrl, nodeId: k.config.nodeId, log: k.log.child({ module: 'access-mqtt' }) });
      mqttClients.set(k, m);
      app.addHook('preClose', () => m.close());
    } else {
      // embedded broker: requests are taken from the devices module's broker hooks
      const unclaim = claimAccessRequests(k, s.decider, k.log.child({ module: 'access-mqtt' }));
      app.addHook('preClose', async () => unclaim());
    }
    // Every node keeps its decision image current (access.image.ts): a move in or out drops the
    // holder at once (the next decision reads the registry again), and the module's own changes
    // made on another node arrive as access.image.changed.
    const image = decisionImage(k);
    for (const token of [RESIDENT_MOVED_IN, RESIDENT_MOVED_OUT]) k.events.subscribe(token, (e) => image.forget({ residents: [e.payload.residentId] }));
    k.events.subscribe(IMAGE_CHANGED, (e) => image.forget(e.payload));
    // move-out also revokes the resident's credentials in that community (one node does it), which
    // takes them off the offline allow-lists at the next sync
    k.events.subscribe(
      RESIDENT_MOVED_OUT,
      async (e) => {
        await s.credentials.revokeOnMoveOut(e.payload.residentId);
      },
      { mode: 'once', group: 'access.moved-out' },
    );
    // rules, schedules or groups changed on another node: drop this node's snapshot
    k.events.subscribe(RULES_CHANGED, (e) => forgetSnapshot(k, e.payload.communityId));
    k.jobs.register({
      name: RETENTION_JOB,
      everyMs: 6 * 3_600_000,
      run: async ({ now }) => {
        const n = await s.log.purge(now);
        await new AccessRepository(k.db).purgeNonces(new Date(now.getTime() - 60_000).toISOString());
        if (n) k.log.info({ deleted: n }, 'access: log retention');
      },
    });
    // last of this module's preClose hooks (they run in order): decision rows queued for the log
    // writer thread are written after the MQTT responder stopped and before the database closes
    app.addHook('preClose', () => closeAccessLog(k));
  },
};
