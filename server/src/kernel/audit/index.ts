// Append-only, hash-chained audit log. Each row's hash covers its content and the previous
// row's hash, so an edited row breaks its own hash and a deleted row breaks the chain.
// A cut tail or a chain rewritten from some row on is found by the signed checkpoints
// (checkpoints.ts; `linli audit verify` runs both checks, verify.ts).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { insertMany, type Database, type Db, type Tx } from '../db/index.js';
import type { Clock } from '../clock.js';

export interface AuditEntry {
  actorId: string | null;
  actorName?: string | null;
  action: string; // e.g. "registry.resident.create", "registry.resident.reveal"
  targetType: string;
  targetId: string | null;
  scopePath?: string | null;
  subjectResidentId?: string | null; // whose personal data this touched ("who looked at my data")
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  scope_path: string | null;
  subject_resident_id: string | null;
  ip: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

export function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    r.seq,
    r.at,
    r.actor_id,
    r.actor_name,
    r.action,
    r.target_type,
    r.target_id,
    r.scope_path,
    r.subject_resident_id,
    r.ip,
    r.detail,
    r.prev_hash,
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

export class AuditLog {
  /** Told the last sequence number after each append (the checkpoints' count trigger). */
  onAppend: ((seq: number) => void) | null = null;

  constructor(
    private database: Database,
    private clock: Clock,
  ) {}

  /** Append an entry. Pass the surrounding transaction so the audit row commits with the change. */
  async record(e: AuditEntry, trx?: Tx): Promise<void> {
    if (trx) return this.append(trx, e);
    await this.database.db.transaction().execute((t) => this.append(t, e));
  }

  /** Append many entries in one go (bulk imports): one chain lookup, batched inserts. */
  async recordMany(entries: AuditEntry[], trx?: Tx): Promise<void> {
    if (!entries.length) return;
    if (trx) return this.append(trx, ...entries);
    await this.database.db.transaction().execute((t) => this.append(t, ...entries));
  }

  private async append(t: Tx, ...entries: AuditEntry[]): Promise<void> {
    // Serialise appends across nodes so the chain stays linear.
    if (this.database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(727274)`.execute(t);
    const last = await t.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    let seq = last ? Number(last.seq) : 0;
    let prev = last ? String(last.hash) : GENESIS;
    const at = this.clock.now().toISOString();
    const rows: AuditRow[] = [];
    for (const e of entries) {
      const row = this.toRow(e, ++seq, at, prev);
      prev = row.hash;
      rows.push(row);
    }
    await insertMany(this.database, t, 'audit_log', rows as unknown as Record<string, unknown>[]);
    this.onAppend?.(seq);
  }

  private toRow(e: AuditEntry, seq: number, at: string, prevHash: string): AuditRow {
    const row: Omit<AuditRow, 'hash'> = {
      seq,
      at,
      actor_id: e.actorId,
      actor_name: e.actorName ?? null,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      scope_path: e.scopePath ?? null,
      subject_resident_id: e.subjectResidentId ?? null,
      ip: e.ip ?? null,
      detail: JSON.stringify(e.detail ?? {}),
      prev_hash: prevHash,
    };
    return { ...row, hash: rowHash(row) };
  }
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  problems: { seq: number; problem: 'edited' | 'missing_before' | 'broken_link' }[];
}

/** Walk the chain in order; report the first rows whose content or link does not match. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<VerifyResult> {
  const problems: VerifyResult['problems'] = [];
  let prevHash = GENESIS;
  let prevSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = (await db.selectFrom('audit_log').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(batch).execute()) as AuditRow[];
    if (!rows.length) break;
    for (const r0 of rows) {
      const r = { ...r0, seq: Number(r0.seq) };
      checked++;
      if (r.seq !== prevSeq + 1) problems.push({ seq: r.seq, problem: 'missing_before' });
      else if (r.prev_hash !== prevHash) problems.push({ seq: r.seq, problem: 'broken_link' });
      const { hash, ...rest } = r;
      if (rowHash(rest) !== hash) problems.push({ seq: r.seq, problem: 'edited' });
      prevHash = hash;
      prevSeq = r.seq;
    }
  }
  return { ok: problems.length === 0, checked, problems };
}
