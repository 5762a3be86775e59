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

/**
 * Domain event a component publishes (through kernel events, after its own commit) when a
 * resident completes a verified action. The points ledger credits it at most once per
 * (component, action, ref, residentId).
 */
export const PARTICIPATION_ACTION = 'participation.action';

export interface ParticipationAction {
  communityId: string;
  residentId: string;
  component: string;
  action: string;
  /** The record the action is about (event id, survey id, vote id, …): the idempotency key. */
  ref: string;
  /** Optional quantity, e.g. volunteer hours. */
  quantity?: number;
  at: string;
}

export type { Role };
