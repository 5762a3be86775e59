// The government supervisor sees the audit log's signed checkpoints in the console and downloads
// the export an outside witness keeps; `linli audit verify --witness` accepts that download.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { login, type Client } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD } from '../../test/fixtures.js';
import { verifyAudit, witnessFileOf } from '../../kernel/audit/verify.js';

describeEachDialect('audit checkpoints in the console', (dialect) => {
  let t: TestApp;
  let gov: Client;
  let staff: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { LINLI_AUDIT_CHECKPOINT_EVERY: '1000000' } });
    const w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, 'gov', 'gov_supervisor', w.street);
    await buildStaff(t.kernel, 'staff1', 'community_staff', w.c1);
    gov = await login(t.app, 'gov', PASSWORD);
    staff = await login(t.app, 'staff1', PASSWORD);
    await t.kernel.checkpoints.get('audit').checkpoint();
    await t.kernel.audit.record({ actorId: null, action: 'x.test', targetType: 'system', targetId: null });
    await t.kernel.checkpoints.get('audit').checkpoint();
  });
  afterAll(async () => t?.close());

  it('lists the checkpoints newest first with the head, time, key id and the public keys', async () => {
    const res = await gov.get('/api/v1/audit/checkpoints?pageSize=1');
    expect(res.status).toBe(200);
    const cp = res.json;
    expect(cp.total).toBe(2);
    expect(cp.items).toHaveLength(1);
    const last = await t.kernel.checkpoints.get('audit').last();
    expect(cp.items[0]).toEqual(last);
    expect(cp.head).toBeGreaterThanOrEqual(last!.seq);
    expect(cp.keys).toEqual([{ keyId: last!.keyId, algorithm: 'Ed25519', publicKey: expect.any(String), active: true }]);
    expect((await staff.get('/api/v1/audit/checkpoints')).status).toBe(403);
  });

  it('downloads an export that an outside witness can verify the log against', async () => {
    const res = await gov.get('/api/v1/audit/checkpoints/export');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-checkpoints-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.json).toMatchObject({ format: 'linli.checkpoints.v1', chain: 'audit' });
    expect(res.json.checkpoints.map((c: { seq: number }) => c.seq)).toHaveLength(2);
    const file = path.join(t.dir, 'kept-by-witness.json');
    fs.writeFileSync(file, res.body);
    const keys = t.kernel.checkpoints.keys.publicKeys;
    expect(await verifyAudit({ db: t.kernel.db, keys, witnessFile: witnessFileOf(t.config), exports: [file] })).toMatchObject({ ok: true, checkpoints: 2 });
    // the download itself is in the audit log (platform-wide: no community scope)
    const rows = await t.kernel.db.selectFrom('audit_log').select(['actor_name', 'action']).where('action', '=', 'audit.checkpoints.export').execute();
    expect(rows).toEqual([{ actor_name: 'gov', action: 'audit.checkpoints.export' }]);
  });
});
