// Types and calls of the household-services marketplace (shared by the console and the portal).
import { useQuery } from '@tanstack/react-query';
import { api, type ApiOk, type ItemOf } from '../../shared/api';

export const categories = ['housekeeping', 'appliance_repair', 'elderly_care', 'moving', 'cleaning', 'other'] as const;

// The answers of the household-services routes, named from the generated OpenAPI types.
export type ProviderDetail = ApiOk<'/api/v1/service-providers/{id}'>;
export type Provider = ItemOf<ApiOk<'/api/v1/service-providers'>>;
export type Service = ProviderDetail['services'][number];
export type CatalogProvider = ItemOf<ApiOk<'/api/v1/service-catalog'>>;
export type Booking = ItemOf<ApiOk<'/api/v1/service-bookings'>>;
export type BookingDetail = ApiOk<'/api/v1/service-bookings/{id}'>;
export type Slot = ItemOf<ApiOk<'/api/v1/service-catalog/{id}/slots'>>;
/** Whose routes: residents' and staff's `/api/v1/service-bookings`, or the provider's `/api/v1/provider/bookings`. */
export type BookingSide = 'bookings' | 'provider';

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export const statusColor: Record<string, string> = {
  requested: 'processing',
  confirmed: 'blue',
  declined: 'default',
  done: 'orange',
  paid: 'green',
  rated: 'green',
  cancelled: 'default',
};

export function useProviders() {
  return useQuery({ queryKey: ['services', 'providers'], queryFn: () => api.get('/api/v1/service-providers', { query: { page: 1, pageSize: 100 } }) });
}

export function useProvider(id: string | undefined) {
  return useQuery({ queryKey: ['services', 'provider', id], enabled: !!id, queryFn: () => api.get('/api/v1/service-providers/{id}', { path: { id } }) });
}

export function useBookings(side: BookingSide, status?: string, refetchInterval = 20_000) {
  return useQuery({
    queryKey: ['services', 'bookings', side, status],
    refetchInterval,
    queryFn: () => {
      const query = { page: 1, pageSize: 100, status };
      return side === 'provider' ? api.get('/api/v1/provider/bookings', { query }) : api.get('/api/v1/service-bookings', { query });
    },
  });
}

export function useBooking(side: BookingSide, id: string | undefined) {
  return useQuery({
    queryKey: ['services', 'booking', side, id],
    enabled: !!id,
    refetchInterval: 15_000,
    queryFn: () =>
      side === 'provider' ? api.get('/api/v1/provider/bookings/{id}', { path: { id } }) : api.get('/api/v1/service-bookings/{id}', { path: { id } }),
  });
}

/** A booking travels with the intent's idempotency key (useIntentKey) so a retried tap never books twice. */
export const bookSlot = (body: { serviceId: string; houseId: string; slotStart: string; note?: string }, key: string) =>
  api.post('/api/v1/service-bookings', { body, idempotencyKey: key });
