// Smart security: cameras and security incidents (issue 4). Cameras are devices of the devices
// module; camera events arrive over MQTT (the devices ingest's event stream), Linli's JSON webhook
// or the Hikvision ISAPI adapter, and open incidents that guards handle.
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { incidentsMessages, incidentsPermissions } from './incidents.policy.js';
import { INCIDENT_CHANGED, INCIDENT_OPENED } from './incidents.events.js';
import { getDevice, telemetryHub, type DeviceEvent } from '../devices/index.js';
import { CameraEventsService } from './camera-events.service.js';
import { CamerasService, CAMERA_TYPE } from './cameras.service.js';
import { IncidentsService } from './incidents.service.js';
import { registerIncidentRoutes } from './incidents.routes.js';
import { registerWebhookRoutes } from './webhook.routes.js';
import { isEventKind } from './incidents.states.js';
import { seedDemoIncidents } from './incidents.demo.js';

export { INCIDENT_CHANGED, INCIDENT_OPENED } from './incidents.events.js';
export type { IncidentChanged, IncidentOpened } from './incidents.events.js';
export { incidentsMessages, incidentsPermissions } from './incidents.policy.js';
export { maskStreamUrl } from './cameras.service.js';
export type { IncomingEvent, IngestOutcome } from './camera-events.service.js';

export { setCameraExtras, recordCameraEvent } from './incidents.api.js';

/**
 * A device event from MQTT (linli/v1/devices/{id}/events, via the devices ingest): a camera's
 * {"type": "<kind>" | "camera_event", "kind"?: "<kind>", "eventId"?: "…", "ts"?: …}. Events of
 * other devices are not ours and are left alone.
 */
export async function onDeviceEvent(k: Kernel, events: CameraEventsService, e: DeviceEvent): Promise<void> {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const kind = isEventKind(p.kind) ? p.kind : isEventKind(e.type) ? e.type : null;
  if (!kind && e.type !== 'camera_event') return;
  const camera = await getDevice(k, e.deviceId);
  if (!camera || camera.typeCode !== CAMERA_TYPE) return;
  if (!kind) return void (await events.reject('mqtt', 'bad_kind', String(p.kind ?? '').slice(0, 60)));
  const eventId = typeof p.eventId === 'string' && p.eventId && p.eventId.length <= 100 ? p.eventId : `${kind}:${e.ts}`;
  // the device's own "ts" (the ingest keeps an event whose ts is off, at its receipt)
  const time = await events.judge(camera, p.ts);
  if (time.unreadable) await events.reject('mqtt', 'bad_time', String(p.ts).slice(0, 40));
  const { type: _t, kind: _k, eventId: _id, ts: _ts, ...detail } = p;
  await events.ingest({ camera, key: eventId, kind, source: 'mqtt', at: time.at, claimedAt: time.claimedAt, skewS: time.skewS, detail });
}

export const incidentsModule: Module = {
  name: 'incidents',
  summary: 'Smart security: cameras (health, stream address, clock), camera events over MQTT, webhook and Hikvision ISAPI, and the incidents guards handle',
  url: import.meta.url,
  permissions: incidentsPermissions,
  messages: incidentsMessages,
  publishes: [INCIDENT_OPENED, INCIDENT_CHANGED],
  subscribes: [],
  jobs: [],
  matrix: 'incidents.authz-rows.js',
  docs: 'docs/api/incidents.md',
  seed: (k) => seedDemoIncidents(k).then(() => undefined), // a few cameras at gates and public areas, two camera events
  async register(app, k) {
    const events = new CameraEventsService(k);
    const svc = new IncidentsService(k, events);
    registerIncidentRoutes(app, svc, new CamerasService(k));
    registerWebhookRoutes(app, k, events);
    telemetryHub(k).on('event', (e: DeviceEvent) => {
      onDeviceEvent(k, events, e).catch((err) => k.log.error({ err, deviceId: e.deviceId }, 'incidents: camera event failed'));
    });
  },
};
