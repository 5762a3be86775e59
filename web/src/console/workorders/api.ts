// Types and calls of the work-orders contract (docs/api/workorders.md); the portal uses them too.
import { useQuery } from '@tanstack/react-query';
import { api, request } from '../../shared/api';
import { pickLabel } from '../../shared/i18n';

export type WoStatus = 'new' | 'assigned' | 'in_progress' | 'paused' | 'resolved' | 'closed' | 'cancelled';
export const woStatuses: WoStatus[] = ['new', 'assigned', 'in_progress', 'paused', 'resolved', 'closed', 'cancelled'];
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface WorkOrder {
  id: string;
  number: string;
  communityId: string;
  placeId: string;
  placePath?: string;
  placeLabel: string;
  houseId: string | null;
  residentId: string | null;
  residentName: string | null;
  source: 'alarm' | 'resident' | 'staff';
  alarmId: string | null;
  categoryId: string;
  categoryCode: string;
  categoryName: string;
  priority: Priority;
  title: string;
  description: string;
  preferredTime: string | null;
  status: WoStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  respondBy: string;
  resolveBy: string;
  respondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  rating: number | null;
  ratingComment: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  allowedActions: string[];
}

export interface WoEvent {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  fromStatus: string | null;
  toStatus: string;
  action: string;
  note: string | null;
  photoIds: string[];
}

export interface WoPhoto {
  id: string;
  eventId: string;
  url: string;
}

export interface WoCost {
  id: string;
  description: string;
  amountFen: number;
  createdAt: string;
  createdBy: string;
}

export interface WorkOrderDetail extends WorkOrder {
  timeline: WoEvent[];
  photos: WoPhoto[];
  costs: WoCost[];
  costTotalFen: number;
}

export interface WoList {
  items: WorkOrder[];
  total: number;
  page: number;
  pageSize: number;
  totals?: Record<WoStatus | 'overdue', number>;
}

export interface Category {
  id: string;
  code: string;
  communityId: string | null;
  nameZh: string;
  nameEn: string;
  priority: Priority;
  responseMinutes: number;
  resolveMinutes: number;
}

export interface UploadedPhoto {
  id: string;
  name: string;
  mime: string;
  size: number;
}

export const statusColor: Record<string, string> = {
  new: 'blue',
  assigned: 'cyan',
  in_progress: 'processing',
  paused: 'warning',
  resolved: 'success',
  closed: 'default',
  cancelled: 'default',
};

export const priorityColor: Record<string, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };

export function useCategories(enabled = true) {
  return useQuery({
    queryKey: ['work-order-categories'],
    queryFn: async () => (await api.get<{ items: Category[] }>('/api/v1/work-order-categories')).items,
    staleTime: 300_000,
    enabled,
  });
}

export function categoryLabel(c: Category): string {
  return pickLabel({ zh: c.nameZh, en: c.nameEn }, c.code);
}

export function useWorkOrder(id: string | undefined, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: ['work-orders', 'one', id],
    queryFn: () => api.get<WorkOrderDetail>(`/api/v1/work-orders/${id}`),
    enabled: !!id,
    refetchInterval,
  });
}

export const woAction = (id: string, action: string, body: Record<string, unknown> = {}) => api.post<WorkOrder>(`/api/v1/work-orders/${id}/${action}`, body);

export function uploadPhoto(file: File): Promise<UploadedPhoto> {
  const fd = new FormData();
  fd.append('file', file, file.name || 'photo.jpg');
  return request<UploadedPhoto>('POST', '/api/v1/work-orders/photos', { body: fd });
}

/** Cost lines travel with the intent's idempotency key (useIntentKey) so a retry never records them twice. */
export const addCosts = (id: string, lines: { description: string; amountFen: number }[], key: string) =>
  api.post<{ lines: WoCost[]; totalFen: number }>(`/api/v1/work-orders/${id}/costs`, { lines }, { idempotencyKey: key });

export const fen = (n: number) => (n / 100).toFixed(2);
