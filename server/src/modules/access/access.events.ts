// The events the access module publishes, with their payloads (declared once, here).
import { defineEvent } from '../../kernel/events/index.js';

/** A controller's decision as answered (HTTP, MQTT) and logged. */
export interface Decision {
  eventId: string;
  doorId: string;
  result: 'allow' | 'deny';
  reason: string;
  openSeconds: number;
  at: string;
  holderName: string | null;
}

export interface AccessDecided extends Decision {
  communityId: string;
  placePath: string;
  pointName: string;
  visitorPassId: string | null;
}

export interface DoorAlert {
  kind: 'door_forced' | 'door_held_open' | 'tamper' | 'repeated_denials';
  pointId: string;
  pointName: string;
  communityId: string;
  placePath: string;
  controllerId: string;
  at: string;
  /** the alarm (alarms module) this alert opened or found open; null when no alarm rule applies */
  alarmId: string | null;
}

/** What changed in a community's decision image (every node drops those entries). */
export interface ImageChange {
  communityId?: string;
  credentials?: string[];
  points?: string[];
  residents?: string[];
}

/** Every decision, after it is answered. */
export const ACCESS_DECIDED = defineEvent<AccessDecided>('access.decision.made');
/** A door forced, held open, tampered with, or denied repeatedly. */
export const DOOR_ALERT = defineEvent<DoorAlert>('access.door.alert');
/** Credentials, doors or holders changed: every node drops them from its decision image. */
export const IMAGE_CHANGED = defineEvent<ImageChange>('access.image.changed');
/** Rules, schedules or groups of a community changed: every node drops its snapshot. */
export const RULES_CHANGED = defineEvent<{ communityId: string }>('access.rules.changed');
