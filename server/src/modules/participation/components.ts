// Participation components (the way Decidim's component manifests work): each participation
// feature — notices, events, surveys, proposals, votes, feedback — declares its actions (what a
// resident can do that may earn points), its settings with defaults, and its permissions, in one
// place. The points ledger, the console's component list and the portal read these manifests;
// nothing else keeps a second list.
import type { PermissionTable, Role } from '../../kernel/authz/index.js';

export interface Labels {
  zh: string;
  en: string;
}

export interface ComponentAction {
  /** Stable code, e.g. 'attend', 'answer', 'vote', 'cosign'. */
  name: string;
  labels: Labels;
  /** Default points for a verified action, and the default daily cap per resident (0 = none). */
  points?: { default: number; dailyCap?: number };
}

export interface ComponentSetting {
  type: 'boolean' | 'number' | 'string';
  default: boolean | number | string;
  labels: Labels;
}

export interface ParticipationComponent {
  /** Stable code, e.g. 'surveys'. */
  name: string;
  labels: Labels;
  actions: ComponentAction[];
  settings: Record<string, ComponentSetting>;
  /** Which role may do what on the component's subjects: part of its module's manifest `permissions`. */
  permissions: PermissionTable;
}

/** A component's manifest, as data (participation.manifests.ts; the council's in council.policy.ts). */
export function defineComponent(c: ParticipationComponent): ParticipationComponent {
  return c;
}

/**
 * A module's own permissions with those of its components: what its manifest declares as
 * `permissions` (app.ts hands them to kernel/authz before register).
 */
export function withComponentPermissions(own: PermissionTable, comps: ParticipationComponent[]): PermissionTable {
  const out: PermissionTable = {};
  for (const table of [own, ...comps.map((c) => c.permissions)]) {
    for (const [role, list] of Object.entries(table) as [Role, NonNullable<PermissionTable[Role]>][]) out[role] = [...(out[role] ?? []), ...list];
  }
  return out;
}

const provided = new Map<string, ParticipationComponent>();

/**
 * Make a module's components known to the points ledger and the settings (called from the
 * module's register, never at import). A name belongs to one manifest; the same manifest again is
 * a no-op (several apps in one process, as in tests).
 */
export function provideComponents(list: ParticipationComponent[]): void {
  for (const c of list) {
    const had = provided.get(c.name);
    if (had && had !== c) throw new Error(`participation component "${c.name}" declared twice`);
    provided.set(c.name, c);
  }
}

export function components(): ParticipationComponent[] {
  return [...provided.values()];
}

export function component(name: string): ParticipationComponent | undefined {
  return provided.get(name);
}

// the event of a verified action is declared with the module's other events
export { PARTICIPATION_ACTION, type ParticipationAction } from './participation.events.js';

export type { Role };
