import { useQuery } from '@tanstack/react-query';
import { api, type ApiOk, type ApiQuery, type ItemOf, type LooseQuery } from '../../shared/api';

// The answers of the access routes, named from the generated OpenAPI types.
export type AccessPoint = ItemOf<ApiOk<'/api/v1/access/points'>>;
export type DoorGroup = ItemOf<ApiOk<'/api/v1/access/door-groups'>>;
export type Schedule = ItemOf<ApiOk<'/api/v1/access/schedules'>>;
export type Rule = ItemOf<ApiOk<'/api/v1/access/rules'>>;
export type Credential = ItemOf<ApiOk<'/api/v1/access/credentials'>>;
export type LogEntry = ItemOf<ApiOk<'/api/v1/access/log'>>;
export type Pass = ItemOf<ApiOk<'/api/v1/access/visitor-passes'>>;
export type LogQuery = LooseQuery<ApiQuery<'/api/v1/access/log'>>;

export const usePoints = () => useQuery({ queryKey: ['access', 'points'], queryFn: () => api.get('/api/v1/access/points') });
export const useDoorGroups = () => useQuery({ queryKey: ['access', 'door-groups'], queryFn: () => api.get('/api/v1/access/door-groups') });
export const useSchedules = () => useQuery({ queryKey: ['access', 'schedules'], queryFn: () => api.get('/api/v1/access/schedules') });
export const useRules = () => useQuery({ queryKey: ['access', 'rules'], queryFn: () => api.get('/api/v1/access/rules') });
export const usePasses = (today = false, refetchInterval: number | false = false) =>
  useQuery({
    queryKey: ['access', 'passes', today],
    queryFn: () => api.get('/api/v1/access/visitor-passes', { query: { today: today || undefined, limit: 200 } }),
    refetchInterval,
  });
export const useLog = (q: LogQuery, refetchInterval: number | false = false) =>
  useQuery({ queryKey: ['access', 'log', q], queryFn: () => api.get('/api/v1/access/log', { query: q }), refetchInterval });
