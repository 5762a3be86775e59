// Types and calls of the work-orders contract (docs/api/workorders.md); the portal uses them too.
import { useQuery } from '@tanstack/react-query';
import { api, type ApiBody, type ApiOk, type ItemOf, type PathsOf } from '../../shared/api';
import { pickLabel } from '../../shared/i18n';

/** The statuses the web shows (the work-order answer types status as plain text). */
export type WoStatus = 'new' | 'assigned' | 'in_progress' | 'paused' | 'resolved' | 'closed' | 'cancelled';
export const woStatuses: WoStatus[] = ['new', 'assigned', 'in_progress', 'paused', 'resolved', 'closed', 'cancelled'];
/** The priorities a category may have (the category answer types it as plain text). */
export type Priority = NonNullable<ApiBody<'/api/v1/work-order-categories/{code}', 'put'>['priority']>;

// The answers of the work-order routes, named from the generated OpenAPI types.
export type WorkOrderDetail = ApiOk<'/api/v1/work-orders/{id}'>;
export type WoList = ApiOk<'/api/v1/work-orders'>;
export type WorkOrder = ItemOf<WoList>;
export type WoEvent = WorkOrderDetail['timeline'][number];
export type Category = ItemOf<ApiOk<'/api/v1/work-order-categories'>>;
export type UploadedPhoto = ApiOk<'/api/v1/work-orders/photos', 'post'>;

/** The steps of a work order; each is a route `POST /api/v1/work-orders/{id}/<step>` with the same body. */
const actionPaths = {
  assign: '/api/v1/work-orders/{id}/assign',
  grab: '/api/v1/work-orders/{id}/grab',
  start: '/api/v1/work-orders/{id}/start',
  pause: '/api/v1/work-orders/{id}/pause',
  resume: '/api/v1/work-orders/{id}/resume',
  resolve: '/api/v1/work-orders/{id}/resolve',
  close: '/api/v1/work-orders/{id}/close',
  reopen: '/api/v1/work-orders/{id}/reopen',
  cancel: '/api/v1/work-orders/{id}/cancel',
} as const satisfies Record<string, PathsOf<'post'>>;
export type WoAction = keyof typeof actionPaths;
export type WoActionBody = ApiBody<'/api/v1/work-orders/{id}/assign'>;
export const isWoAction = (a: string): a is WoAction => a in actionPaths;

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
    queryFn: async () => (await api.get('/api/v1/work-order-categories')).items,
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
    queryFn: () => api.get('/api/v1/work-orders/{id}', { path: { id } }),
    enabled: !!id,
    refetchInterval,
  });
}

export const woAction = (id: string, action: WoAction, body: WoActionBody = {}) => api.post(actionPaths[action], { path: { id }, body });

export function uploadPhoto(file: File): Promise<UploadedPhoto> {
  const fd = new FormData();
  fd.append('file', file, file.name || 'photo.jpg');
  return api.post('/api/v1/work-orders/photos', { body: fd });
}

/** Cost lines travel with the intent's idempotency key (useIntentKey) so a retry never records them twice. */
export const addCosts = (id: string, lines: { description: string; amountFen: number }[], key: string) =>
  api.post('/api/v1/work-orders/{id}/costs', { path: { id }, body: { lines }, idempotencyKey: key });

export const fen = (n: number) => (n / 100).toFixed(2);
