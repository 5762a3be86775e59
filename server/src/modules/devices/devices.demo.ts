// Demo devices of the first demo community (花家地社区) and their credentials.
//
// Each demo device's secret is derived from the vault's index key (never stored in plain text,
// never logged): whoever holds the vault key — the app and `linli simulate` on the same data
// directory or LINLI_MASTER_KEY — can sign in as the demo devices; the database keeps only the
// Argon2id hash, as for every device.
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';
import { createDevice, ingestPipeline, listDevices } from './devices.api.js';
import { DevicesService } from './devices.service.js';
import { hashSecret } from './secrets.js';
import { places } from '../registry/index.js';
import { childPlaces, demoCommunity } from '../../seed/demo-places.js';

export interface DemoDevicePlan {
  typeCode: 'elevator' | 'water_pump' | 'water_meter' | 'electricity_meter' | 'smoke_detector' | 'env_sensor';
  placeId: string;
  name: string;
  publicArea: string | null;
}

/** A demo device as the simulator needs it (the secret stays in memory). */
export interface DemoDevice {
  id: string;
  name: string;
  typeCode: string;
  secret: string;
}

const ELEVATOR_BUILDINGS = 2;
const ELEVATORS_PER_BUILDING = 2;
const SMOKE_AREAS = ['地下车库', '配电室'];

/** The deterministic secret of demo device `deviceId` (keyed by the vault's index key). */
export function demoDeviceSecret(k: Kernel, deviceId: string): string {
  const key = k.vault.blindIndex('demo-device', deviceId);
  return crypto.createHmac('sha256', key).update('linli-demo-device-secret-v1').digest('base64url');
}

function num(name: string): number {
  const m = /^(\d+)/.exec(name);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/** What the demo devices are, from the places of the first demo community (empty when it is absent). */
export async function demoDevicePlan(k: Kernel): Promise<DemoDevicePlan[]> {
  const community = await demoCommunity(k); // 花家地社区
  if (!community) return [];
  const estates = await childPlaces(k, community.id, 'estate');
  const plan: DemoDevicePlan[] = [];
  for (const e of estates) {
    const buildings = (await childPlaces(k, e.id, 'building')).sort((a, b) => num(a.name) - num(b.name) || a.name.localeCompare(b.name));
    for (const b of buildings.slice(0, ELEVATOR_BUILDINGS)) {
      for (let i = 1; i <= ELEVATORS_PER_BUILDING; i++)
        plan.push({ typeCode: 'elevator', placeId: b.id, name: `${e.name} ${b.name} ${i}号电梯`, publicArea: null });
    }
    plan.push({ typeCode: 'water_pump', placeId: e.id, name: `${e.name} 1号水泵`, publicArea: '水泵房' });
    for (const b of buildings) {
      plan.push({ typeCode: 'electricity_meter', placeId: b.id, name: `${e.name} ${b.name} 电表`, publicArea: null });
      plan.push({ typeCode: 'water_meter', placeId: b.id, name: `${e.name} ${b.name} 水表`, publicArea: null });
    }
    for (const area of SMOKE_AREAS) plan.push({ typeCode: 'smoke_detector', placeId: e.id, name: `${e.name} ${area} 烟感`, publicArea: area });
    plan.push({ typeCode: 'env_sensor', placeId: e.id, name: `${e.name} 环境监测`, publicArea: '中心花园' });
  }
  return plan;
}

const planKey = (p: { placeId: string; name: string; typeCode: string }) => `${p.placeId}\u0000${p.typeCode}\u0000${p.name}`;

async function existing(k: Kernel, plan: DemoDevicePlan[]) {
  const wanted = new Set(plan.map(planKey));
  // every planned place lies in the one demo community
  const row = await places.getPlace(k, plan[0]!.placeId);
  const communityIds = row?.community_id ? [row.community_id] : [];
  const found = new Map<string, { id: string; name: string; typeCode: string }>();
  for (const c of communityIds) {
    for (const d of await listDevices(k, { communityId: c })) {
      const key = planKey(d);
      if (wanted.has(key) && !found.has(key)) found.set(key, { id: d.id, name: d.name, typeCode: d.typeCode });
    }
  }
  return found;
}

/**
 * Creates the demo devices that do not exist yet (idempotent) through the devices module, then
 * sets each new device's secret to its derived demo secret (hashed at rest). Returns how many
 * were created.
 */
export async function seedDemoDevices(k: Kernel): Promise<number> {
  const plan = await demoDevicePlan(k);
  if (!plan.length) return 0;
  const have = await existing(k, plan);
  const created: string[] = [];
  for (const p of plan) {
    if (have.has(planKey(p))) continue;
    const { id } = await createDevice(k, { typeCode: p.typeCode, placeId: p.placeId, name: p.name, publicArea: p.publicArea });
    created.push(id);
  }
  // the random secret createDevice made is replaced by the derived one (the rotate path)
  const hashes = await Promise.all(created.map((id) => hashSecret(demoDeviceSecret(k, id))));
  const repo = new DevicesService(k).repo;
  const pipeline = ingestPipeline(k);
  const at = k.clock.now().toISOString();
  for (let i = 0; i < created.length; i++) {
    await repo.update(created[i]!, { secret_hash: hashes[i]!, secret_rotated_at: at, updated_at: at });
    pipeline.forget(created[i]!);
  }
  if (created.length) {
    await k.audit.record({
      actorId: null,
      actorName: 'system',
      action: 'seed.demo_devices',
      targetType: 'system',
      targetId: null,
      detail: { devices: created.length },
    });
    k.log.info({ devices: created.length }, 'demo: devices seeded');
  }
  return created.length;
}

/** The demo devices that exist, with their derived secrets (for the simulator). */
export async function loadDemoDevices(k: Kernel): Promise<DemoDevice[]> {
  const plan = await demoDevicePlan(k);
  if (!plan.length) return [];
  const have = await existing(k, plan);
  const out: DemoDevice[] = [];
  for (const p of plan) {
    const d = have.get(planKey(p));
    if (d) out.push({ id: d.id, name: d.name, typeCode: d.typeCode, secret: demoDeviceSecret(k, d.id) });
  }
  return out;
}
