// Central authorization. Every route declares what it needs (config.auth); a global hook
// checks it before the handler runs, and routes without a declaration refuse to register
// (deny by default). Record-level checks compare the record's place path with the actor's
// grants: a record outside the actor's scope is reported as 404, never 403.
import { AbilityBuilder, createMongoAbility, subject as asSubject, type MongoAbility } from '@casl/ability';

export const roles = [
  'platform_admin',
  'gov_supervisor',
  'community_staff',
  'property_manager',
  'technician',
  'security_guard',
  'doctor',
  'department_officer',
  'service_provider',
  'resident',
] as const;
export type Role = (typeof roles)[number];

export interface Grant {
  role: Role;
  placeId: string | null;
  /** Materialised path of the granted place ("/reg_…/com_…/"); "/" for the whole platform. */
  scopePath: string;
}

export interface Actor {
  userId: string;
  kind: 'staff' | 'resident';
  name: string;
  grants: Grant[];
  /** The resident record of a resident account. */
  residentId: string | null;
  sessionId: string | null;
  /** 'system': work a module does on another's behalf (systemActor), never a request. */
  via: 'session' | 'token' | 'system';
}

export type Action = string; // read | create | update | delete | reveal | import | export | manage …
export type Subject = string; // Place | Resident | AuditLog | User …

/**
 * How a permission applies: 'scope' = to records under the grant's place; 'self' = only to
 * records about the actor's own resident record (residentId match).
 */
export type Reach = 'scope' | 'self';
export type PermissionTable = Partial<Record<Role, [Action, Subject, Reach?][]>>;

const table: Map<Role, [Action, Subject, Reach][]> = new Map();

const declaredBy = new Set<string>();

/**
 * Modules declare which role may do what on their subjects (their manifest's `permissions`, read
 * by app.ts). With an owner, a second declaration by the same owner is ignored (several apps in one
 * process, as in tests).
 */
export function declarePermissions(perms: PermissionTable, owner?: string): void {
  if (owner) {
    if (declaredBy.has(owner)) return;
    declaredBy.add(owner);
  }
  for (const [role, list] of Object.entries(perms) as [Role, [Action, Subject, Reach?][]][]) {
    const cur = table.get(role) ?? [];
    for (const [a, s, r] of list) cur.push([a, s, r ?? 'scope']);
    table.set(role, cur);
  }
}

export function permissionsOf(role: Role): [Action, Subject, Reach][] {
  return table.get(role) ?? [];
}

export type AppAbility = MongoAbility;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function abilityFor(actor: Actor | null): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  if (actor) {
    for (const g of actor.grants) {
      if (g.role === 'platform_admin') {
        can('manage', 'all');
        continue;
      }
      for (const [action, subj, reach] of permissionsOf(g.role)) {
        if (reach === 'self') {
          if (actor.residentId) can(action, subj, { residentId: actor.residentId });
        } else {
          can(action, subj, { placePath: { $regex: '^' + escapeRegex(g.scopePath) } });
        }
      }
    }
  }
  return build();
}

/** What a record exposes for authorization. */
export interface Scoped {
  placePath: string;
  residentId?: string | null;
}

export class Authz {
  // Abilities depend only on the grants and the resident id; many requests share them.
  private cache = new Map<string, AppAbility>();

  ability(actor: Actor | null): AppAbility {
    if (!actor) return abilityFor(null);
    const key = `${actor.residentId ?? ''}|${actor.grants.map((g) => `${g.role}@${g.scopePath}`).join(',')}`;
    let a = this.cache.get(key);
    if (!a) {
      a = abilityFor(actor);
      if (this.cache.size >= 1000) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, a);
    }
    return a;
  }

  /** May the actor do this at all, anywhere? (route-level check) */
  canSomewhere(actor: Actor | null, action: Action, subject: Subject): boolean {
    return this.ability(actor).can(action, subject);
  }

  /** May the actor do this on this record? */
  can(actor: Actor | null, action: Action, subject: Subject, record: Scoped): boolean {
    return this.ability(actor).can(action, asSubject(subject, { ...record }) as any);
  }

  /**
   * Where the actor may do this: 'all', or the place-path prefixes and own resident id that
   * bound a list query. Repositories turn this into WHERE place_path LIKE 'prefix%'.
   */
  reach(actor: Actor | null, action: Action, subject: Subject): Reachable {
    const ability = this.ability(actor);
    const prefixes: string[] = [];
    let residentId: string | null = null;
    for (const rule of ability.rulesFor(action, subject)) {
      if (rule.inverted) continue;
      const c = rule.conditions as any;
      if (!c) return { all: true, prefixes: [], residentId: null };
      if (c.placePath?.$regex) prefixes.push(String(c.placePath.$regex).slice(1).replace(/\\(.)/g, '$1'));
      if (c.residentId) residentId = c.residentId;
    }
    if (prefixes.includes('/')) return { all: true, prefixes: [], residentId: null };
    return { all: false, prefixes: [...new Set(prefixes)], residentId };
  }
}

export interface Reachable {
  all: boolean;
  prefixes: string[];
  residentId: string | null;
}

export function isStaff(actor: Actor | null): boolean {
  return !!actor && actor.kind === 'staff';
}

/**
 * The explicit actor for work one module does on another's behalf (a job, an event handler, an
 * automatic work order): platform-wide, named after the module and purpose, so every audit entry
 * it leaves says which automatic process acted (`system:workorders.alarm`). Never a request's actor.
 */
export function systemActor(purpose: string): Actor {
  return {
    userId: `sys_${purpose.replace(/[^a-z0-9]+/gi, '_')}`,
    kind: 'staff',
    name: `system:${purpose}`,
    residentId: null,
    sessionId: null,
    via: 'system',
    grants: [{ role: 'platform_admin', placeId: null, scopePath: '/' }],
  };
}
