// Signed checkpoints: a cut tail, a chain rewritten after a deletion or an edit, a forged or
// deleted checkpoint are all found by `linli audit verify` (verifyAudit is what it runs), and a
// rotated key leaves the old checkpoints verifiable. The chain check alone passes every one of
// these tamperings (asserted too: that is why checkpoints exist).
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect, tempDir, type TestDatabase } from '../../test/db.js';
import { loadConfig, type Config } from '../../config.js';
import { buildApp, type App } from '../../app.js';
import type { Kernel } from '../index.js';
import type { Dialect } from '../db/index.js';
import { projectRoot } from '../paths.js';
import { rowHash, verifyAuditChain, type AuditRow } from './index.js';
import { verifyAudit, witnessFileOf } from './verify.js';
import { checkpointPayload, type Checkpoint } from './checkpoints.js';
import { exportCheckpoints } from './checkpoints.verify.js';
import { parseSigningKeys, newPrivateKeyBase64, rotateSigningKeyFile, signingKeyFilePath } from './signing.js';

interface Setup {
  dir: string;
  tdb: TestDatabase;
  env: Record<string, string>;
  app: App;
  k: Kernel;
  config: Config;
}

async function boot(dialect: Dialect, s?: Pick<Setup, 'dir' | 'tdb' | 'env'>, extraEnv: Record<string, string> = {}): Promise<Setup> {
  const dir = s?.dir ?? tempDir();
  const tdb = s?.tdb ?? (await createTestDatabase(dialect, dir));
  const env = s?.env ?? {
    LINLI_DATA_DIR: dir,
    LINLI_LOG_LEVEL: 'silent',
    LINLI_MQTT_PORT: '0',
    LINLI_AUDIT_CHECKPOINT_EVERY: '1000000',
    ...(tdb.url ? { LINLI_DATABASE_URL: tdb.url } : {}),
    ...extraEnv,
  };
  const config = loadConfig(env);
  const { app, kernel } = await buildApp({ config, database: tdb.database, logger: pino({ level: 'silent' }) });
  return { dir, tdb, env, app, k: kernel, config };
}

async function close(s: Setup): Promise<void> {
  await s.app.close();
  await s.tdb.drop();
}

async function record(k: Kernel, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await k.audit.record({ actorId: 'usr_1', actorName: '李娜', action: 'registry.resident.view', targetType: 'resident', targetId: `res_${i}` });
}

/** 30 entries with signed checkpoints at entries 20 and 30 (made as the periodic job makes them). */
async function withCheckpoints(dialect: Dialect): Promise<Setup> {
  const s = await boot(dialect);
  const cp = s.k.checkpoints.get('audit');
  await record(s.k, 20);
  await cp.checkpoint();
  await record(s.k, 10);
  await cp.checkpoint();
  return s;
}

function verify(s: Setup, exports: string[] = []) {
  return verifyAudit({ db: s.k.db, keys: s.k.checkpoints.keys.publicKeys, witnessFile: witnessFileOf(s.config), exports });
}

