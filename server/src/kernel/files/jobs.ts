// The files' kernel jobs: the purge of files past their retention (hourly, audited as the
// system), and the one-off encryption of files stored in clear before encryption came in
// (hourly too; once none is left each run is one empty query).
import type { AuditLog } from '../audit/index.js';
import type { Scheduler } from '../jobs/index.js';
import type { FileStore } from './index.js';

export const FILES_PURGE_JOB = 'files.purge';
export const FILES_ENCRYPT_JOB = 'files.encrypt_legacy';

type Deps = { jobs: Scheduler; files: FileStore; audit: AuditLog };

/** Purge every expired file; returns how many. Each purge is one audit entry. */
export async function purgeExpiredFiles(k: Deps, now: Date): Promise<number> {
  let n = 0;
  for (;;) {
    const ids = await k.files.purgeExpired(now, (files, trx) =>
      k.audit.recordMany(
        files.map((f) => ({
          actorId: null,
          actorName: 'system',
          action: 'files.purge',
          targetType: 'file',
          targetId: f.id,
          detail: { reason: 'retention', mime: f.mime, size: f.size, createdAt: f.createdAt, expiresAt: f.expiresAt },
        })),
        trx,
      ),
    );
    n += ids.length;
    if (ids.length < 500) return n;
  }
}

/** Encrypt every file still stored in clear; returns how many. Audited when there were any. */
export async function encryptLegacyFiles(k: Deps): Promise<number> {
  let n = 0;
  let after = '';
  for (;;) {
    const r = await k.files.encryptLegacy(after);
    n += r.encrypted;
    if (r.last === null) break;
    after = r.last;
  }
  if (n)
    await k.audit.record({ actorId: null, actorName: 'system', action: 'files.encrypt_legacy', targetType: 'system', targetId: null, detail: { files: n } });
  return n;
}

export function registerFileJobs(k: Deps): void {
  k.jobs.register({ name: FILES_PURGE_JOB, everyMs: 3_600_000, run: async ({ now }) => void (await purgeExpiredFiles(k, now)) });
  k.jobs.register({ name: FILES_ENCRYPT_JOB, everyMs: 3_600_000, run: async () => void (await encryptLegacyFiles(k)) });
}
