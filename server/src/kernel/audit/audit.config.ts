// Settings of the audit log's signed checkpoints (checkpoints.ts, signing.ts).
import { ConfigError } from '../config-error.js';
import { parseSigningKeys } from './signing.js';

export interface AuditConfig {
  /** LINLI_AUDIT_SIGNING_KEY: key ring text (signing.ts); null = the key file in the data folder. */
  signingKey: string | null;
  /** LINLI_AUDIT_WITNESS_FILE; null = <dataDir>/audit-checkpoints.jsonl. */
  witnessFile: string | null;
  /** LINLI_AUDIT_CHECKPOINT_EVERY: a checkpoint at least every this many entries (default 1000). */
  checkpointEvery: number;
  /** LINLI_AUDIT_CHECKPOINT_MINUTES: and every this many minutes when there are new entries (default 5). */
  checkpointMinutes: number;
}

function int(env: Record<string, string | undefined>, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max)
    throw new ConfigError(name, `must be a whole number between ${min} and ${max}, got "${raw}"`);
  return Number(raw);
}

export function loadAuditConfig(env: Record<string, string | undefined>): AuditConfig {
  const signingKey = env.LINLI_AUDIT_SIGNING_KEY || null;
  if (signingKey) {
    try {
      parseSigningKeys(signingKey, 'LINLI_AUDIT_SIGNING_KEY');
    } catch (e) {
      throw new ConfigError(
        'LINLI_AUDIT_SIGNING_KEY',
        `${(e as Error).message.replace(/^LINLI_AUDIT_SIGNING_KEY: /, '')} (e.g. the output of: npx linli audit new-key)`,
      );
    }
  }
  return {
    signingKey,
    witnessFile: env.LINLI_AUDIT_WITNESS_FILE || null,
    checkpointEvery: int(env, 'LINLI_AUDIT_CHECKPOINT_EVERY', 1000, 1, 10_000_000),
    checkpointMinutes: int(env, 'LINLI_AUDIT_CHECKPOINT_MINUTES', 5, 1, 24 * 60),
  };
}
