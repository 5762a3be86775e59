// The exchange message log: one entry per exchange request and its response (X-Road keeps one
// record per transaction). Bodies are kept as SHA-256 hashes; the bodies themselves only where
// the agreement says (`log_bodies`). Append-only and hash-chained like the audit log: each entry's
// hash covers its content and the previous entry's hash; the chain is checkpointed through the
// kernel's generic mechanism (kernel/audit/checkpoints.ts, chain "exchange"), so a cut tail or a
// rewritten chain is found too. `linli exchange verify` runs verifyMessageLog offline.
import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../kernel/db/index.js';
import { tablesOf, txOf, type Schema } from '../../kernel/db/tables.js';
import type { HashChain } from '../../kernel/audit/checkpoints.js';
import { readExportFile, readWitnessFile, verifyCheckpoints, type Witness } from '../../kernel/audit/checkpoints.verify.js';
import type { PublicKeys } from '../../kernel/audit/signing.js';
import type { ExchangeOutTables } from './exchange.tables.js';

export const GENESIS = '0'.repeat(64);
export const CHAIN_NAME = 'exchange';

export interface MessageEntry {
  clientId: string | null;
  keyId: string | null;
  orgId: string | null;
  agreementId: string | null;
  operation: string;
  method: string;
  path: string;
  status: number;
  outcome: string;
  records: number;
  requestHash: string;
  responseHash: string;
  requestBody: string | null;
  responseBody: string | null;
  durationMs: number;
}

export type MessageRow = Schema['exchange_msglog'] & { seq: number };

export function messageHash(r: Omit<MessageRow, 'hash'>): string {
  return crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        r.seq,
        r.at,
        r.client_id,
        r.key_id,
        r.org_id,
        r.agreement_id,
        r.operation,
        r.method,
        r.path,
        Number(r.status),
        r.outcome,
        Number(r.records),
        r.request_hash,
        r.response_hash,
        r.request_body,
        r.response_body,
        Number(r.duration_ms),
        r.prev_hash,
      ]),
    )
    .digest('hex');
}

/** Append one entry in the caller's transaction; returns its sequence number (tell the checkpoints after the commit). */
export async function appendMessage(database: Database, trx: Transaction<Schema>, e: MessageEntry, at: string): Promise<number> {
  // serialise appends across nodes so the chain stays linear
  if (database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(727275)`.execute(trx);
  const t = txOf<ExchangeOutTables>(trx);
  const last = await t.selectFrom('exchange_msglog').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = last ? Number(last.seq) + 1 : 1;
  const row: Omit<MessageRow, 'hash'> = {
    seq,
    at,
    client_id: e.clientId,
    key_id: e.keyId,
    org_id: e.orgId,
    agreement_id: e.agreementId,
    operation: e.operation,
    method: e.method,
    path: e.path,
    status: e.status,
    outcome: e.outcome,
    records: e.records,
    request_hash: e.requestHash,
    response_hash: e.responseHash,
    request_body: e.requestBody,
    response_body: e.responseBody,
    duration_ms: Math.round(e.durationMs),
    prev_hash: last ? String(last.hash) : GENESIS,
  };
  await t
    .insertInto('exchange_msglog')
    .values({ ...row, hash: messageHash(row) })
    .execute();
  return seq;
}

export const messageChain: HashChain = {
  name: CHAIN_NAME,
  async head(db) {
    const r = await tablesOf<ExchangeOutTables>(db).selectFrom('exchange_msglog').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r ? { seq: Number(r.seq), hash: String(r.hash) } : null;
  },
  async hashesAt(db, seqs) {
    if (!seqs.length) return new Map();
    const rows = await tablesOf<ExchangeOutTables>(db).selectFrom('exchange_msglog').select(['seq', 'hash']).where('seq', 'in', seqs).execute();
    return new Map(rows.map((r) => [Number(r.seq), String(r.hash)]));
  },
};

export interface ChainProblem {
  seq: number;
  problem: 'edited' | 'missing_before' | 'broken_link';
}

/** Walk the chain in order: rows whose content or link does not match. */
export async function verifyMessageChain(db: Db, batch = 5000): Promise<{ checked: number; problems: ChainProblem[] }> {
  const x = tablesOf<ExchangeOutTables>(db);
  const problems: ChainProblem[] = [];
  let prevHash = GENESIS;
  let prevSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = await x.selectFrom('exchange_msglog').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(batch).execute();
    if (!rows.length) break;
    for (const r0 of rows) {
      const r = { ...r0, seq: Number(r0.seq) };
      checked++;
      if (r.seq !== prevSeq + 1) problems.push({ seq: r.seq, problem: 'missing_before' });
      else if (r.prev_hash !== prevHash) problems.push({ seq: r.seq, problem: 'broken_link' });
      const { hash, ...rest } = r;
      if (messageHash(rest) !== hash) problems.push({ seq: r.seq, problem: 'edited' });
      prevHash = hash;
      prevSeq = r.seq;
    }
  }
  return { checked, problems };
}

export interface MessageLogReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  lastCheckpoint: number;
  unanchored: number;
  problems: { code: string; seq?: number; message: string }[];
}

const chainMessages = {
  edited: (seq: number) => `message ${seq} was edited (its hash does not match its content)`,
  missing_before: (seq: number) => `messages before ${seq} were deleted`,
  broken_link: (seq: number) => `message ${seq} does not link to the message before it`,
};

/** The whole offline check: the chain row by row, the signed checkpoints, the witness file and any exports. */
export async function verifyMessageLog(o: { db: Db; keys: PublicKeys; witnessFile: string; exports?: string[] }): Promise<MessageLogReport> {
  const chain = await verifyMessageChain(o.db);
  const problems: MessageLogReport['problems'] = chain.problems.map((p) => ({
    code: `chain_${p.problem}`,
    seq: p.seq,
    message: chainMessages[p.problem](p.seq),
  }));
  const local = readWitnessFile(o.witnessFile, CHAIN_NAME);
  const witnesses: Witness[] = [...(local.witness ? [local.witness] : []), ...(o.exports ?? []).map((f) => readExportFile(f, CHAIN_NAME))];
  const r = await verifyCheckpoints(o.db, messageChain, o.keys, witnesses);
  const cps = [...local.problems, ...r.problems];
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

export function formatMessageLogReport(r: MessageLogReport): string[] {
  if (r.ok) {
    const cp = r.checkpoints ? `${r.checkpoints} signed checkpoint(s) verified, the last at message ${r.lastCheckpoint}` : 'no checkpoints yet';
    return [`exchange message log OK: ${r.entries} messages, chain intact; ${cp}${r.unanchored ? `; ${r.unanchored} newer messages not anchored yet` : ''}`];
  }
  const lines = [`exchange message log BROKEN: ${r.problems.length} problem(s) in ${r.entries} messages and ${r.checkpoints} checkpoint(s)`];
  for (const p of r.problems.slice(0, 50)) lines.push(`  ${p.message}`);
  if (r.problems.length > 50) lines.push(`  … and ${r.problems.length - 50} more`);
  return lines;
}
