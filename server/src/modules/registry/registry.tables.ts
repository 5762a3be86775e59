// The tables the registry's migrations create (0003_registry, 0023 registration_reviews), typed
// from the migrated schema with the columns it knows more about narrowed.
import type { Kysely } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export type PlaceKind = 'region' | 'community' | 'estate' | 'building' | 'unit' | 'house';
export type ResidentStatus = 'active' | 'moved_out';
export type ReviewStatus = 'pending' | 'approved' | 'rejected';
export type ImportKind = 'residents' | 'houses';
export type ImportStatus = 'uploaded' | 'running' | 'done' | 'failed';

export type RegistryTables = ModuleTables<
  'places' | 'households' | 'residents' | 'residencies' | 'imports' | 'registration_reviews',
  {
    places: { kind: PlaceKind };
    residents: { status: ResidentStatus };
    registration_reviews: { status: ReviewStatus };
    imports: { kind: ImportKind; status: ImportStatus };
  }
>;
export type RegistryDb = Kysely<RegistryTables>;
