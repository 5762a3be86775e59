// Demo cameras at the gates and public areas of the first demo community (花家地社区), with
// location and stream address, and two camera events so the incidents console is not empty.
// Idempotent: nothing is added when the demo cameras exist already. Kept small on purpose.
import type { Kernel } from '../../kernel/index.js';
import { createDevice, getDevice, listDevices } from '../devices/index.js';
import { recordCameraEvent, setCameraExtras } from './incidents.api.js';
import { childPlaces, demoCommunity } from '../../seed/demo-places.js';

const SPOTS = [
  { suffix: '南门', location: '南门岗亭外，朝向车行道' },
  { suffix: '北门', location: '北门人行通道' },
  { suffix: '中心花园', location: '中心花园儿童游乐区' },
];

export async function seedDemoIncidents(k: Kernel): Promise<number> {
  const community = await demoCommunity(k);
  if (!community) return 0;
  if ((await listDevices(k, { typeCode: 'camera', communityId: community.id })).length) return 0;
  const estates = (await childPlaces(k, community.id, 'estate')).slice(0, 2);
  const cameras: string[] = [];
  let ip = 64;
  for (const e of estates) {
    for (const s of SPOTS.slice(0, e === estates[0] ? 3 : 2)) {
      const { id } = await createDevice(k, { typeCode: 'camera', placeId: e.id, name: `${e.name} ${s.suffix}摄像头`, publicArea: s.suffix });
      const addr = `10.20.1.${ip++}`;
      await setCameraExtras(k, id, {
        location: `${e.name} ${s.location}`,
        streamUrl: `rtsp://admin:demo-${ip}@${addr}:554/Streaming/Channels/101`,
        ip: addr,
        channel: 1,
      });
      cameras.push(id);
    }
  }
  // two events: a loitering at the first gate and a motion burst in the garden (one incident)
  const now = k.clock.now().getTime();
  const first = (await getDevice(k, cameras[0]!))!;
  await recordCameraEvent(k, { camera: first, key: 'demo-1', kind: 'loitering', source: 'webhook', at: now - 20 * 60_000, detail: { zone: '岗亭外' } });
  const garden = (await getDevice(k, cameras[2]!))!;
  for (let i = 0; i < 3; i++)
    await recordCameraEvent(k, { camera: garden, key: `demo-m${i}`, kind: 'motion', source: 'webhook', at: now - (5 - i) * 60_000, detail: {} });

  k.log.info({ cameras: cameras.length }, 'demo: cameras seeded');
  return cameras.length;
}
