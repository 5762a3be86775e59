// The message log on both databases: one entry per request and response (refusals included),
// bodies hashed and kept only where the agreement says, checkpointed, and `linli exchange verify`
// finding an edited, deleted or cut entry offline.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildResident, buildWorld, type World } from '../../test/fixtures.js';
import { agreement, setupParties, signedCall, type ExchangeSetup } from './exchange.fixtures.js';
import { CHAIN_NAME, verifyMessageLog } from './msglog.js';
import { witnessFileOf } from '../../kernel/audit/verify.js';
import { sha256 } from './signing.js';

const run = promisify(execFile);
const bin = path.resolve('bin/linli.mjs');
const R = '/api/v1/exchange/r1/residents';

describeEachDialect('exchange message log', (dialect) => {
  let t: TestApp;
  let w: World;
  let s: ExchangeSetup;
  let quiet: string;
  let loud: string;
  let r1: Awaited<ReturnType<typeof buildResident>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    s = await setupParties(t.app, t.kernel, w);
    r1 = await buildResident(t.kernel, w.house1, { name: '周凤英' });
    quiet = await agreement(s, { fields: ['name'], placeIds: [w.c1.id] });
    loud = await agreement(s, { fields: ['name'], placeIds: [w.c1.id], logBodies: true });
  });
  afterAll(() => t?.close());

  const verify = () => verifyMessageLog({ db: t.kernel.db, keys: t.kernel.checkpoints.keys.publicKeys, witnessFile: witnessFileOf(t.config) });

  async function linli(...args: string[]) {
    const pool = t.kernel.database.pool as unknown as { options: { connectionString?: string } } | null;
    try {
      const r = await run(process.execPath, [bin, ...args], {
        env: {
          ...process.env,
          LINLI_DATA_DIR: t.dir,
          LINLI_DATABASE_URL: pool?.options.connectionString ?? '',
          LINLI_MASTER_KEY: '',
          LINLI_LOG_LEVEL: 'silent',
          LINLI_MQTT_PORT: '0',
        },
      });
      return { code: 0, out: r.stdout + r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: String(x.stdout) + String(x.stderr) };
    }
  }

  it('logs each request and response, bodies as hashes unless the agreement keeps them', async () => {
    const a = await signedCall(t.app, s.client.key, 'POST', `${R}/lookup`, { agreementId: quiet, idNumber: r1.idNumber });
    const b = await signedCall(t.app, s.client.key, 'POST', `${R}/lookup`, { agreementId: loud, idNumber: r1.idNumber });
    const refused = await t.app.inject({ method: 'POST', url: `${R}/lookup`, payload: { agreementId: quiet, idNumber: r1.idNumber } });
    expect([a.status, b.status, refused.statusCode]).toEqual([200, 200, 401]);
    const rows = await t.kernel.db.selectFrom('exchange_msglog').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => [r.agreement_id, Number(r.status), r.outcome, Number(r.records)])).toEqual([
      [quiet, 200, 'ok', 1],
      [loud, 200, 'ok', 1],
      [null, 401, 'exchange.signature_missing', 0],
    ]);
    expect(rows[0].response_hash).toBe(sha256(a.body));
    expect([rows[0].request_body, rows[0].response_body]).toEqual([null, null]);
    expect(rows[1].response_body).toBe(b.body);
    expect(rows[0].request_hash).toBe(a.headers['linli-request-hash']);
    // the console shows it with its verification
    const page = await s.officer.get('/api/v1/exchange/messages');
    expect(page.json.items.map((m: { outcome: string }) => m.outcome)).toEqual(['ok', 'ok']); // the officer sees their clients' messages
    const v = await s.gov.get('/api/v1/exchange/messages/verification');
    expect(v.json.ok).toBe(true);
  });

  it('is found tampered by `linli exchange verify`: an edited entry and a cut tail', async () => {
    for (let i = 0; i < 3; i++) await signedCall(t.app, s.client.key, 'POST', `${R}/lookup`, { agreementId: quiet, idNumber: r1.idNumber });
    const cp = await t.kernel.checkpoints.get(CHAIN_NAME).checkpoint(1);
    expect(cp?.seq).toBe(6);
    expect((await verify()).ok).toBe(true);
    const ok = await linli('exchange', 'verify');
    expect(ok.out).toMatch(/exchange message log OK: 6 messages/);
    expect(ok.code).toBe(0);

    // an entry edited in place (the records it released changed, to hide a read), and the tail cut off after the checkpoint
    await t.kernel.db.updateTable('exchange_msglog').set({ records: 0 }).where('seq', '=', 2).execute();
    await t.kernel.db.deleteFrom('exchange_msglog').where('seq', '>=', 5).execute();
    const broken = await linli('exchange', 'verify');
    expect(broken.code).not.toBe(0);
    expect(broken.out).toContain('exchange message log BROKEN');
    expect(broken.out).toContain('message 2 was edited');
    expect(broken.out).toMatch(/2 entries were cut from the end/);
  }, 300_000);
});
