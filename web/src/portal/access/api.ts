import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';

export interface Door {
  id: string;
  name: string;
  kind: string;
}

export interface MyAccess {
  residentId: string;
  name: string;
  credentials: { id: string; type: string; label: string; status: string; validUntil: string | null }[];
  doors: Door[];
}

export interface QrToken {
  token: string;
  expiresAt: string;
  refreshAfterS: number;
}

export interface Pass {
  id: string;
  visitorName: string;
  phone: string | null;
  validFrom: string;
  validUntil: string;
  doorIds: string[];
  maxUses: number;
  uses: number;
  status: 'active' | 'revoked';
  link: string;
  hostName: string;
  issuedBy: 'resident' | 'guard';
}

export interface VisitView {
  visitorName: string;
  hostName: string;
  community: string;
  validFrom: string;
  validUntil: string;
  usesLeft: number;
  state: 'valid' | 'not_yet_valid' | 'expired' | 'used_up' | 'revoked';
  doors: { id: string; name: string }[];
  token: string | null;
  expiresAt: string | null;
  refreshAfterS: number;
}

export const useMyAccess = () => useQuery({ queryKey: ['access', 'me'], queryFn: () => api.get<MyAccess>('/api/v1/access/me') });
export const useMyPasses = () => useQuery({ queryKey: ['access', 'passes'], queryFn: () => api.get<{ items: Pass[] }>('/api/v1/access/visitor-passes') });
