import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { downloadUrl } from './api';

/**
 * Refetch the queries under `queryKey` whenever the live notification stream announces a
 * notification whose link starts with `linkPrefix` (e.g. a new alarm or incident in the
 * console). EventSource reconnects by itself.
 */
export function useRefreshOnNotification(linkPrefix: string, queryKey: readonly unknown[]) {
  const qc = useQueryClient();
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(downloadUrl('/api/v1/notifications/stream'), { withCredentials: true });
    const onNote = (e: MessageEvent) => {
      try {
        const n = JSON.parse(e.data) as { link?: string | null };
        if (!n.link || !n.link.startsWith(linkPrefix)) return;
      } catch {
        return;
      }
      void qc.invalidateQueries({ queryKey: JSON.parse(key) as unknown[] });
    };
    es.addEventListener('notification', onNote);
    return () => {
      es.removeEventListener('notification', onNote);
      es.close();
    };
  }, [qc, linkPrefix, key]);
}
