// What the demo, seeds and in-process simulators call on incidents. Re-exported by index.ts.
import type { Kernel } from '../../kernel/index.js';
import { getDevice } from '../devices/index.js';
import { CameraEventsService, type IncomingEvent, type IngestOutcome } from './camera-events.service.js';
import { IncidentsRepository } from './incidents.repository.js';
import { CAMERA_TYPE } from './cameras.service.js';

/** Set a camera's extras without authorization (seed, demo, tests). */
export async function setCameraExtras(
  k: Kernel,
  deviceId: string,
  x: { location?: string | null; streamUrl?: string | null; mac?: string | null; ip?: string | null; channel?: number | null; timeZone?: string | null },
) {
  const d = await getDevice(k, deviceId);
  if (!d || d.typeCode !== CAMERA_TYPE) throw new Error(`incidents: ${deviceId} is not a camera`);
  await new IncidentsRepository(k.db).upsertCamera({
    device_id: d.id,
    community_id: d.communityId,
    location: x.location ?? null,
    stream_url: x.streamUrl ?? null,
    mac: x.mac ?? null,
    ip: x.ip ?? null,
    channel: x.channel ?? null,
    time_zone: x.timeZone ?? null,
    updated_by: null,
    updated_at: k.clock.now().toISOString(),
  });
}

/** Record a camera event as if it had arrived (seed, demo, simulators in-process). */
export function recordCameraEvent(k: Kernel, e: IncomingEvent): Promise<IngestOutcome> {
  return new CameraEventsService(k).ingest(e);
}
