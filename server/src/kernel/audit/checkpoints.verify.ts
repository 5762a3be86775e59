// Checking a chain against its checkpoints, and the checkpoints against their witnesses.
// Generic over the chain (checkpoints.ts). What is found:
// - a checkpoint whose signature does not verify, or signed by a key we do not trust;
// - a checkpoint whose head hash differs from the chain's hash at its sequence number
//   (the chain was rewritten up to there: a row edited or deleted and the later hashes recomputed);
// - a checkpoint beyond the chain's last entry (the tail was cut);
// - a checkpoint in the table missing from a witness, or in a witness missing from the table,
//   or different in the two (a checkpoint deleted, inserted or altered).
import fs from 'node:fs';
import type { Db } from '../db/index.js';
import { checkpointPayload, tableCheckpoints, type Checkpoint, type HashChain } from './checkpoints.js';
import { PublicKeys, type PublicKeyInfo } from './signing.js';

export type CheckpointProblemCode =
  | 'bad_signature'
  | 'unknown_key'
  | 'hash_mismatch'
  | 'log_truncated'
  | 'missing_from_table'
  | 'missing_from_witness'
  | 'differs_from_witness'
  | 'witness_missing'
  | 'witness_unreadable';

export interface CheckpointProblem {
  code: CheckpointProblemCode;
  seq?: number;
  message: string;
}

export interface Witness {
  /** Where it came from (file path), for messages. */
  source: string;
  checkpoints: Checkpoint[];
  /** Public keys the witness holds (an export carries them); trusted alongside ours. */
  keys?: PublicKeyInfo[];
}

export interface CheckpointReport {
  checkpoints: number;
  /** The chain's last entry (0 when empty). */
  head: number;
  /** Sequence number of the last checkpoint (0: none). */
  lastCheckpoint: number;
  problems: CheckpointProblem[];
}

/** The export handed to an outside witness. */
export interface CheckpointExport {
  format: 'linli.checkpoints.v1';
  chain: string;
  exportedAt: string;
  keys: PublicKeyInfo[];
  checkpoints: Checkpoint[];
}

function maxSeq(cs: Checkpoint[]): number {
  return cs.reduce((m, c) => Math.max(m, c.seq), 0);
}

function same(a: Checkpoint, b: Checkpoint): boolean {
  return a.seq === b.seq && a.headHash === b.headHash && a.at === b.at && a.keyId === b.keyId && a.signature === b.signature;
}

function isCheckpoint(v: any): v is Checkpoint {
  return (
    v &&
    typeof v.chain === 'string' &&
    Number.isInteger(v.seq) &&
    typeof v.headHash === 'string' &&
    typeof v.at === 'string' &&
    typeof v.keyId === 'string' &&
    typeof v.signature === 'string'
  );
}

/** Read the JSON-lines witness file of this installation. A missing file gives null. */
export function readWitnessFile(file: string, chain: string): { witness: Witness | null; problems: CheckpointProblem[] } {
  if (!fs.existsSync(file)) return { witness: null, problems: [] };
  const problems: CheckpointProblem[] = [];
  const checkpoints: Checkpoint[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        v = null;
      }
      if (!isCheckpoint(v)) problems.push({ code: 'witness_unreadable', message: `witness file ${file} line ${i + 1} is not a checkpoint` });
      else if (v.chain === chain) checkpoints.push(v);
    });
  return { witness: { source: file, checkpoints }, problems };
}

