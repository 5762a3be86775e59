import { useQuery } from '@tanstack/react-query';
import { api } from '../shared/api';
import type { AccessEntry, ResidentView } from '../shared/api/models';

export interface MyResident {
  resident: ResidentView;
  households: { houseLabel: string; members: { name: string; relation?: string | null; role: string }[] }[];
}

export function useMyResident() {
  return useQuery({ queryKey: ['me', 'resident'], queryFn: () => api.get<MyResident>('/api/v1/me/resident') });
}

export function useMyAccessLog() {
  return useQuery({ queryKey: ['me', 'access-log'], queryFn: () => api.get<{ items: AccessEntry[] }>('/api/v1/me/access-log') });
}
