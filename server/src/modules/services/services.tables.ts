// The tables the services migration creates (0010_services), typed from the migrated schema with
// the booking status narrowed to the state machine's statuses.
import type { Selectable } from 'kysely';
import type { ModuleTables } from '../../kernel/db/tables.js';
import type { BookingStatus } from './services.states.js';

export type ServicesTables = ModuleTables<
  | 'svc_providers'
  | 'svc_provider_areas'
  | 'svc_provider_members'
  | 'svc_services'
  | 'svc_availability'
  | 'svc_bookings'
  | 'svc_slot_seats'
  | 'svc_booking_events',
  { svc_bookings: { status: BookingStatus } }
>;

export type ProviderRow = Selectable<ServicesTables['svc_providers']>;
export type AreaRow = Selectable<ServicesTables['svc_provider_areas']>;
export type MemberRow = Selectable<ServicesTables['svc_provider_members']>;
export type ServiceRow = Selectable<ServicesTables['svc_services']>;
export type AvailabilityRow = Selectable<ServicesTables['svc_availability']>;
export type BookingRow = Selectable<ServicesTables['svc_bookings']>;
export type BookingEventRow = Selectable<ServicesTables['svc_booking_events']>;
