// Registry module: places, households, residents — the platform's unified data standard.
// Other modules reach the registry only through what is exported here: the lookups and the
// named query files written for them (registry.for-<module>.ts), and the events it publishes.
import type { Module } from '../../kernel/app.js';
import { PlacesService } from './places.service.js';
import { ResidentsService } from './residents.service.js';
import { registerRegistryRoutes } from './registry.routes.js';
import { registerImportRoutes } from './import/import.routes.js';
import { registryMessages, registryPermissions } from './registry.policy.js';
import { IMPORT_FINISHED, RESIDENT_CREATED, RESIDENT_MOVED_IN, RESIDENT_MOVED_OUT } from './registry.events.js';

export { PlacesService, placeView } from './places.service.js';
export { ResidentsService } from './residents.service.js';
export { normalisePhone, isMainlandMobile } from './standard/phone.js';
export { places, residents } from './registry.lookups.js';
export { audience } from './registry.for-audience.js';
export { billingHouses } from './registry.for-billing.js';
export { electorate } from './registry.for-council.js';
export { linkableResidents, type LinkableResident } from './registry.for-exchange-records.js';
export { readSheet, type Sheet } from './import/parse.js';
export { dateOf } from './import/mapping.js';
export { validateMainlandId, normaliseIdNumber } from './standard/id-number.js';
export { codeList, isCode } from './standard/codes.js';
export { exchangeReads, type ExchangedResident } from './registry.for-exchange-reads.js';
export { openData, type OpenPlace, type BuildingFigures } from './registry.open-data.js';
export * from './registry.events.js';
export { registryMessages, registryPermissions } from './registry.policy.js';
export type { RegistryTables } from './registry.tables.js';
export type { PlaceRow } from './places.repository.js';

export const registryModule: Module = {
  name: 'registry',
  summary: 'Places, households and residents: the unified data standard, registration reviews, bulk import and export',
  url: import.meta.url,
  permissions: registryPermissions,
  messages: registryMessages,
  publishes: [RESIDENT_CREATED, RESIDENT_MOVED_IN, RESIDENT_MOVED_OUT, IMPORT_FINISHED],
  subscribes: [],
  jobs: [],
  matrix: 'registry.authz-rows.js',
  docs: 'docs/api/registry.md',
  async register(app, k) {
    const placesSvc = new PlacesService(k);
    const residentsSvc = new ResidentsService(k);
    registerRegistryRoutes(app, k, placesSvc, residentsSvc);
    registerImportRoutes(app, k, placesSvc, residentsSvc);
  },
};
