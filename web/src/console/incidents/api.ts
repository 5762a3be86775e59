// Types and calls of the incidents contract (docs/api/incidents.md).
import { useQuery } from '@tanstack/react-query';
import { api, type ApiBody, type ApiOk, type ApiQuery, type ItemOf, type LooseQuery, type PathsOf } from '../../shared/api';
import { useRefreshOnNotification } from '../../shared/notificationStream';

/** The statuses and kinds the web shows (the incident answer types them as plain text). */
export type IncidentStatus = 'new' | 'investigating' | 'resolved' | 'false_alarm';
export const incidentStatuses: IncidentStatus[] = ['new', 'investigating', 'resolved', 'false_alarm'];
export type IncidentKind = 'motion' | 'intrusion' | 'loitering' | 'smoke_fire' | 'tailgating';

// The answers of the incident routes, named from the generated OpenAPI types.
export type IncidentList = ApiOk<'/api/v1/incidents'>;
export type Incident = ItemOf<IncidentList>;
export type IncidentDetail = ApiOk<'/api/v1/incidents/{id}'>;
export type TimelineEntry = IncidentDetail['timeline'][number];
export type CameraEvent = IncidentDetail['events'][number];
export type Camera = ItemOf<ApiOk<'/api/v1/cameras'>>;

export const statusColor: Record<string, string> = { new: 'red', investigating: 'orange', resolved: 'green', false_alarm: 'default' };
export const kindColor: Record<string, string> = { motion: 'blue', intrusion: 'volcano', loitering: 'gold', smoke_fire: 'red', tailgating: 'purple' };

export function useIncidents(q: LooseQuery<ApiQuery<'/api/v1/incidents'>>) {
  return useQuery({ queryKey: ['incidents', 'list', q], queryFn: () => api.get('/api/v1/incidents', { query: q }), refetchInterval: 30_000 });
}

export function useIncident(id: string | undefined) {
  return useQuery({ queryKey: ['incidents', 'one', id], queryFn: () => api.get('/api/v1/incidents/{id}', { path: { id } }), enabled: !!id, retry: false });
}

/** The steps of an incident, each a route `POST /api/v1/incidents/{id}/<step>`. */
const stepPaths = {
  investigate: '/api/v1/incidents/{id}/investigate',
  resolve: '/api/v1/incidents/{id}/resolve',
  false_alarm: '/api/v1/incidents/{id}/false_alarm',
} as const satisfies Record<string, PathsOf<'post'>>;
export type IncidentStep = keyof typeof stepPaths;
export type IncidentStepBody = ApiBody<'/api/v1/incidents/{id}/resolve'>;
export const incidentAction = (id: string, action: IncidentStep, body: IncidentStepBody) => api.post(stepPaths[action], { path: { id }, body });
export const addNote = (id: string, note: string) => api.post('/api/v1/incidents/{id}/notes', { path: { id }, body: { note } });
export const raiseWorkOrder = (id: string, body: { category?: string; description?: string }) =>
  api.post('/api/v1/incidents/{id}/work-order', { path: { id }, body });
export const saveCamera = (id: string, body: ApiBody<'/api/v1/cameras/{id}', 'put'>) => api.put('/api/v1/cameras/{id}', { path: { id }, body });

/**
 * The live feed: refetch incident queries when the notification stream (kernel notify, SSE)
 * announces a new incident. EventSource reconnects by itself.
 */
export function useIncidentStream() {
  useRefreshOnNotification('/incidents/', ['incidents']);
}
