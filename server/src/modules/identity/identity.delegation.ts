// Identity's side of the delegation policy (kernel/authz/delegation.ts): refusals become 403
// problems with their own codes, and every refused attempt is audited with the would-be grantor,
// so an escalation attempt leaves a trace even though nothing changed.
import type { Kernel } from '../../kernel/index.js';
import { Type } from '@sinclair/typebox';
import type { Actor, Role } from '../../kernel/authz/index.js';
import { administers, grantableRoles, grantRefusal, revokeRefusal, type DelegationRefusal, type GrantTarget } from '../../kernel/authz/delegation.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { places } from '../registry/index.js';
import type { Messages } from '../../kernel/http/i18n.js';

/** Its messages: part of the identity manifest's catalog (identity.policy.ts). */
export const delegationMessages: Messages = {
  'identity.grant_self': { zh: '不能给自己授予或撤销角色', en: 'You cannot grant or revoke roles on your own account' },
  'identity.grant_resident_account': { zh: '居民账号不能持有工作人员角色', en: 'A resident account cannot hold a staff role' },
  'identity.grant_staff_account': { zh: '工作人员账号不能持有居民角色', en: 'A staff account cannot hold the resident role' },
  'identity.grant_from_above': { zh: '该角色只能由平台管理员授予或撤销', en: 'Only a platform administrator can grant or revoke this role' },
  'identity.grant_not_delegable': {
    zh: '该角色的权限超出了您在此范围内的权限，不能授予或撤销',
    en: 'This role has permissions you do not hold here, so you cannot grant or revoke it',
  },
};

interface Attempt {
  role: Role;
  placeId: string | null;
  scopePath: string;
  targetUserId: string;
}

async function refuse(
  k: Kernel,
  by: Actor | null,
  action: 'identity.grant.add' | 'identity.grant.remove',
  code: DelegationRefusal,
  a: Attempt,
  ip?: string,
): Promise<never> {
  await k.audit.record({
    actorId: by?.userId ?? null,
    actorName: by?.name ?? 'system',
    action: `${action}.refused`,
    targetType: 'user',
    targetId: a.targetUserId,
    scopePath: a.scopePath,
    ip,
    detail: { role: a.role, placeId: a.placeId, grantor: by?.userId ?? null, code },
  });
  throw new AppError(403, code);
}

/** Throws the 403 problem (after auditing it) when `by` may not grant this role there to this account. */
export async function assertMayGrant(k: Kernel, by: Actor | null, target: GrantTarget, a: Omit<Attempt, 'targetUserId'>, ip?: string): Promise<void> {
  const code = grantRefusal(by, a.role, a.scopePath, target);
  if (code) await refuse(k, by, 'identity.grant.add', code, { ...a, targetUserId: target.userId }, ip);
}

/** Throws the 403 problem (after auditing it) when `by` may not revoke this grant. */
export async function assertMayRevoke(k: Kernel, by: Actor, a: Attempt, ip?: string): Promise<void> {
  const code = revokeRefusal(by, a.role, a.scopePath, a.targetUserId);
  if (code) await refuse(k, by, 'identity.grant.remove', code, a, ip);
}

/** What grantableRolesFor needs of the identity service (a narrow view, so this file does not import it). */
export interface AccountLookup {
  repo: { userById(id: string): Promise<{ kind: 'staff' | 'resident' } | undefined> };
  visibleTo(by: Actor, userId: string): Promise<boolean>;
}

/** The roles `by` may grant to this user on this place; 404 when either is outside its scope. */
export async function grantableRolesFor(k: Kernel, svc: AccountLookup, userId: string, placeId: string, by: Actor): Promise<Role[]> {
  const user = await svc.repo.userById(userId);
  if (!user || !(await svc.visibleTo(by, userId))) throw notFound('identity.user_not_found');
  const place = await places.getPlace(k, placeId);
  if (!place || !administers(by, place.path)) throw notFound('registry.place_not_found');
  return grantableRoles(by, place.path, { userId, kind: user.kind });
}

export const GrantableQuery = Type.Object({ placeId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
