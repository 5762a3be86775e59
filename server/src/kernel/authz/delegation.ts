// Delegation policy: who may grant (and revoke) which role, on which place, to whom. The one
// place this is decided; identity's addGrant/removeGrant and the "grantable roles" route ask it.
// Reasoning and the second-approver decision: docs/security/delegation.md.
//
//  1. Scope: the grantor must administer users (manage User) on the place; the grant's place
//     must lie inside one of its own grants. Outside that the place or user does not exist for
//     the grantor (404, decided by the caller through `administers`).
//  2. Never to itself (grant or revoke).
//  3. Account kind: resident accounts hold only 'resident'; staff accounts never hold it.
//  4. Appointed from above: platform_admin and the government roles (gov_supervisor,
//     department_officer) are granted only by a platform administrator.
//  5. Subset: every permission of the role must be one the grantor itself holds on that place,
//     from the grants that cover it, computed from the declared permission tables (so a role
//     that gains a permission stops being delegable by those who lack it, with no list to update).
//  Revocation follows 2, 4 and 5 (you may revoke only what you could grant), not 3, so a
//  wrongly held role can always be taken away.
import { subject as asSubject } from '@casl/ability';
import { abilityFor, permissionsOf, roles, type Actor, type Action, type Reach, type Role, type Subject } from './index.js';

/** Roles only a platform administrator grants or revokes. */
export const appointedFromAbove: readonly Role[] = ['platform_admin', 'gov_supervisor', 'department_officer'];

/** The roles each kind of account may hold. */
export const rolesForKind: Record<Actor['kind'], readonly Role[]> = {
  resident: ['resident'],
  staff: roles.filter((r) => r !== 'resident'),
};

export type DelegationRefusal =
  'identity.grant_self' | 'identity.grant_resident_account' | 'identity.grant_staff_account' | 'identity.grant_from_above' | 'identity.grant_not_delegable';

export interface GrantTarget {
  userId: string;
  kind: Actor['kind'];
}

export const isPlatformAdmin = (actor: Actor) => actor.grants.some((g) => g.role === 'platform_admin');

/** May the actor administer users (and their grants) on this place? Outside: 404 to the caller. */
export function administers(actor: Actor, placePath: string): boolean {
  return abilityFor(actor).can('manage', asSubject('User', { placePath }) as any);
}

const key = (a: Action, s: Subject, r: Reach) => `${a}|${s}|${r}`;

/** The permissions the actor holds on a place: those of its grants whose scope covers it. */
function heldAt(actor: Actor, placePath: string): Set<string> | 'all' {
  const held = new Set<string>();
  for (const g of actor.grants) {
    if (!placePath.startsWith(g.scopePath)) continue;
    if (g.role === 'platform_admin') return 'all';
    for (const [a, s, r] of permissionsOf(g.role)) held.add(key(a, s, r));
  }
  return held;
}

/** Is every permission of `role` one the actor holds on the place? ('manage' covers every action.) */
export function holdsAllOf(actor: Actor, role: Role, placePath: string): boolean {
  if (role === 'platform_admin') return isPlatformAdmin(actor);
  const held = heldAt(actor, placePath);
  if (held === 'all') return true;
  return permissionsOf(role).every(([a, s, r]) => held.has(key(a, s, r)) || held.has(key('manage', s, r)));
}

/**
 * Why `actor` may not grant `role` on `placePath` to `target` (null: it may). The caller has
 * already made sure the target user and the place are inside the actor's scope (`administers`).
 * A null actor is the system (seed, CLI, tests): only the account-kind rule applies.
 */
export function grantRefusal(actor: Actor | null, role: Role, placePath: string, target: GrantTarget): DelegationRefusal | null {
  if (actor && target.userId === actor.userId) return 'identity.grant_self';
  if (!rolesForKind[target.kind].includes(role)) return target.kind === 'resident' ? 'identity.grant_resident_account' : 'identity.grant_staff_account';
  return actor ? authorityRefusal(actor, role, placePath) : null;
}

/** Why `actor` may not revoke a grant of `role` on `placePath` held by `holderId` (null: it may). */
export function revokeRefusal(actor: Actor, role: Role, placePath: string, holderId: string): DelegationRefusal | null {
  if (holderId === actor.userId) return 'identity.grant_self';
  return authorityRefusal(actor, role, placePath);
}

function authorityRefusal(actor: Actor, role: Role, placePath: string): DelegationRefusal | null {
  if (appointedFromAbove.includes(role) && !isPlatformAdmin(actor)) return 'identity.grant_from_above';
  if (!holdsAllOf(actor, role, placePath)) return 'identity.grant_not_delegable';
  return null;
}

/** The roles the actor may grant to this account on this place (for the console's role picker). */
export function grantableRoles(actor: Actor, placePath: string, target: GrantTarget): Role[] {
  if (!administers(actor, placePath)) return [];
  return roles.filter((r) => !grantRefusal(actor, r, placePath, target));
}
