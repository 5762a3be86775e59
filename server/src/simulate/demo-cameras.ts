// The demo cameras (seeded by server/src/modules/incidents/incidents.demo.ts) as simulator devices, so the
// simulator can post camera events over MQTT the way a real camera does.
//
// The incidents seed creates its cameras with createDevice and throws the random secret away.
// A demo camera whose secret was never rotated since then is given the derived demo secret (the
// same derivation and the same rotate path as the other demo devices): nobody can hold its old
// secret. A camera someone rotated keeps its secret and is left out. Secrets are never logged.
import type { Kernel } from '../kernel/index.js';
import { DevicesService, hashSecret, ingestPipeline, listDevices } from '../modules/devices/index.js';
import { demoDeviceSecret, type DemoDevice } from '../modules/devices/index.js';
import { demoCommunity } from '../seed/demo-places.js';

// the names seedDemoIncidents gives its cameras: "<estate> 南门摄像头" and the like
const DEMO_CAMERA_NAME = / (南门|北门|中心花园)摄像头$/;

/** The demo community's demo cameras with their derived secrets (empty when there are none). */
export async function loadDemoCameras(k: Kernel): Promise<DemoDevice[]> {
  const community = await demoCommunity(k);
  if (!community) return [];
  const cameras = (await listDevices(k, { typeCode: 'camera', communityId: community.id })).filter((d) => DEMO_CAMERA_NAME.test(d.name));
  const pipeline = ingestPipeline(k);
  const repo = new DevicesService(k).repo;
  const out: DemoDevice[] = [];
  const given: string[] = [];
  for (const c of cameras) {
    const secret = demoDeviceSecret(k, c.id);
    if (!(await pipeline.authenticate(c.id, secret))) {
      const row = await repo.byId(c.id);
      if (!row || row.secret_rotated_at !== row.created_at) continue; // rotated by someone: theirs
      const at = k.clock.now().toISOString();
      await repo.update(c.id, { secret_hash: await hashSecret(secret), secret_rotated_at: at, updated_at: at });
      pipeline.forget(c.id);
      given.push(c.id);
    }
    out.push({ id: c.id, name: c.name, typeCode: c.typeCode, secret });
  }
  if (given.length) {
    await k.audit.record({
      actorId: null,
      actorName: 'system',
      action: 'seed.demo_devices',
      targetType: 'system',
      targetId: null,
      detail: { cameras: given.length },
    });
  }
  return out;
}
