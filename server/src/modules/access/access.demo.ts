// Demo doors of the first demo community (花家地社区): one door controller per estate (created
// through the devices module, with a derived demo secret like the other demo devices), the estate
// gate and a garage barrier on it, a unit door for every unit of the estate's first two buildings,
// a door group of the gates, and an IC card for the demo resident.
import type { Kernel } from '../../kernel/index.js';
import { createDevice, DevicesService, hashSecret, ingestPipeline } from '../devices/index.js';
import { AccessCredentialsService } from './access.credentials.service.js';
import { AccessSetupService } from './access.setup.service.js';
import { demoDeviceSecret } from '../devices/index.js';
import { childPlaces, demoCommunity } from '../../seed/demo-places.js';

const system = {
  userId: 'usr_system',
  kind: 'staff' as const,
  name: '系统',
  residentId: null,
  sessionId: null,
  via: 'token' as const,
  grants: [{ role: 'platform_admin' as const, placeId: null, scopePath: '/' }],
};

export async function seedDemoAccess(k: Kernel, demoResidentId?: string): Promise<number> {
  const community = await demoCommunity(k);
  if (!community) return 0;
  const setup = new AccessSetupService(k);
  if ((await setup.repo.points({ all: true, prefixes: [], residentId: null }, community.id)).length) return 0; // already seeded
  const estates = await childPlaces(k, community.id, 'estate');
  const gates: string[] = [];
  let doors = 0;
  const repo = new DevicesService(k).repo;
  const at = k.clock.now().toISOString();
  for (const e of estates) {
    const ctl = await createDevice(k, { typeCode: 'door_controller', placeId: e.id, name: `${e.name} 门禁控制器` });
    await repo.update(ctl.id, { secret_hash: await hashSecret(demoDeviceSecret(k, ctl.id)), secret_rotated_at: at, updated_at: at });
    ingestPipeline(k).forget(ctl.id);
    const add = async (placeId: string, kind: 'estate_gate' | 'garage_barrier' | 'unit_door', name: string, direction: 'in' | 'out' | 'both' = 'both') => {
      doors++;
      return (await setup.createPoint(system, { placeId, kind, name, direction, controllerId: ctl.id }, '127.0.0.1')).id;
    };
    gates.push(await add(e.id, 'estate_gate', `${e.name} 大门`));
    gates.push(await add(e.id, 'garage_barrier', `${e.name} 车库道闸`));
    const buildings = (await childPlaces(k, e.id, 'building')).slice(0, 2);
    for (const b of buildings) {
      const units = await childPlaces(k, b.id, 'unit');
      for (const u of units) await add(u.id, 'unit_door', `${e.name} ${b.name}${u.name}`);
    }
  }
  await setup.createDoorGroup(system, { communityId: community.id, name: '小区大门', pointIds: gates }, '127.0.0.1');
  if (demoResidentId)
    await new AccessCredentialsService(k).issue(system, { residentId: demoResidentId, type: 'card', value: '10086001', cardFormat: 'w34' }, '127.0.0.1');
  k.log.info({ doors }, 'demo: doors seeded');
  return doors;
}
