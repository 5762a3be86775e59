// Test factories for the health module: an institution with doctors, a team, a contract.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { PlaceRow } from '../registry/index.js';
import { buildStaff, systemActor } from '../../test/fixtures.js';
import { HealthSetup } from './health.setup.js';
import { healthOf } from './health.context.js';

export function doctorActor(userId: string, community: PlaceRow, name = 'doctor'): Actor {
  return {
    userId,
    kind: 'staff',
    name,
    residentId: null,
    sessionId: null,
    via: 'token',
    grants: [{ role: 'doctor', placeId: community.id, scopePath: community.path }],
  };
}

/** An institution in the community with the given doctor accounts (made when names are given) and one team of them. */
export async function buildHealthTeam(k: Kernel, community: PlaceRow, doctors: (string | { id: string; name: string })[], teamName = '家庭医生一队') {
  const setup = new HealthSetup(k);
  const admin = systemActor();
  const inst = await setup.createInstitution(admin, { communityId: community.id, name: `${community.name}卫生服务站`, kind: 'station' });
  const users: { id: string; name: string }[] = [];
  for (const d of doctors) users.push(typeof d === 'string' ? { id: (await buildStaff(k, d, 'doctor', community)).id, name: d } : d);
  for (const u of users) await setup.addDoctor(admin, inst.id, { userId: u.id, name: u.name });
  const team = await setup.createTeam(admin, { institutionId: inst.id, name: teamName, members: users.map((u, i) => ({ userId: u.id, lead: i === 0 })) });
  return { institution: inst, team, doctors: users.map((u) => doctorActor(u.id, community, u.name)) };
}

/** A contract of the resident with the team, consent given unless told otherwise. */
export async function buildContract(
  k: Kernel,
  doctor: Actor,
  teamId: string,
  residentId: string,
  o: { consent?: boolean; conditions?: ('hypertension' | 'diabetes')[]; start?: string } = {},
) {
  const c = await new HealthSetup(k).sign(doctor, {
    residentId,
    teamId,
    package: 'elderly',
    startDate: o.start ?? '2026-01-01',
    endDate: '2027-12-31',
    signedBy: 'self',
    conditions: o.conditions ?? ['hypertension'],
    consent: o.consent ?? true,
  });
  return c;
}

export const patientIdOf = async (k: Kernel, residentId: string) => (await healthOf(k).patients.byResident(residentId))!.id;
