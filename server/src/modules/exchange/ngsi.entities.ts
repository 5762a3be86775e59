// The open-data entities: estates and buildings as Smart Data Models `Building`, shared devices as
// `Device` (https://smart-data-models.github.io/dataModel.Building/Building/,
// …/dataModel.Device/Device/). Only non-personal data: names and codes of places, device kinds and
// states, and resident counts per building with small-cell suppression. Read through the
// registry's and devices' index (registry.open-data.ts, listDevices).
//
// Decisions (docs/open-data.md):
//  - residents per building are a Property `residentCount` of the building (not SDM's
//    `peopleOccupancy`, whose schema is a number): an integer from 5 up, the string "<5" below;
//    estates carry no count, so a building's suppressed count cannot be recovered by subtracting
//    its neighbours' from an estate total.
//  - a building points at its estate with the Relationship `locatedAt` (as the ETSI test suite's
//    building-relationship sample does); SDM's `containedInPlace` is a geometry, which the registry
//    does not hold, and neither `location` nor `containedInPlace` is given without coordinates.
//  - devices: only shared building equipment (OPEN_DEVICE_TYPES) outside homes; a device in a house
//    (meters, alarms in someone's flat) or of a health or community-defined type is never published.
//    The free-text device name is not published (staff may write a person's name into it).
import type { Kernel } from '../../kernel/index.js';
import { openData, type OpenPlace } from '../registry/index.js';
import { deviceTypeKeys, listDevices } from '../devices/index.js';
import type { Attr, NgsiEntity } from './ngsi.query.js';

/** Counts under this are published as "<5". */
export const SMALL_CELL = 5;
export const suppress = (n: number): number | string => (n < SMALL_CELL ? `<${SMALL_CELL}` : n);

/** Device types published, with their Smart Data Models deviceCategory. */
export const OPEN_DEVICE_TYPES: Record<string, string> = {
  elevator: 'actuator',
  water_pump: 'actuator',
  door_controller: 'actuator',
  water_meter: 'meter',
  electricity_meter: 'meter',
  smoke_detector: 'sensor',
  env_sensor: 'sensor',
  camera: 'multimedia',
  gateway: 'network',
};

export const urn = (type: 'Building' | 'Device', id: string) => `urn:ngsi-ld:${type}:${id}`;
const prop = (value: unknown): Attr => ({ type: 'Property', value });
const dateTime = (iso: string): Attr => prop({ '@type': 'DateTime', '@value': iso });
const segment = (path: string, prefix: string) => path.split('/').find((s) => s.startsWith(prefix)) ?? null;

function address(p: OpenPlace, byId: Map<string, OpenPlace>): Record<string, string> {
  const up = p.path
    .split('/')
    .filter(Boolean)
    .map((id) => byId.get(id))
    .filter((x): x is OpenPlace => !!x);
  const level = (l: string) => up.find((x) => x.kind === 'region' && x.regionLevel === l)?.name;
  const estate = up.find((x) => x.kind === 'estate')?.name;
  const building = p.kind === 'building' ? p.name : undefined;
  const a: Record<string, string | undefined> = {
    addressCountry: 'CN',
    addressRegion: level('city') ?? level('province'),
    addressLocality: level('district'),
    district: level('street'),
    streetAddress: [estate, building].filter(Boolean).join(' ') || undefined,
  };
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

export async function buildingEntities(k: Kernel): Promise<NgsiEntity[]> {
  const places = await openData.places(k);
  const figures = await openData.buildingFigures(k);
  const byId = new Map(places.map((p) => [p.id, p]));
  const out: NgsiEntity[] = [];
  for (const p of places) {
    if (p.kind !== 'estate' && p.kind !== 'building') continue;
    const attrs: Record<string, Attr> = {
      name: prop(p.name),
      category: prop(['residential']),
      placeKind: prop(p.kind),
      address: prop(address(p, byId)),
      dateCreated: dateTime(p.createdAt),
      dateModified: dateTime(p.updatedAt),
    };
    if (p.kind === 'building') {
      const f = figures.get(p.id);
      if (f?.floorsAboveGround) attrs.floorsAboveGround = prop(f.floorsAboveGround);
      attrs.residentCount = prop(suppress(f?.residents ?? 0));
      const estate = segment(p.path, 'est_');
      if (estate) attrs.locatedAt = { type: 'Relationship', object: urn('Building', estate) };
    }
    out.push({ id: urn('Building', p.id), type: 'Building', attrs });
  }
  return out;
}

export async function deviceEntities(k: Kernel): Promise<NgsiEntity[]> {
  const devices = (await listDevices(k)).filter((d) => d.typeCode in OPEN_DEVICE_TYPES && !segment(d.placePath, 'hse_'));
  const keys = new Map<string, string[]>();
  for (const code of new Set(devices.map((d) => d.typeCode)))
    keys.set(
      code,
      ((await deviceTypeKeys(k, code)) ?? []).map((x) => x.key),
    );
  return devices.map((d) => {
    const asset = segment(d.placePath, 'bld_') ?? segment(d.placePath, 'est_');
    const attrs: Record<string, Attr> = {
      deviceCategory: prop([OPEN_DEVICE_TYPES[d.typeCode]]),
      controlledProperty: prop(keys.get(d.typeCode) ?? []),
      deviceState: prop(d.status),
    };
    if (d.lastSeenAt) attrs.dateLastValueReported = dateTime(d.lastSeenAt);
    if (asset) attrs.controlledAsset = { type: 'Relationship', object: [urn('Building', asset)] };
    return { id: urn('Device', d.id), type: 'Device' as const, attrs };
  });
}

/**
 * How long a node reuses the entities it built (per type). Open data may be a few seconds old; an
 * anonymous caller cannot make every request read the whole place tree and device list again.
 * Concurrent requests share one build.
 */
export const SNAPSHOT_MS = 5_000;
const snapshots = new WeakMap<Kernel, Map<string, { at: number; entities: Promise<NgsiEntity[]> }>>();

function snapshot(k: Kernel, type: 'Building' | 'Device', build: (k: Kernel) => Promise<NgsiEntity[]>): Promise<NgsiEntity[]> {
  let m = snapshots.get(k);
  if (!m) snapshots.set(k, (m = new Map()));
  const now = Date.now();
  const s = m.get(type);
  if (s && now - s.at < SNAPSHOT_MS) return s.entities;
  const entities = build(k);
  m.set(type, { at: now, entities });
  entities.catch(() => m.delete(type));
  return entities;
}

/** Every open entity of the types asked for (all types when null), ordered by id. Shared: do not mutate. */
export async function openEntities(k: Kernel, types: Set<string> | null): Promise<NgsiEntity[]> {
  const out: NgsiEntity[] = [];
  if (!types || types.has('Building')) out.push(...(await snapshot(k, 'Building', buildingEntities)));
  if (!types || types.has('Device')) out.push(...(await snapshot(k, 'Device', deviceEntities)));
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
