import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export interface AccessPoint {
  id: string;
  communityId: string;
  placeId: string;
  kind: string;
  name: string;
  direction: 'in' | 'out' | 'both';
  controllerId: string;
  openSeconds: number;
  enabled: boolean;
  groupIds: string[];
}
export interface DoorGroup {
  id: string;
  communityId: string;
  name: string;
  antiPassback: boolean;
  pointIds: string[];
}
export interface Schedule {
  id: string;
  communityId: string;
  name: string;
  windows: { days: number[]; start: string; end: string }[];
  holidays: string[];
}
export interface Rule {
  id: string;
  communityId: string;
  name: string;
  effect: 'allow' | 'deny';
  whoKind: string;
  whoValue: string | null;
  doorGroupId: string | null;
  scheduleId: string | null;
  validFrom: string | null;
  validUntil: string | null;
}
export interface Credential {
  id: string;
  residentId: string;
  type: string;
  label: string;
  status: string;
  validFrom: string | null;
  validUntil: string | null;
  revokedAt: string | null;
  createdAt: string;
}
export interface LogEntry {
  id: string;
  eventId: string;
  at: string;
  doorId: string;
  doorName: string;
  credentialType: string;
  residentId: string | null;
  visitorPassId: string | null;
  holderName: string | null;
  direction: string;
  result: 'allow' | 'deny';
  reason: string;
  reasonText: string;
  offline: boolean;
}
export interface Pass {
  id: string;
  hostResidentId: string;
  hostName: string;
  issuedBy: string;
  visitorName: string;
  phone: string | null;
  validFrom: string;
  validUntil: string;
  doorIds: string[];
  maxUses: number;
  uses: number;
  status: string;
  link: string;
}

export const usePoints = () => useQuery({ queryKey: ['access', 'points'], queryFn: () => api.get<{ items: AccessPoint[] }>('/api/v1/access/points') });
export const useDoorGroups = () =>
  useQuery({ queryKey: ['access', 'door-groups'], queryFn: () => api.get<{ items: DoorGroup[] }>('/api/v1/access/door-groups') });
export const useSchedules = () => useQuery({ queryKey: ['access', 'schedules'], queryFn: () => api.get<{ items: Schedule[] }>('/api/v1/access/schedules') });
export const useRules = () => useQuery({ queryKey: ['access', 'rules'], queryFn: () => api.get<{ items: Rule[] }>('/api/v1/access/rules') });
export const usePasses = (today = false, refetchInterval: number | false = false) =>
  useQuery({
    queryKey: ['access', 'passes', today],
    queryFn: () => api.get<{ items: Pass[] }>('/api/v1/access/visitor-passes', { today: today || undefined, limit: 200 }),
    refetchInterval,
  });
export const useLog = (q: Record<string, string | number | undefined>, refetchInterval: number | false = false) =>
  useQuery({ queryKey: ['access', 'log', q], queryFn: () => api.get<{ items: LogEntry[]; total: number }>('/api/v1/access/log', q), refetchInterval });
