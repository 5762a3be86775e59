import type { PermissionTable } from '../../kernel/authz/index.js';
import type { Messages } from '../../kernel/http/i18n.js';
import { recordsOutMessages } from './exchange.messages.js';
import { recordsMessages, recordsPermissions } from './records.policy.js';

// Who may do what in the data exchange ('scope' = under the grant's place).
// Organisation / ExchangeClient: the parties (organisations, their machine clients and keys).
// Agreement: sharing agreements (draft by an officer, approve by a supervisor, suspend / revoke).
// ExchangeLog: the message log of signed exchange requests.
// The records-in half (sources, mapping profiles, imports, review) adds its rows here with small edits.
export const exchangePermissions: PermissionTable = {
  department_officer: [
    ['read', 'Organisation'],
    ['read', 'ExchangeClient'],
    ['manage', 'ExchangeClient'],
    ['read', 'Agreement'],
    ['draft', 'Agreement'],
    ['read', 'ExchangeLog'],
    ...(recordsPermissions.department_officer ?? []),
  ],
  gov_supervisor: [
    ['read', 'Organisation'],
    ['manage', 'Organisation'],
    ['read', 'ExchangeClient'],
    ['manage', 'ExchangeClient'],
    ['read', 'Agreement'],
    ['draft', 'Agreement'],
    ['approve', 'Agreement'],
    ['suspend', 'Agreement'],
    ['read', 'ExchangeLog'],
    ...(recordsPermissions.gov_supervisor ?? []),
  ],
  community_staff: [...(recordsPermissions.community_staff ?? [])],
};

/** The exchange catalog: problem titles, statuses, audit action labels (zh-CN, en). */
export const exchangeMessages: Messages = {
  'exchange.not_found': { zh: '找不到该记录', en: 'Not found' },
  ...recordsOutMessages,
  ...recordsMessages,
};
