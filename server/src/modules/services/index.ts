// Life services: the household-services marketplace (预约家政, issue 5). Providers with services,
// hours and service areas; residents book slots; providers confirm, decline and complete; the
// resident pays through billing (createCharge / billing.charge.paid) and rates.
import type { Module } from '../../kernel/app.js';
import { CHARGE_PAID } from '../billing/index.js';
import './services.policy.js';
import { ProvidersService } from './providers.service.js';
import { BookingsService } from './bookings.service.js';
import { BookingFlow } from './bookings.flow.js';
import { registerServicesRoutes } from './services.routes.js';
import type { ChargePaid } from './services.schema.js';

export { BOOKING_CREATED, BOOKING_STATUS_CHANGED } from './bookings.service.js';
export { ProvidersService } from './providers.service.js';

export const servicesModule: Module = {
  name: 'services',
  async register(app, k) {
    const providers = new ProvidersService(k);
    const bookings = new BookingsService(providers);
    const flow = new BookingFlow(bookings);
    registerServicesRoutes(app, k, providers, bookings, flow);
    // one node handles each payment; the conditional update (status, version) absorbs redelivery
    k.events.subscribe<ChargePaid>(CHARGE_PAID, async (e) => {
      await flow.onChargePaid(e.payload);
    }, { mode: 'once', group: 'services.charge-paid' });
  },
};
