// Factories that build test data through the services (the same code paths as the API).
import type { Kernel } from '../kernel/index.js';
import { systemActor as kernelSystemActor, type Actor, type Role } from '../kernel/authz/index.js';
import { PlacesService, ResidentsService } from '../modules/registry/index.js';
import type { PlaceRow } from '../modules/registry/places.repository.js';
import { IdentityService } from '../modules/identity/index.js';
import { makeIdNumber } from '../modules/registry/standard/id-number.js';

export const PASSWORD = 'correct-horse-battery';

export interface World {
  street: PlaceRow;
  c1: PlaceRow;
  c2: PlaceRow;
  estate1: PlaceRow;
  estate2: PlaceRow;
  house1: PlaceRow;
  house1b: PlaceRow;
  house2: PlaceRow;
}

/** A street with two communities, each with an estate → building → unit → house. */
export async function buildWorld(k: Kernel): Promise<World> {
  const p = new PlacesService(k);
  const district = await p.insertPlace({ kind: 'region', name: '北京市朝阳区', code: '110105', regionLevel: 'district' }, null);
  const street = await p.insertPlace({ kind: 'region', name: '望京街道', code: '110105026', regionLevel: 'street' }, district);
  const c1 = await p.insertPlace({ kind: 'community', name: '花家地社区' }, street);
  const c2 = await p.insertPlace({ kind: 'community', name: '南湖东园社区' }, street);
  const e1 = await p.insertPlace({ kind: 'estate', name: '花家地西里' }, c1);
  const e2 = await p.insertPlace({ kind: 'estate', name: '南湖东园' }, c2);
  const b1 = await p.insertPlace({ kind: 'building', name: '1号楼' }, e1);
  const b2 = await p.insertPlace({ kind: 'building', name: '7号楼' }, e2);
  const u1 = await p.insertPlace({ kind: 'unit', name: '1单元' }, b1);
  const u2 = await p.insertPlace({ kind: 'unit', name: '2单元' }, b2);
  const house1 = await p.insertPlace({ kind: 'house', name: '101', floor: 1, areaM2: 88.5 }, u1);
  const house1b = await p.insertPlace({ kind: 'house', name: '102', floor: 1, areaM2: 66 }, u1);
  const house2 = await p.insertPlace({ kind: 'house', name: '1203', floor: 12, areaM2: 120 }, u2);
  return { street, c1, c2, estate1: e1, estate2: e2, house1, house1b, house2 };
}

let seq = 0;
/** A valid, unique mainland ID number (GB 11643) for a birth date. */
export function idNumberFor(birthDate = '1985-03-14', male = true): string {
  seq++;
  // 3-digit order code: odd for men, even for women
  const order = (seq * 2 + (male ? 1 : 0)) % 1000;
  return makeIdNumber('110105', birthDate, String(order).padStart(3, '0'));
}

let phoneSeq = 0;
export function phoneNumber(): string {
  phoneSeq++;
  return `139${String(10000000 + phoneSeq * 7919 + Math.floor(Math.random() * 1000) * 100000).slice(-8)}`;
}

/** A resident living in a house, created through the registry service. */
export async function buildResident(
  k: Kernel,
  house: PlaceRow,
  o: { name?: string; birthDate?: string; male?: boolean; phone?: string | null; role?: string; tags?: string[] } = {},
) {
  const svc = new ResidentsService(k);
  const admin = systemActor();
  const idNumber = idNumberFor(o.birthDate ?? '1985-03-14', o.male ?? true);
  const phone = o.phone === undefined ? phoneNumber() : o.phone;
  const view = await svc.create(
    admin,
    { name: o.name ?? '张伟', idNumber, phone, houseId: house.id, role: o.role ?? 'owner', relation: '02', moveIn: '2020-01-01', tags: o.tags },
    '127.0.0.1',
  );
  return { ...view, idNumber, phone };
}

/**
 * The actor factories build test data as: the kernel's system actor (platform-wide, never a
 * request), audited as `system:test.fixtures` unless a purpose is given.
 */
export function systemActor(purpose = 'test.fixtures'): Actor {
  return kernelSystemActor(purpose);
}

/** A staff account with one role grant. */
export async function buildStaff(k: Kernel, username: string, role: Role, place: PlaceRow | null) {
  const id = new IdentityService(k);
  const u = await id.createStaffUser({ username, displayName: username, password: PASSWORD }, null);
  await id.addGrant(u.id, role, place?.id ?? null, null);
  return u;
}

/** A resident sign-in account for an existing resident. */
export async function buildResidentUser(k: Kernel, resident: { id: string; name: string; phone: string | null }, community: PlaceRow) {
  return new IdentityService(k).createResidentUser({
    residentId: resident.id,
    name: resident.name,
    phone: resident.phone!,
    communityPath: community.path,
    password: PASSWORD,
  });
}
