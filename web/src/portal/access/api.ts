import { useQuery } from '@tanstack/react-query';
import { api, type ApiOk, type ItemOf } from '../../shared/api';

// The answers of the resident's access routes, named from the generated OpenAPI types.
export type MyAccess = ApiOk<'/api/v1/access/me'>;
export type Door = MyAccess['doors'][number];
export type QrToken = ApiOk<'/api/v1/access/me/qr', 'post'>;
export type Pass = ItemOf<ApiOk<'/api/v1/access/visitor-passes'>>;
export type VisitView = ApiOk<'/public/visits/{code}'>;

export const useMyAccess = () => useQuery({ queryKey: ['access', 'me'], queryFn: () => api.get('/api/v1/access/me') });
export const useMyPasses = () => useQuery({ queryKey: ['access', 'passes'], queryFn: () => api.get('/api/v1/access/visitor-passes') });
