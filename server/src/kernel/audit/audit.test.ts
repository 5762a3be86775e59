import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../test/harness.js';
import { migrate } from '../db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { FixedClock } from '../clock.js';
import { AuditLog, verifyAuditChain } from './index.js';

describeEachDialect('audit log hash chain', (dialect) => {
  let tdb: TestDatabase;
  let audit: AuditLog;

  beforeAll(async () => {
    tdb = await createTestDatabase(dialect);
    await migrate(tdb.database, migrations);
    audit = new AuditLog(tdb.database, new FixedClock(new Date('2026-11-25T00:00:00Z')));
    for (let i = 0; i < 10; i++)
      await audit.record({
        actorId: 'usr_1',
        actorName: '李娜',
        action: 'registry.resident.view',
        targetType: 'resident',
        targetId: `res_${i}`,
        subjectResidentId: `res_${i}`,
        ip: '10.1.1.1',
      });
    await audit.recordMany([1, 2, 3].map((i) => ({ actorId: 'usr_2', action: 'registry.resident.import', targetType: 'resident', targetId: `res_b${i}` })));
  });
  afterAll(async () => tdb?.drop());

  it('verifies an untouched chain', async () => {
    const r = await verifyAuditChain(tdb.database.db);
    expect(r).toEqual({ ok: true, checked: 13, problems: [] });
  });

  it('keeps the chain linear under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.record({ actorId: 'usr_3', action: 'x.concurrent', targetType: 't', targetId: String(i) })));
    const r = await verifyAuditChain(tdb.database.db);
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(33);
  });

  it('names an edited row', async () => {
    const db = tdb.database.db;
    await db.updateTable('audit_log').set({ actor_name: '别人' }).where('seq', '=', 4).execute();
    const r = await verifyAuditChain(db);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual({ seq: 4, problem: 'edited' });
    expect(r.problems.map((p) => p.seq)).toEqual([4]);
  });

  it('names the place where a row was deleted', async () => {
    const db = tdb.database.db;
    await db.deleteFrom('audit_log').where('seq', '=', 7).execute();
    const r = await verifyAuditChain(db);
    expect(r.problems).toContainEqual({ seq: 8, problem: 'missing_before' });
  });
});
