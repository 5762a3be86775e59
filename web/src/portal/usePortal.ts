import { useQuery } from '@tanstack/react-query';
import { api, type ApiOk } from '../shared/api';

export type MyResident = ApiOk<'/api/v1/me/resident'>;

export function useMyResident() {
  return useQuery({ queryKey: ['me', 'resident'], queryFn: () => api.get('/api/v1/me/resident') });
}

export function useMyAccessLog() {
  return useQuery({ queryKey: ['me', 'access-log'], queryFn: () => api.get('/api/v1/me/access-log') });
}
