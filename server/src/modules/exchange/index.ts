// Data exchange (issue 16): department records in under the standard, shared out only under
// approved agreements, signed, logged and visible to residents. One module; the records-out half
// (parties, agreements, the signed exchange API, the message log) and the records-in half
// (sources, mapping profiles, uploads, entity resolution, provenance) register here.
import type { Module } from '../../kernel/app.js';
import { exchangeMessages, exchangePermissions } from './exchange.policy.js';
import { recordsOutJobs, registerRecordsOut } from './exchange.out.js';
import { registerRecords } from './records.routes.js';
import { registerNgsiRoutes } from './ngsi.routes.js';
import { seedExchangeRecordsDemo } from './samples/demo.js';
import { seedExchangeOutDemo } from './exchange.demo.js';
import { IdentityService } from '../identity/index.js';

export { exchangeMessages, exchangePermissions } from './exchange.policy.js';
export { welfareTagSources } from './records.provenance.js';
export { verifyMessageLog, formatMessageLogReport, messageChain } from './msglog.js';

export const exchangeModule: Module = {
  name: 'exchange',
  summary:
    'Data exchange: organisations and their signed machine clients, sharing agreements, the signed exchange API with its hash-chained message log, department records in under the standard',
  url: import.meta.url,
  permissions: exchangePermissions,
  messages: exchangeMessages,
  publishes: [],
  subscribes: [],
  jobs: [...recordsOutJobs],
  matrix: 'exchange.authz-rows.js',
  docs: 'docs/api/exchange.md',
  // a police and a civil-affairs source of the demo community, loaded with their sample files; 民政 and 派出所 with machine
  // clients, one approved agreement (低保 review) and one pending
  async seed(k, demo) {
    await seedExchangeRecordsDemo(k, { id: demo.communityId });
    const gov = (await new IdentityService(k).actorFor(demo.userIds.gov, null, 'token'))!;
    await seedExchangeOutDemo(k, { street: { id: demo.streetId }, community: { id: demo.communityId }, officerUserId: demo.userIds.officer, gov });
  },
  async register(app, k) {
    registerRecordsOut(app, k); // records out: parties, agreements, the signed API, the message log
    registerRecords(app, k); // records in: sources, profiles, imports, review, provenance, quality
    registerNgsiRoutes(app, k); // open data: NGSI-LD /ngsi-ld/v1/entities, no account (ngsi.routes.ts)
  },
};
