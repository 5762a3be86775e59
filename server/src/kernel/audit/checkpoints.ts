// Signed checkpoints of a hash-chained log. A hash chain alone shows an edit in the middle, but
// not a cut tail or a chain rewritten from some row on: whoever can write the table can also
// recompute the hashes. A checkpoint anchors the head outside the table: (sequence number, head
// hash, time, key id) signed with a key kept apart from the database (signing.ts), stored in
// `chain_checkpoints` and appended to a witness file outside the database, and exportable for
// an outside witness. Generic over the chain: the audit log is one; the exchange message log
// will be another (give its name and how to read its head and hashes).
//
// When: whenever `every` entries have been added since the last checkpoint (triggered by the
// log's appends, made outside the appending transaction from what has been committed), and by a
// kernel job every few minutes when there is anything new. Several nodes may race: the primary
// key (chain, seq) lets one win and only the winner writes the witness line.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Database, Db } from '../db/index.js';
import type { Clock } from '../clock.js';
import type { Scheduler } from '../jobs/index.js';
import type { SigningKeys } from './signing.js';

export interface HashChain {
  /** Stable name stored with each checkpoint ("audit"). */
  name: string;
  /** The last entry: its sequence number (entries count from 1, without gaps) and hash. */
  head(db: Db): Promise<{ seq: number; hash: string } | null>;
  /** The hashes of the entries with these sequence numbers (missing ones are left out). */
  hashesAt(db: Db, seqs: number[]): Promise<Map<number, string>>;
}

export interface Checkpoint {
  chain: string;
  seq: number;
  headHash: string;
  at: string;
  keyId: string;
  signature: string;
}

/** The bytes a checkpoint's signature covers. */
export function checkpointPayload(c: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify(['linli.checkpoint.v1', c.chain, c.seq, c.headHash, c.at, c.keyId]));
}

export interface CheckpointOptions {
  database: Database;
  clock: Clock;
  keys: SigningKeys;
  log: Logger;
  /** JSON-lines file outside the database that receives every checkpoint. */
  witnessFile: string;
  /** A checkpoint at least every this many entries. */
  every: number;
  /** …and every this many milliseconds when there are new entries (kernel job). */
  everyMs: number;
}

function toCheckpoint(r: Record<string, any>): Checkpoint {
  return { chain: r.chain, seq: Number(r.seq), headHash: r.head_hash, at: r.at, keyId: r.key_id, signature: r.signature };
}

function appendWitness(file: string, c: Checkpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(c) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Checkpoints of one chain. */
export class ChainCheckpoints {
  private lastKnown: number | null = null;
  private pending: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private o: CheckpointOptions,
    readonly chain: HashChain,
  ) {}

  /** The log appended entries up to `seq`: checkpoint soon when `every` entries are unanchored. */
  appended(seq: number): void {
    if (this.stopped || this.pending) return;
    if (this.lastKnown !== null && seq - this.lastKnown < this.o.every) return;
    // after the appending transaction's turn, from what has been committed by then
    this.pending = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (this.stopped ? null : this.checkpoint(this.o.every)))
      .then(
        () => undefined,
        (err) => this.o.log.error({ err, chain: this.chain.name }, 'checkpoints: could not make a checkpoint'),
      )
      .finally(() => {
        this.pending = null;
      });
  }

  /** Sign the committed head when at least `minNew` entries came after the last checkpoint. */
  async checkpoint(minNew = 1): Promise<Checkpoint | null> {
    const db = this.o.database.db;
    const head = await this.chain.head(db);
    const last = (await this.last())?.seq ?? 0;
    this.lastKnown = Math.max(this.lastKnown ?? 0, last);
    if (!head || head.seq - last < minNew) return null;
    const body = { chain: this.chain.name, seq: head.seq, headHash: head.hash, at: this.o.clock.now().toISOString(), keyId: this.o.keys.activeKeyId };
    const c: Checkpoint = { ...body, signature: this.o.keys.sign(checkpointPayload(body)) };
    const inserted = await db.transaction().execute(async (t) => {
      const r = await t
        .insertInto('chain_checkpoints')
        .values({ chain: c.chain, seq: c.seq, head_hash: c.headHash, at: c.at, key_id: c.keyId, signature: c.signature })
        .onConflict((oc) => oc.columns(['chain', 'seq']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return false; // another node signed this head
      // a failed write rolls the row back: table and witness agree. (A commit failing after the
      // write leaves a witness line without a row; verify reports it as missing from the table.)
      appendWitness(this.o.witnessFile, c);
      return true;
    });
    if (!inserted) return null;
    this.lastKnown = Math.max(this.lastKnown, c.seq);
    return c;
  }

  async last(): Promise<Checkpoint | null> {
    const r = await this.o.database.db
      .selectFrom('chain_checkpoints')
      .selectAll()
      .where('chain', '=', this.chain.name)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? toCheckpoint(r) : null;
  }

  /** Newest first. */
  async page(limit: number, offset: number): Promise<{ items: Checkpoint[]; total: number }> {
    const db = this.o.database.db;
    const total = Number(
      (
        await db
          .selectFrom('chain_checkpoints')
          .where('chain', '=', this.chain.name)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
    const rows = await db
      .selectFrom('chain_checkpoints')
      .selectAll()
      .where('chain', '=', this.chain.name)
      .orderBy('seq', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return { items: rows.map(toCheckpoint), total };
  }

  /** Wait for a checkpoint under way; make no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.pending;
  }
}

/** All checkpoints of a chain in the table, oldest first. */
export async function tableCheckpoints(db: Db, chain: string): Promise<Checkpoint[]> {
  const rows = await db.selectFrom('chain_checkpoints').selectAll().where('chain', '=', chain).orderBy('seq').execute();
  return rows.map(toCheckpoint);
}

/** The kernel's checkpointing: one signing key and witness file, any number of chains. */
export class Checkpoints {
  private chains = new Map<string, ChainCheckpoints>();

  constructor(readonly options: CheckpointOptions) {}

  get keys(): SigningKeys {
    return this.options.keys;
  }

  /** Start checkpointing a chain: the periodic kernel job "<name>.checkpoint" and the count trigger
   * (call `.appended(seq)` of the returned object after the log appends). */
  register(chain: HashChain, jobs: Scheduler): ChainCheckpoints {
    if (this.chains.has(chain.name)) throw new Error(`checkpoints: chain ${chain.name} is already registered`);
    const c = new ChainCheckpoints(this.options, chain);
    this.chains.set(chain.name, c);
    jobs.register({ name: `${chain.name}.checkpoint`, everyMs: this.options.everyMs, run: async () => void (await c.checkpoint(1)) });
    return c;
  }

  get(name: string): ChainCheckpoints {
    const c = this.chains.get(name);
    if (!c) throw new Error(`checkpoints: no chain ${name}`);
    return c;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.chains.values()].map((c) => c.stop()));
  }
}