/** Read an export made by `linli audit checkpoints --out` (kept by an outside witness). */
export function readExportFile(file: string, chain: string): Witness {
  let v: any;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the checkpoint export (${(e as Error).message})`);
  }
  if (v?.format !== 'linli.checkpoints.v1' || !Array.isArray(v.checkpoints) || !Array.isArray(v.keys))
    throw new Error(`${file}: not a checkpoint export (format linli.checkpoints.v1)`);
  if (v.chain !== chain) throw new Error(`${file}: checkpoints of the ${v.chain} log, not the ${chain} log`);
  if (!v.checkpoints.every(isCheckpoint)) throw new Error(`${file}: a checkpoint in it is malformed`);
  return { source: file, checkpoints: v.checkpoints, keys: v.keys };
}

export async function exportCheckpoints(db: Db, chain: string, keys: PublicKeyInfo[], now: Date): Promise<CheckpointExport> {
  return { format: 'linli.checkpoints.v1', chain, exportedAt: now.toISOString(), keys, checkpoints: await tableCheckpoints(db, chain) };
}

export async function verifyCheckpoints(db: Db, chain: HashChain, trustedKeys: PublicKeys, witnesses: Witness[]): Promise<CheckpointReport> {
  const problems: CheckpointProblem[] = [];
  let keys = trustedKeys;
  for (const w of witnesses) {
    const extra = new PublicKeys();
    for (const k of w.keys ?? []) {
      try {
        const kid = extra.add(k.publicKey, w.source);
        if (kid !== k.keyId)
          problems.push({ code: 'witness_unreadable', message: `${w.source}: key ${k.keyId} is listed with a public key whose id is ${kid}` });
      } catch (e) {
        problems.push({ code: 'witness_unreadable', message: (e as Error).message });
      }
    }
    keys = keys.merge(extra);
  }

  const table = await tableCheckpoints(db, chain.name);
  const head = (await chain.head(db))?.seq ?? 0;

  // every distinct checkpoint, from the table and the witnesses: signature, then against the chain
  const all = new Map<string, Checkpoint>();
  for (const c of [...table, ...witnesses.flatMap((w) => w.checkpoints)]) all.set(`${c.seq}|${c.signature}|${c.headHash}|${c.at}|${c.keyId}`, c);
  const toCheck: Checkpoint[] = [];
  for (const c of all.values()) {
    const v = keys.verify(c.keyId, checkpointPayload(c), c.signature);
    if (v === 'unknown_key')
      problems.push({
        code: 'unknown_key',
        seq: c.seq,
        message: `checkpoint at entry ${c.seq} is signed by key ${c.keyId}, which is not a trusted audit signing key`,
      });
    else if (v === 'bad_signature')
      problems.push({
        code: 'bad_signature',
        seq: c.seq,
        message: `checkpoint at entry ${c.seq}: the signature does not match its content (forged or altered checkpoint)`,
      });
    else toCheck.push(c);
  }
  const maxSigned = maxSeq(toCheck);
  if (maxSigned > head)
    problems.push({
      code: 'log_truncated',
      seq: maxSigned,
      message: `the log ends at entry ${head} but a signed checkpoint shows it reached entry ${maxSigned}: ${maxSigned - head} entries were cut from the end`,
    });
  const seqs = [...new Set(toCheck.map((c) => c.seq).filter((s) => s <= head))];
  const hashes = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += 500) for (const [s, h] of await chain.hashesAt(db, seqs.slice(i, i + 500))) hashes.set(s, h);
  for (const c of toCheck) {
    if (c.seq > head) continue;
    const h = hashes.get(c.seq);
    if (h !== c.headHash)
      problems.push({
        code: 'hash_mismatch',
        seq: c.seq,
        message: `entry ${c.seq} has hash ${h ? h.slice(0, 12) + '…' : '(missing)'} but the signed checkpoint says ${c.headHash.slice(0, 12)}…: the log was rewritten up to there`,
      });
  }

  // the table against each witness
  for (const w of witnesses) {
    const bySeq = new Map(w.checkpoints.map((c) => [c.seq, c]));
    const inTable = new Map(table.map((c) => [c.seq, c]));
    for (const c of w.checkpoints) {
      const t = inTable.get(c.seq);
      if (!t)
        problems.push({ code: 'missing_from_table', seq: c.seq, message: `checkpoint at entry ${c.seq} is in ${w.source} but not in the database (deleted)` });
      else if (!same(t, c))
        problems.push({
          code: 'differs_from_witness',
          seq: c.seq,
          message: `checkpoint at entry ${c.seq} in the database differs from the one in ${w.source}`,
        });
    }
    // an outside witness holds what was exported then; newer checkpoints are not expected in it
    const upTo = w.keys ? maxSeq(w.checkpoints) : Infinity;
    for (const t of table) {
      if (t.seq <= upTo && !bySeq.has(t.seq))
        problems.push({
          code: 'missing_from_witness',
          seq: t.seq,
          message: `checkpoint at entry ${t.seq} is in the database but not in ${w.source} (inserted, or the witness lost it)`,
        });
    }
  }
  return { checkpoints: table.length, head, lastCheckpoint: maxSeq(table), problems };
}
