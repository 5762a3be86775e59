// The events the registry publishes. Subscribers import these tokens through index.ts.
import { defineEvent } from '../../kernel/events/index.js';

/** A resident was registered (bus, after the commit). */
export interface ResidentCreated {
  residentId: string;
  communityId: string;
  placePath: string;
}
/** A resident started living in a house (outbox: door access follows it and must not miss one). */
export interface ResidentMovedIn {
  residentId: string;
  houseId: string;
  communityId: string;
}
/** A residency ended (outbox). `stillLivesInCommunity`: another house of the community is still theirs. */
export interface ResidentMovedOut {
  residentId: string;
  houseId: string;
  communityId: string;
  stillLivesInCommunity: boolean;
}
/** A bulk import finished (bus). */
export interface ImportFinished {
  importId: string;
  communityId: string;
  kind: 'residents' | 'houses';
  dryRun: boolean;
  imported: number;
  unchanged: number;
  rejected: number;
}

export const RESIDENT_CREATED = defineEvent<ResidentCreated>('registry.resident.created');
export const RESIDENT_MOVED_IN = defineEvent<ResidentMovedIn>('registry.resident.moved_in');
export const RESIDENT_MOVED_OUT = defineEvent<ResidentMovedOut>('registry.resident.moved_out');
export const IMPORT_FINISHED = defineEvent<ImportFinished>('registry.import.finished');
