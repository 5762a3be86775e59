// The events the participation module publishes.
import { defineEvent } from '../../kernel/events/index.js';

/** A resident completed a verified action of a participation component (its own or the council's). */
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

/**
 * Published by a component (through kernel events, after its own commit) when a resident completes
 * a verified action. The points ledger credits it at most once per (component, action, ref, residentId).
 */
export const PARTICIPATION_ACTION = defineEvent<ParticipationAction>('participation.action');
