// The events the services module publishes (a booking made, a booking moving between states).
import { defineEvent } from '../../kernel/events/index.js';
import type { BookingStatus } from './services.states.js';

export interface BookingCreated {
  bookingId: string;
  providerId: string;
  communityId: string;
  slotStart: string;
}
export interface BookingStatusChanged {
  bookingId: string;
  providerId: string;
  communityId: string;
  from: BookingStatus;
  to: BookingStatus;
  action: string;
}

export const BOOKING_CREATED = defineEvent<BookingCreated>('services.booking.created');
export const BOOKING_STATUS_CHANGED = defineEvent<BookingStatusChanged>('services.booking.status_changed');