/** Recompute seq, prev_hash and hash of every row from `from` on, as someone covering their tracks would. */
async function rechain(k: Kernel, from: number): Promise<void> {
  const rows = (await k.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()) as AuditRow[];
  let prev = from > 1 ? rows.find((r) => Number(r.seq) === from - 1)!.hash : '0'.repeat(64);
  let seq = from - 1;
  for (const r of rows.filter((x) => Number(x.seq) >= from)) {
    const { hash: _h, ...rest } = { ...r, seq: ++seq, prev_hash: prev };
    const hash = rowHash(rest);
    await k.db.updateTable('audit_log').set({ seq, prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
    prev = hash;
  }
}

function codes(r: { problems: { code: string; seq?: number }[] }) {
  return r.problems.map((p) => `${p.code}@${p.seq ?? ''}`);
}

describeEachDialect('audit checkpoints', (dialect) => {
  it('signs the head every few minutes (kernel job, only when there are new entries) and every N entries', async () => {
    const s = await boot(dialect);
    try {
      expect(s.k.jobs.registered()).toContain('audit.checkpoint');
      await record(s.k, 3);
      expect(await s.k.jobs.runDue()).toContain('audit.checkpoint');
      const cp = s.k.checkpoints.get('audit');
      expect(await cp.last()).toMatchObject({ chain: 'audit', seq: 3, keyId: s.k.checkpoints.keys.activeKeyId });
      expect(await cp.checkpoint()).toBeNull(); // nothing new, nothing signed
      const r = await verify(s);
      expect(r).toMatchObject({ ok: true, entries: 3, checkpoints: 1, lastCheckpoint: 3, unanchored: 0 });
      expect(fs.statSync(signingKeyFilePath(s.dir)).mode & 0o777).toBe(0o600);
      const witness = fs
        .readFileSync(witnessFileOf(s.config), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(witness).toEqual([await cp.last()]);
    } finally {
      await close(s);
    }
    const every = await boot(dialect, undefined, { LINLI_AUDIT_CHECKPOINT_EVERY: '10' });
    try {
      await record(every.k, 25);
      const cp = every.k.checkpoints.get('audit');
      // the count trigger works after the append's transaction: poll the checkpoints' own reader
      for (let i = 0; i < 2000 && ((await cp.last())?.seq ?? 0) < 20; i++) await new Promise((r) => setImmediate(r));
      expect((await cp.last())?.seq).toBeGreaterThanOrEqual(20);
    } finally {
      await close(every);
    }
  });

  it('finds a cut tail (the last five entries deleted), also through the linli command', async () => {
    const s = await withCheckpoints(dialect);
    try {
      await s.k.db.deleteFrom('audit_log').where('seq', '>', 25).execute();
      expect((await verifyAuditChain(s.k.db)).ok).toBe(true); // the chain alone cannot tell
      const r = await verify(s);
      expect(r.ok).toBe(false);
      expect(codes(r)).toEqual(['checkpoint_log_truncated@30']);
      expect(r.problems[0].message).toContain('5 entries were cut from the end');

      const cli = await promisify(execFile)(process.execPath, [path.join(projectRoot, 'bin/linli.mjs'), 'audit', 'verify'], {
        env: { ...process.env, ...s.env },
        cwd: projectRoot,
      }).then(
        () => ({ code: 0, stdout: '' }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('audit log BROKEN');
      expect(cli.stdout).toContain('5 entries were cut from the end');
    } finally {
      await close(s);
    }
  }, 60_000);

  it('finds an entry deleted and the later hashes recomputed', async () => {
    const s = await withCheckpoints(dialect);
    try {
      await s.k.db.deleteFrom('audit_log').where('seq', '=', 7).execute();
      await rechain(s.k, 7);
      expect(await verifyAuditChain(s.k.db)).toMatchObject({ ok: true, checked: 29 });
      const r = await verify(s);
      expect(r.ok).toBe(false);
      expect(codes(r)).toEqual(expect.arrayContaining(['checkpoint_hash_mismatch@20', 'checkpoint_log_truncated@30']));
      expect(r.problems.find((p) => p.seq === 20)?.message).toContain('rewritten');
    } finally {
      await close(s);
    }
  });

  it('finds an edited entry whose hash and the later ones were recomputed', async () => {
    const s = await withCheckpoints(dialect);
    try {
      await s.k.db.updateTable('audit_log').set({ actor_name: '别人' }).where('seq', '=', 25).execute();
      await rechain(s.k, 25);
      expect((await verifyAuditChain(s.k.db)).ok).toBe(true);
      const r = await verify(s);
      expect(codes(r)).toEqual(['checkpoint_hash_mismatch@30']); // checkpoint 20 still matches: the edit is after it
    } finally {
      await close(s);
    }
  });

  it('finds a forged checkpoint: altered to fit a rewritten log (bad signature) or signed with another key', async () => {
    const s = await withCheckpoints(dialect);
    try {
      await s.k.db.updateTable('audit_log').set({ actor_name: '别人' }).where('seq', '=', 25).execute();
      await rechain(s.k, 25);
      const newHead = (await s.k.db.selectFrom('audit_log').select('hash').where('seq', '=', 30).executeTakeFirstOrThrow()).hash;
      // the table row and the witness line both made to agree with the rewritten log
      await s.k.db.updateTable('chain_checkpoints').set({ head_hash: newHead }).where('seq', '=', 30).execute();
      const wf = witnessFileOf(s.config);
      fs.writeFileSync(wf, fs.readFileSync(wf, 'utf8').replace(/"seq":30,"headHash":"[0-9a-f]+"/, `"seq":30,"headHash":"${newHead}"`));
      let r = await verify(s);
      expect(codes(r)).toEqual(['checkpoint_bad_signature@30']);
      expect(r.problems[0].message).toContain('signature does not match');

      // a checkpoint signed with the intruder's own key
      const intruder = parseSigningKeys(newPrivateKeyBase64(), 'intruder');
      const body = { chain: 'audit', seq: 30, headHash: newHead, at: '2026-12-01T00:00:00.000Z', keyId: intruder.activeKeyId };
      await s.k.db.deleteFrom('chain_checkpoints').where('seq', '=', 30).execute();
      await s.k.db
        .insertInto('chain_checkpoints')
        .values({ chain: 'audit', seq: 30, head_hash: newHead, at: body.at, key_id: body.keyId, signature: intruder.sign(checkpointPayload(body)) })
        .execute();
      r = await verify(s);
      expect(codes(r)).toContain('checkpoint_unknown_key@30');
      expect(r.ok).toBe(false);
    } finally {
      await close(s);
    }
  });

  it('finds a deleted checkpoint: missing from the table, from the witness file, or from both (outside witness)', async () => {
    const s = await withCheckpoints(dialect);
    try {
      const outside = path.join(s.dir, 'witness-export.json');
      fs.writeFileSync(outside, JSON.stringify(await exportCheckpoints(s.k.db, 'audit', s.k.checkpoints.keys.list(), new Date())));
      expect((await verify(s, [outside])).ok).toBe(true);

      await s.k.db.deleteFrom('chain_checkpoints').where('seq', '=', 20).execute();
      expect(codes(await verify(s))).toEqual(['checkpoint_missing_from_table@20']);

      // the witness file loses checkpoint 30 (table has it): an inserted checkpoint looks the same
      const wf = witnessFileOf(s.config);
      const lines = fs.readFileSync(wf, 'utf8').trim().split('\n');
      fs.writeFileSync(wf, lines.filter((l) => !l.includes('"seq":30,')).join('\n') + '\n');
      expect(codes(await verify(s))).toEqual(['checkpoint_missing_from_table@20', 'checkpoint_missing_from_witness@30']);

      // someone with both the database and the data folder: cuts the tail, deletes the last
      // checkpoint from both. The export an outside witness keeps still shows it.
      await s.k.db.deleteFrom('audit_log').where('seq', '>', 22).execute();
      await s.k.db.deleteFrom('chain_checkpoints').where('seq', '=', 30).execute();
      fs.writeFileSync(wf, lines.filter((l) => l.includes('"seq":20,')).join('\n') + '\n');
      await s.k.db
        .insertInto('chain_checkpoints')
        .values(toRow(JSON.parse(lines[0]) as Checkpoint))
        .execute();
      expect((await verify(s)).ok).toBe(true); // nothing left inside the installation to tell
      const r = await verify(s, [outside]);
      expect(codes(r)).toEqual(expect.arrayContaining(['checkpoint_log_truncated@30', 'checkpoint_missing_from_table@30']));
    } finally {
      await close(s);
    }
  });

  it('keeps old checkpoints verifiable after the signing key is rotated', async () => {
    const first = await boot(dialect);
    await record(first.k, 20);
    const old = await first.k.checkpoints.get('audit').checkpoint();
    await first.app.close();
    const { retired } = rotateSigningKeyFile(first.dir);
    expect(retired).toBe(old!.keyId);
    const s = await boot(dialect, first);
    try {
      await record(s.k, 10);
      const fresh = await s.k.checkpoints.get('audit').checkpoint();
      expect(fresh!.keyId).not.toBe(old!.keyId);
      expect(s.k.checkpoints.keys.list()).toEqual(
        expect.arrayContaining([expect.objectContaining({ keyId: fresh!.keyId, active: true }), expect.objectContaining({ keyId: old!.keyId, active: false })]),
      );
      expect(await verify(s)).toMatchObject({ ok: true, checkpoints: 2 });
      const outside = path.join(s.dir, 'witness-export.json');
      fs.writeFileSync(outside, JSON.stringify(await exportCheckpoints(s.k.db, 'audit', s.k.checkpoints.keys.list(), new Date())));

      // without the retired public key the old checkpoint cannot be trusted …
      const keyFile = signingKeyFilePath(s.dir);
      fs.writeFileSync(keyFile, fs.readFileSync(keyFile, 'utf8').replace(/^public:.*$/gm, ''));
      await s.app.close();
      const again = await boot(dialect, s);
      Object.assign(s, again);
      expect(codes(await verify(s))).toEqual(['checkpoint_unknown_key@20']);
      // … and the export an outside witness keeps carries it
      expect((await verify(s, [outside])).ok).toBe(true);
    } finally {
      await close(s);
    }
  });
});

function toRow(c: Checkpoint) {
  return { chain: c.chain, seq: c.seq, head_hash: c.headHash, at: c.at, key_id: c.keyId, signature: c.signature };
}
