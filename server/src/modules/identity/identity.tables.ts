// The tables identity owns (migrations 0002 and 0020), with the columns it knows more about narrowed.
import type { Kysely } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';
import type { Role } from '../../kernel/authz/index.js';

export type AccountKind = 'staff' | 'resident';

export type IdentityTables = ModuleTables<
  'users' | 'role_grants' | 'sessions' | 'api_tokens' | 'otp_codes' | 'login_failures',
  {
    users: { kind: AccountKind };
    role_grants: { role: Role };
  }
>;
export type IdentityDb = Kysely<IdentityTables>;
