import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from './api';
import type { AuthAnswer, Me } from './api/models';

export const meKey = ['auth', 'me'] as const;

/** Loads the signed-in user; null when there is no session (401). Keeps the CSRF token. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const a = await api.get('/api/v1/auth/me');
    setCsrfToken(a.csrfToken);
    return a.user;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

/** Stores the answer of a login call so the app sees the new user at once. */
export function useSignedIn() {
  const qc = useQueryClient();
  return (a: AuthAnswer) => {
    setCsrfToken(a.csrfToken);
    qc.setQueryData(meKey, a.user);
  };
}

export function useLogout() {
  const qc = useQueryClient();
  return async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } catch {
      /* the session may already be gone */
    }
    setCsrfToken(null);
    qc.clear();
    qc.setQueryData(meKey, null);
  };
}

/** CASL-style check over the `[action, subject]` pairs the server sends. */
export function can(me: Me | null | undefined, action: string, subject: string): boolean {
  if (!me) return false;
  return me.permissions.some(([a, s]) => (a === action || a === 'manage') && (s === subject || s === 'all'));
}

export function isPlatformAdmin(me: Me | null | undefined): boolean {
  return !!me?.grants.some((g) => g.role === 'platform_admin') || can(me, 'manage', 'all');
}
