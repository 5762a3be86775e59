// The tables of the exchange module's records-in half (migration 0033), typed from the migrated
// schema with the status columns narrowed.
import type { Kysely } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export type Department = 'police' | 'civil_affairs' | 'health' | 'street_office' | 'property';
export type RecordStatus = 'rejected' | 'linked' | 'review' | 'new';
export type MatchKind = 'id' | 'probabilistic' | 'decision' | 'remembered';
export type ReviewStatus = 'pending' | 'same' | 'different';

export type RecordsInTables = ModuleTables<
  'exchange_sources' | 'exchange_profiles' | 'exchange_imports' | 'exchange_records' | 'exchange_reviews' | 'exchange_match_memory' | 'exchange_assertions',
  {
    exchange_sources: { department: Department };
    exchange_imports: { via: 'upload' | 'push'; status: 'done' | 'failed' };
    exchange_records: { status: RecordStatus; match_kind: MatchKind | null };
    exchange_reviews: { status: ReviewStatus };
    exchange_match_memory: { decision: 'same' | 'different' };
  }
>;
export type RecordsInDb = Kysely<RecordsInTables>;
