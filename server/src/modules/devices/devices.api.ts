// What other modules (and the demo, seeds and tests) call on devices: look-ups, the ingest pipeline,
// device creation without authorization. Re-exported by index.ts.
import type { Kernel } from '../../kernel/index.js';
import type { Db, Tx } from '../../kernel/db/index.js';
import { DevicesService } from './devices.service.js';
import { IngestPipeline } from './ingest.js';
import { TelemetryRepository } from './telemetry.repository.js';
import { parseKeys, type DeviceWithType, type TelemetryKey } from './devices.repository.js';
import { DEVICE_CHANGED, type DeviceChanged } from './devices.events.js';

/** Raw readings are kept this long; per-minute rollups 30 days; per-hour rollups for good. */
export const RAW_RETENTION_DAYS = 90;
export const MINUTE_RETENTION_DAYS = 30;
export const OFFLINE_CHECK_MS = 30_000;

export interface DeviceInfo {
  id: string;
  name: string;
  typeCode: string;
  communityId: string;
  placeId: string;
  placePath: string;
  status: 'online' | 'offline';
  lastSeenAt: string | null;
}

const pipelines = new WeakMap<Kernel, IngestPipeline>();

/** Drop what this node caches about a device now, and tell the other nodes. */
export function deviceChanged(k: Kernel, deviceId: string): void {
  pipelines.get(k)?.forget(deviceId);
  void k.events.publish<DeviceChanged>(DEVICE_CHANGED, { deviceId }).catch((err) => k.log.error({ err, deviceId }, 'devices: change event not published'));
}

export interface AuthenticatedDevice {
  id: string;
  typeCode: string;
  communityId: string;
  placePath: string;
}

/**
 * Check a device credential (Authorization: Basic of an HTTP request). A secret verified in the
 * last DEVICE_AUTH_TTL_MS is accepted from memory (constant-time sha256 compare, no query); a
 * change of the device (update, secret rotation) drops it at once on the node that made it and, by
 * DEVICE_CHANGED, on every other node. Anything else reads the device and verifies the secret.
 */
export async function authenticateDevice(k: Kernel, deviceId: string, secret: string): Promise<AuthenticatedDevice | null> {
  const d = await ingestPipeline(k).verify(deviceId, secret);
  return d ? { id: d.id, typeCode: d.typeCode, communityId: d.communityId, placePath: d.placePath } : null;
}

/** The app's single ingest pipeline (created when the module registers). */
export function ingestPipeline(k: Kernel): IngestPipeline {
  let p = pipelines.get(k);
  if (!p) {
    p = new IngestPipeline(k);
    pipelines.set(k, p);
  }
  return p;
}

function info(d: DeviceWithType): DeviceInfo {
  return {
    id: d.id,
    name: d.name,
    typeCode: d.type_code,
    communityId: d.community_id,
    placeId: d.place_id,
    placePath: d.place_path,
    status: d.status,
    lastSeenAt: d.last_seen_at,
  };
}

export async function getDevice(k: Kernel, id: string, db?: Db | Tx): Promise<DeviceInfo | null> {
  const d = await new DevicesService(k).repo.byId(id, db);
  return d ? info(d) : null;
}

export async function listDevices(k: Kernel, f: { typeCode?: string; communityId?: string } = {}): Promise<DeviceInfo[]> {
  return (await new DevicesService(k).repo.all({ typeCode: f.typeCode, communityId: f.communityId })).map(info);
}

/** A device's value of `key` as it stood at `atMs`: its newest reading at or before then (raw
 * readings are kept RAW_RETENTION_DAYS), or null. Billing reads household meters with it. */
export async function valueAt(k: Kernel, deviceId: string, key: string, atMs: number): Promise<{ ts: number; value: number } | null> {
  return new TelemetryRepository(k.db, k.database.dialect).valueAt(deviceId, key, atMs);
}

/** The telemetry keys of a device type's profile, or null for an unknown type. */
export async function deviceTypeKeys(k: Kernel, typeCode: string): Promise<TelemetryKey[] | null> {
  const t = await new DevicesService(k).repo.typeByCode(typeCode);
  return t ? parseKeys(t.telemetry) : null;
}

/** Create a device without authorization (seed, demo, tests); returns its id and plain secret. */
export async function createDevice(k: Kernel, input: { typeCode: string; placeId: string; name: string; publicArea?: string | null }) {
  const svc = new DevicesService(k);
  svc.onChange = (id) => deviceChanged(k, id);
  const { row, secret } = await svc.insertDevice(input);
  return { id: row.id, secret };
}
