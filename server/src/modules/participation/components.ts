// Participation components (the way Decidim's component manifests work): each participation
// feature — notices, events, surveys, proposals, votes, feedback — declares its actions (what a
// resident can do that may earn points), its settings with defaults, and its permissions, in one
// place. The points ledger, the console's component list and the portal read these manifests;
// nothing else keeps a second list.
import { declarePermissions, type Role } from '../../kernel/authz/index.js';

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
  /** Passed to the kernel's declarePermissions: the one authorization table. */
  permissions: Parameters<typeof declarePermissions>[0];
}

const manifests = new Map<string, ParticipationComponent>();

/** Declare a component at import time. A name may be declared once. */
export function declareComponent(c: ParticipationComponent): ParticipationComponent {
  if (manifests.has(c.name)) throw new Error(`participation component "${c.name}" declared twice`);
  manifests.set(c.name, c);
  declarePermissions(c.permissions);
  return c;
}

export function components(): ParticipationComponent[] {
  return [...manifests.values()];
}

export function component(name: string): ParticipationComponent | undefined {
  return manifests.get(name);
}

// the event of a verified action is declared with the module's other events
export { PARTICIPATION_ACTION, type ParticipationAction } from './participation.events.js';

export type { Role };
