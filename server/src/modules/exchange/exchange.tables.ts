// The tables of the exchange module's records-out half (migration 0032), typed from the migrated
// schema with the status columns narrowed.
import type { Kysely } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';

export type OrgKind = 'police' | 'civil_affairs' | 'health' | 'street_office' | 'property';
export type ClientStatus = 'active' | 'disabled';
export type KeyStatus = 'active' | 'retired' | 'revoked';
export type AgreementStatus = 'pending' | 'approved' | 'rejected' | 'suspended' | 'revoked';

export type ExchangeOutTables = ModuleTables<
  | 'exchange_orgs'
  | 'exchange_officers'
  | 'exchange_clients'
  | 'exchange_client_keys'
  | 'exchange_agreements'
  | 'exchange_usage'
  | 'exchange_nonces'
  | 'exchange_msglog',
  {
    exchange_orgs: { kind: OrgKind };
    exchange_clients: { status: ClientStatus };
    exchange_client_keys: { status: KeyStatus };
    exchange_agreements: { status: AgreementStatus };
  }
>;
export type ExchangeOutDb = Kysely<ExchangeOutTables>;
