import { useCallback, useRef } from 'react';

/** A fresh idempotency key (8–100 characters, as the server asks). */
export function newIntentKey(): string {
  return crypto.randomUUID();
}

export interface IntentKey {
  /** The key of the current intent: the same on every retry of the same submit. */
  key: () => string;
  /** The intent is over (it succeeded, or the form closed): the next submit is a new intent. */
  renew: () => void;
}

/**
 * One idempotency key per user intent (a form or modal submit). A retried submit (network failure,
 * double tap, a problem answer — the server releases the key when the handler fails) sends the same
 * key, so the server performs it at most once; after success or when the form closes the key is
 * renewed, so a second, deliberate submit is a new intent.
 */
export function useIntentKey(): IntentKey {
  const ref = useRef<string | null>(null);
  const key = useCallback(() => (ref.current ??= newIntentKey()), []);
  const renew = useCallback(() => {
    ref.current = null;
  }, []);
  return { key, renew };
}
