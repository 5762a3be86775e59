// Types and calls of the incidents contract (docs/api/incidents.md).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/api/models';
import { useRefreshOnNotification } from '../../shared/notificationStream';

export type IncidentStatus = 'new' | 'investigating' | 'resolved' | 'false_alarm';
export const incidentStatuses: IncidentStatus[] = ['new', 'investigating', 'resolved', 'false_alarm'];
export type IncidentKind = 'motion' | 'intrusion' | 'loitering' | 'smoke_fire' | 'tailgating';

export interface Incident {
  id: string;
  communityId: string;
  placeLabel: string;
  cameraId: string;
  cameraName: string;
  cameraLocation: string | null;
  kind: IncidentKind;
  kindName: string;
  status: IncidentStatus;
  title: string;
  eventCount: number;
  firstEventAt: string;
  lastEventAt: string;
  workOrderId: string | null;
  closedAt: string | null;
  createdAt: string;
  version: number;
  allowedActions: string[];
}

export interface TimelineEntry {
  id: string;
  at: string;
  action: string;
  actorName: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
}

export interface CameraEvent {
  id: string;
  kind: IncidentKind;
  source: 'mqtt' | 'webhook' | 'hikvision';
  at: string;
  receivedAt: string;
  /** the camera's own time for the event (differs from `at` when its clock was off) */
  claimedAt: string | null;
  eventKey: string;
  detail: Record<string, unknown>;
  pictureUrl: string | null;
}

export interface IncidentDetail extends Incident {
  timeline: TimelineEntry[];
  events: CameraEvent[];
}

export interface IncidentList extends Page<Incident> {
  totals: Record<IncidentStatus, number>;
}

export interface Camera {
  id: string;
  name: string;
  placeName: string | null;
  health: 'online' | 'offline';
  lastSeenAt: string | null;
  location: string | null;
  streamUrl: string | null;
  streamMasked: boolean;
  mac: string | null;
  ip: string | null;
  channel: number | null;
  /** IANA zone of the camera's clock (null: the community's) */
  timeZone: string | null;
  /** camera clock − Linli's, seconds, at its last timed event; skewed beyond 5 minutes */
  clockSkewSeconds: number | null;
  clockCheckedAt: string | null;
  clockSkewed: boolean;
  canManage: boolean;
}

export const statusColor: Record<string, string> = { new: 'red', investigating: 'orange', resolved: 'green', false_alarm: 'default' };
export const kindColor: Record<string, string> = { motion: 'blue', intrusion: 'volcano', loitering: 'gold', smoke_fire: 'red', tailgating: 'purple' };

export function useIncidents(q: { status?: string; open?: boolean; page?: number; pageSize?: number; kind?: string }) {
  return useQuery({ queryKey: ['incidents', 'list', q], queryFn: () => api.get<IncidentList>('/api/v1/incidents', q), refetchInterval: 30_000 });
}

export function useIncident(id: string | undefined) {
  return useQuery({ queryKey: ['incidents', 'one', id], queryFn: () => api.get<IncidentDetail>(`/api/v1/incidents/${id}`), enabled: !!id, retry: false });
}

export function useCameras(q: { health?: string; q?: string; page?: number; pageSize?: number }) {
  return useQuery({
    queryKey: ['cameras', q],
    queryFn: () => api.get<Page<Camera> & { totals: { online: number; offline: number } }>('/api/v1/cameras', q),
    refetchInterval: 30_000,
  });
}

export const incidentAction = (id: string, action: string, body: Record<string, unknown>) => api.post<Incident>(`/api/v1/incidents/${id}/${action}`, body);
export const addNote = (id: string, note: string) => api.post<IncidentDetail>(`/api/v1/incidents/${id}/notes`, { note });
export const raiseWorkOrder = (id: string, body: { category?: string; description?: string }) =>
  api.post<IncidentDetail>(`/api/v1/incidents/${id}/work-order`, body);
export const saveCamera = (id: string, body: Record<string, unknown>) => api.put<Camera>(`/api/v1/cameras/${id}`, body);

/**
 * The live feed: refetch incident queries when the notification stream (kernel notify, SSE)
 * announces a new incident. EventSource reconnects by itself.
 */
export function useIncidentStream() {
  useRefreshOnNotification('/incidents/', ['incidents']);
}
