// The booking state machine. requested → confirmed | declined (provider) → done (provider) →
// paid (billing's event) → rated (resident). Residents cancel requested or confirmed bookings
// (free until the service's window, a fee after it); providers cancel confirmed ones (never a fee).
export const bookingStatuses = ['requested', 'confirmed', 'declined', 'done', 'paid', 'rated', 'cancelled'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export const providerActions = ['confirm', 'decline', 'done', 'cancel'] as const;
export type ProviderAction = (typeof providerActions)[number];

export const providerTransitions: Record<ProviderAction, { from: BookingStatus[]; to: BookingStatus }> = {
  confirm: { from: ['requested'], to: 'confirmed' },
  decline: { from: ['requested'], to: 'declined' },
  done: { from: ['confirmed'], to: 'done' },
  cancel: { from: ['confirmed'], to: 'cancelled' },
};

export const residentCancelFrom: BookingStatus[] = ['requested', 'confirmed'];

/** Statuses that hold a seat in the slot. */
export const seatHolding: BookingStatus[] = ['requested', 'confirmed', 'done', 'paid', 'rated'];

export const categories = ['housekeeping', 'appliance_repair', 'elderly_care', 'moving', 'cleaning', 'other'] as const;
export type Category = (typeof categories)[number];

/**
 * What a resident's cancellation costs under the rule booked with it: nothing while the slot
 * starts at least `free_cancel_hours` from now, else the fee (confirmed or not: the slot was held).
 */
export function cancellationFee(b: { slot_start: string; free_cancel_hours: number; cancel_fee_fen: number }, now: Date): number {
  const hoursLeft = (new Date(b.slot_start).getTime() - now.getTime()) / 3_600_000;
  return hoursLeft >= b.free_cancel_hours ? 0 : b.cancel_fee_fen;
}
