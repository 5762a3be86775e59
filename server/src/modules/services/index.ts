// Life services: the household-services marketplace (预约家政, issue 5). Providers with services,
// hours and service areas; residents book slots; providers confirm, decline and complete; the
// resident pays through billing (createCharge / billing.charge.paid) and rates.
import type { Module } from '../../kernel/app.js';
import { CHARGE_PAID, type ChargePaid } from '../billing/index.js';
import { servicesMessages, servicesPermissions } from './services.policy.js';
import { BOOKING_CREATED, BOOKING_STATUS_CHANGED } from './services.events.js';
import { ProvidersService } from './providers.service.js';
import { BookingsService } from './bookings.service.js';
import { BookingFlow } from './bookings.flow.js';
import { registerServicesRoutes } from './services.routes.js';
import { seedDemoServices } from './services.demo.js';
import { places } from '../registry/index.js';

export { BOOKING_CREATED, BOOKING_STATUS_CHANGED } from './services.events.js';
export type { BookingCreated, BookingStatusChanged } from './services.events.js';
export { servicesMessages, servicesPermissions } from './services.policy.js';
export { ProvidersService } from './providers.service.js';

export const servicesModule: Module = {
  name: 'services',
  summary: 'Household services: providers with services, hours and areas; residents book slots, pay through billing and rate',
  url: import.meta.url,
  permissions: servicesPermissions,
  messages: servicesMessages,
  publishes: [BOOKING_CREATED, BOOKING_STATUS_CHANGED],
  subscribes: [CHARGE_PAID],
  jobs: [],
  matrix: 'services.authz-rows.js',
  docs: 'docs/api/services.md',
  seed: async (k, demo) => seedDemoServices(k, (await places.getPlace(k, demo.communityId))!), // household-service providers with services and hours; 'provider' works for the first
  async register(app, k) {
    const providers = new ProvidersService(k);
    const bookings = new BookingsService(providers);
    const flow = new BookingFlow(bookings);
    registerServicesRoutes(app, k, providers, bookings, flow);
    // one node handles each payment; the conditional update (status, version) absorbs redelivery
    k.events.subscribe<ChargePaid>(
      CHARGE_PAID,
      async (e) => {
        await flow.onChargePaid(e.payload);
      },
      { mode: 'once', group: 'services.charge-paid' },
    );
  },
};
