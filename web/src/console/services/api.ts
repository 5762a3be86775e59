// Types and calls of the household-services marketplace (shared by the console and the portal).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export const categories = ['housekeeping', 'appliance_repair', 'elderly_care', 'moving', 'cleaning', 'other'] as const;

export interface Hours {
  weekday: number;
  start: string;
  end: string;
  capacity: number;
}

export interface Service {
  id: string;
  providerId: string;
  category: string;
  name: string;
  nameZh: string;
  nameEn: string;
  description: string;
  priceFen: number;
  durationMinutes: number;
  freeCancelHours: number;
  cancelFeeFen: number;
  active: boolean;
  hours?: Hours[];
}

export interface Provider {
  id: string;
  communityId: string;
  category: string;
  name: string;
  nameZh: string;
  nameEn: string;
  description: string;
  active: boolean;
  createdAt: string;
  serviceCount?: number;
  areas?: { placeId: string; name: string | null }[];
  services?: Service[];
  members?: { userId: string; name: string | null; createdAt: string }[];
}

export interface BookingEvent {
  id: string;
  at: string;
  action: string;
  actorName: string | null;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
}

export interface Booking {
  id: string;
  number: string;
  houseId: string;
  placeLabel: string;
  residentName: string;
  providerId: string;
  providerName: string | null;
  serviceId: string;
  serviceName: string;
  priceFen: number;
  freeCancelHours: number;
  cancelFeeFen: number;
  slotStart: string;
  slotEnd: string;
  note: string | null;
  status: string;
  cancelledBy: string | null;
  chargedFen: number | null;
  billId: string | null;
  paidAt: string | null;
  rating: number | null;
  ratingComment: string | null;
  createdAt: string;
  allowedActions: string[];
  timeline?: BookingEvent[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Slot {
  start: string;
  end: string;
  capacity: number;
  remaining: number;
}

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
  return useQuery({ queryKey: ['services', 'providers'], queryFn: () => api.get<Page<Provider>>('/api/v1/service-providers', { page: 1, pageSize: 100 }) });
}

export function useProvider(id: string | undefined) {
  return useQuery({ queryKey: ['services', 'provider', id], enabled: !!id, queryFn: () => api.get<Provider>(`/api/v1/service-providers/${id}`) });
}

export function useBookings(path: string, status?: string, refetchInterval = 20_000) {
  return useQuery({
    queryKey: ['services', 'bookings', path, status],
    refetchInterval,
    queryFn: () => api.get<Page<Booking>>(path, { page: 1, pageSize: 100, status }),
  });
}

export function useBooking(path: string, id: string | undefined) {
  return useQuery({ queryKey: ['services', 'booking', path, id], enabled: !!id, refetchInterval: 15_000, queryFn: () => api.get<Booking>(`${path}/${id}`) });
}

/** A booking travels with the intent's idempotency key (useIntentKey) so a retried tap never books twice. */
export const bookSlot = (body: { serviceId: string; houseId: string; slotStart: string; note?: string }, key: string) =>
  api.post<Booking>('/api/v1/service-bookings', body, { idempotencyKey: key });
