// The audit log as a checkpointed chain, and the whole check `linli audit verify` runs:
// the hash chain row by row (index.ts), then the signed checkpoints against the chain, the
// table against the witness file, and against any exports kept by outside witnesses.
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Database, Db } from '../db/index.js';
import type { Clock } from '../clock.js';
import type { Scheduler } from '../jobs/index.js';
import { verifyAuditChain, type AuditLog } from './index.js';
import { Checkpoints, type HashChain } from './checkpoints.js';
import { readExportFile, readWitnessFile, verifyCheckpoints, type CheckpointProblem, type Witness } from './checkpoints.verify.js';
import { loadSigningKeys, type PublicKeys } from './signing.js';

export const auditChain: HashChain = {
  name: 'audit',
  async head(db) {
    const r = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r ? { seq: Number(r.seq), hash: String(r.hash) } : null;
  },
  async hashesAt(db, seqs) {
    if (!seqs.length) return new Map();
    const rows = await db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'in', seqs).execute();
    return new Map(rows.map((r) => [Number(r.seq), String(r.hash)]));
  },
};

export function witnessFileOf(config: Config): string {
  return path.resolve(config.audit.witnessFile ?? path.join(config.dataDir, 'audit-checkpoints.jsonl'));
}

/** The kernel's checkpointing, with the audit log registered on it (app.ts). */
export function startCheckpoints(o: { config: Config; database: Database; clock: Clock; log: Logger; jobs: Scheduler; audit: AuditLog }): Checkpoints {
  const { keys, created, source } = loadSigningKeys({ signingKey: o.config.audit.signingKey, dataDir: o.config.dataDir });
  if (created) o.log.warn(`audit: created a new checkpoint signing key ${source} (mode 0600). Back it up, apart from the database.`);
  const checkpoints = new Checkpoints({
    database: o.database,
    clock: o.clock,
    keys,
    log: o.log,
    witnessFile: witnessFileOf(o.config),
    every: o.config.audit.checkpointEvery,
    everyMs: o.config.audit.checkpointMinutes * 60_000,
  });
  const audit = checkpoints.register(auditChain, o.jobs);
  o.audit.onAppend = (seq) => audit.appended(seq);
  return checkpoints;
}

export interface AuditVerifyProblem {
  code: string;
  seq?: number;
  message: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  lastCheckpoint: number;
  /** Entries after the last checkpoint: not anchored yet (the next checkpoint will). */
  unanchored: number;
  problems: AuditVerifyProblem[];
}

const chainMessages = {
  edited: (seq: number) => `entry ${seq} was edited (its hash does not match its content)`,
  missing_before: (seq: number) => `entries before ${seq} were deleted`,
  broken_link: (seq: number) => `entry ${seq} does not link to the entry before it`,
};

/** Verify the audit log: chain, checkpoints, witness file, and exports kept by outside witnesses. */
export async function verifyAudit(o: { db: Db; keys: PublicKeys; witnessFile: string; exports?: string[] }): Promise<AuditVerifyReport> {
  const chain = await verifyAuditChain(o.db);
  const problems: AuditVerifyProblem[] = chain.problems.map((p) => ({ code: `chain_${p.problem}`, seq: p.seq, message: chainMessages[p.problem](p.seq) }));
  const local = readWitnessFile(o.witnessFile, auditChain.name);
  const witnesses: Witness[] = [...(local.witness ? [local.witness] : []), ...(o.exports ?? []).map((f) => readExportFile(f, auditChain.name))];
  const r = await verifyCheckpoints(o.db, auditChain, o.keys, witnesses);
  const cps: CheckpointProblem[] = [...local.problems, ...r.problems];
  if (!local.witness && r.checkpoints > 0)
    cps.unshift({ code: 'witness_missing', message: `the witness file ${o.witnessFile} is missing but the database holds ${r.checkpoints} checkpoint(s)` });
  problems.push(...cps.map((p) => ({ code: `checkpoint_${p.code}`, seq: p.seq, message: p.message })));
  return {
    ok: problems.length === 0,
    entries: chain.checked,
    checkpoints: r.checkpoints,
    lastCheckpoint: r.lastCheckpoint,
    unanchored: Math.max(0, r.head - r.lastCheckpoint),
    problems,
  };
}

/** The report as `linli audit verify` prints it. */
export function formatAuditReport(r: AuditVerifyReport): string[] {
  if (r.ok) {
    const cp = r.checkpoints ? `${r.checkpoints} signed checkpoint(s) verified, the last at entry ${r.lastCheckpoint}` : 'no checkpoints yet';
    return [`audit log OK: ${r.entries} entries, chain intact; ${cp}${r.unanchored ? `; ${r.unanchored} newer entries not anchored yet` : ''}`];
  }
  const lines = [`audit log BROKEN: ${r.problems.length} problem(s) in ${r.entries} entries and ${r.checkpoints} checkpoint(s)`];
  for (const p of r.problems.slice(0, 50)) lines.push(`  ${p.message}`);
  if (r.problems.length > 50) lines.push(`  … and ${r.problems.length - 50} more`);
  return lines;
}
