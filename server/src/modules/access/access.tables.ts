// The tables the access migrations create, as migrated, with the columns whose values the module
// knows narrowed (kernel/db/tables.ts).
import type { Kysely, Transaction } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export type AccessTables = ModuleTables<
  | 'access_apb'
  | 'access_credentials'
  | 'access_door_group_members'
  | 'access_door_groups'
  | 'access_keys'
  | 'access_list_entries'
  | 'access_list_versions'
  | 'access_log'
  | 'access_person_groups'
  | 'access_points'
  | 'access_qr_nonces'
  | 'access_rules'
  | 'access_schedules'
  | 'access_visitor_passes',
  {
    access_apb: { direction: 'in' | 'out' };
    access_credentials: { type: 'card' | 'fingerprint' | 'qr' | 'pin'; status: 'active' | 'revoked' };
    access_log: { result: 'allow' | 'deny'; direction: 'in' | 'out' };
    access_points: { direction: 'in' | 'out' | 'both' };
    access_rules: { effect: 'allow' | 'deny'; who_kind: 'everyone' | 'resident' | 'household' | 'role' | 'group' };
    access_visitor_passes: { issued_by: 'resident' | 'guard'; status: 'active' | 'revoked' };
  }
>;
export type AccessDb = Kysely<AccessTables>;
export type AccessTx = Transaction<AccessTables>;
