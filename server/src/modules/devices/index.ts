// Devices module: device types (profiles), devices with credentials, telemetry storage and the
// ingest pipeline that MQTT and HTTP both feed. Other modules use only what is exported here.
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { registerEncryptedColumns } from '../../kernel/vault/index.js';
import { devicesMessages, devicesPermissions } from './devices.policy.js';
import { DevicesService } from './devices.service.js';
import { registerDeviceRoutes } from './devices.routes.js';
import { registerMqttAuthRoutes } from './mqtt.auth-routes.js';
import { TelemetryRepository } from './telemetry.repository.js';
import { deviceDigestFor, type DeviceDigest } from './digest.js';
import { DEVICE_CHANGED } from './devices.events.js';
import { deviceChanged, ingestPipeline, MINUTE_RETENTION_DAYS, OFFLINE_CHECK_MS, RAW_RETENTION_DAYS } from './devices.api.js';
import { seedDemoDevices } from './devices.demo.js';

export { telemetryHub, type Reading, type DeviceStatusChange, type DeviceEvent } from './hub.js';
export { IngestPipeline, type IngestOptions, type IngestKind, type SubmitResult } from './ingest.js';
export { DevicesService } from './devices.service.js';
export { hashSecret } from './secrets.js';
export { basicCredential } from './devices.routes.js';
export { devicesMessages, devicesPermissions } from './devices.policy.js';
export type { RejectNote } from './ingest.js';

// the Digest HA1 of device secrets (digest.ts) is vault ciphertext: `linli vault rotate` re-encrypts it
registerEncryptedColumns({ table: 'devices', idColumn: 'id', columns: ['digest_ha1_enc'] });
export { DIGEST_REALM, digestHa1, digestResponse, type DeviceDigest, type DigestOutcome } from './digest.js';

/** HTTP Digest (RFC 7616) for device credentials, next to Basic (digest.ts). */
export function deviceDigest(k: Kernel): DeviceDigest {
  return deviceDigestFor(k, async (deviceId) => {
    const enc = await new DevicesService(k).repo.digestHa1Enc(deviceId);
    try {
      return enc ? k.vault.decrypt(enc) : null;
    } catch (err) {
      k.log.error({ err, deviceId }, 'devices: the Digest credential does not decrypt (vault key missing?)');
      return null;
    }
  });
}
export type { TelemetryKey } from './devices.repository.js';
export { claimDeviceMessages, type ClaimedMessage, type DeviceReply, type DeviceMessageClaim } from './mqtt.transport.js';

export {
  RAW_RETENTION_DAYS,
  MINUTE_RETENTION_DAYS,
  OFFLINE_CHECK_MS,
  authenticateDevice,
  ingestPipeline,
  getDevice,
  listDevices,
  valueAt,
  deviceTypeKeys,
  createDevice,
  type DeviceInfo,
  type AuthenticatedDevice,
} from './devices.api.js';
export { DEVICE_CHANGED, type DeviceChanged } from './devices.events.js';
export { demoDeviceSecret, demoDevicePlan, loadDemoDevices, type DemoDevice, type DemoDevicePlan } from './devices.demo.js';

export const devicesModule: Module = {
  name: 'devices',
  summary: 'Device types and devices with credentials, telemetry ingest over MQTT and HTTP, telemetry storage and rollups',
  url: import.meta.url,
  permissions: devicesPermissions,
  messages: devicesMessages,
  publishes: [DEVICE_CHANGED],
  subscribes: [DEVICE_CHANGED],
  jobs: ['devices.offline', 'devices.retention'],
  matrix: 'devices.authz-rows.js',
  docs: 'docs/api/devices.md',
  seed: (k) => seedDemoDevices(k).then(() => undefined), // elevators, pumps, meters, smoke detectors, env sensors of 花家地社区
  async register(app, k) {
    const pipeline = ingestPipeline(k);
    const svc = new DevicesService(k);
    svc.onChange = (id) => deviceChanged(k, id);
    // another node changed a device: its credential is checked again at the next request here,
    // and the ingest pipeline reads its type and place again at its next message
    // (this node dropped them already when it made the change)
    const off = k.events.subscribe(DEVICE_CHANGED, (e) => {
      if (e.origin !== k.config.nodeId) pipeline.forget(e.payload.deviceId);
    });
    await registerDeviceRoutes(app, k, svc, pipeline);
    registerMqttAuthRoutes(app, k, pipeline);
    k.jobs.register({
      name: 'devices.offline',
      everyMs: OFFLINE_CHECK_MS,
      run: async ({ now }) => {
        await pipeline.markStaleOffline(now.getTime());
      },
    });
    k.jobs.register({
      name: 'devices.retention',
      everyMs: 24 * 3_600_000,
      run: async ({ now }) => {
        const day = 24 * 3_600_000;
        const r = await new TelemetryRepository(k.db, k.database.dialect).purge(
          now.getTime() - RAW_RETENTION_DAYS * day,
          now.getTime() - MINUTE_RETENTION_DAYS * day,
        );
        if (r.raw || r.minute) k.log.info(r, 'devices: telemetry retention');
      },
    });
    app.addHook('onClose', async () => {
      off();
      await pipeline.close();
    });
  },
};
