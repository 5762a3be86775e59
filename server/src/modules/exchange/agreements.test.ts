// Sharing agreements on both databases: the agreement matrix (each field × in / out of the
// agreement × in / out of its places and validity and status), drafter ≠ approver, suspend and
// revoke at once, daily volume, batch, change feed and the encrypted bulk export.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compactDecrypt, exportJWK, generateKeyPair } from 'jose';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildResident, buildWorld, type World } from '../../test/fixtures.js';
import { agreement, setupParties, signedCall, type ExchangeSetup } from './exchange.fixtures.js';
import { datasetOf } from './exchange.datasets.js';

const R = '/api/v1/exchange/r1/residents';
const allFields = datasetOf('registry.residents')!.fields.map((f) => f.code);

describeEachDialect('exchange agreements', (dialect) => {
  let t: TestApp;
  let w: World;
  let s: ExchangeSetup;
  let inside: Awaited<ReturnType<typeof buildResident>>;
  let outside: Awaited<ReturnType<typeof buildResident>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    s = await setupParties(t.app, t.kernel, w);
    inside = await buildResident(t.kernel, w.house1, { name: '李桂芳', tags: ['low_income'], birthDate: '1950-02-03' });
    outside = await buildResident(t.kernel, w.house2, { name: '赵建国', tags: ['low_income'] });
  });
  afterAll(() => t?.close());

  const lookup = (agreementId: string, idNumber: string) => signedCall(t.app, s.client.key, 'POST', `${R}/lookup`, { agreementId, idNumber });

  it('releases a field only when the agreement names it, only in its places, only while valid and approved', async () => {
    const wrong: string[] = [];
    for (const f of allFields) {
      const only = await agreement(s, { fields: [f], placeIds: [w.c1.id] });
      const without = await agreement(s, { fields: allFields.filter((x) => x !== f), placeIds: [w.c1.id] });
      const expired = await agreement(s, { fields: [f], placeIds: [w.c1.id], validFrom: '2020-01-01', validTo: '2020-12-31' });
      const future = await agreement(s, { fields: [f], placeIds: [w.c1.id], validFrom: '2098-01-01', validTo: '2099-12-31' });
      const pending = await agreement(s, { fields: [f], placeIds: [w.c1.id], approve: false });
      const cases: [string, string, string, (r: Awaited<ReturnType<typeof lookup>>) => boolean][] = [
        ['in agreement, in scope, valid', only, inside.idNumber, (r) => r.status === 200 && JSON.stringify(Object.keys(r.json.record)) === JSON.stringify([f])],
        ['out of agreement, in scope, valid', without, inside.idNumber, (r) => r.status === 200 && !(f in r.json.record) && !r.body.includes(`"${f}"`)],
        [
          'in agreement, out of scope',
          only,
          outside.idNumber,
          (r) => r.status === 404 && r.json.code === 'exchange.subject_not_found' && !('record' in r.json),
        ],
        ['in agreement, expired', expired, inside.idNumber, (r) => r.status === 403 && r.json.code === 'exchange.agreement_out_of_validity'],
        ['in agreement, not yet valid', future, inside.idNumber, (r) => r.status === 403 && r.json.code === 'exchange.agreement_out_of_validity'],
        ['in agreement, not approved', pending, inside.idNumber, (r) => r.status === 403 && r.json.code === 'exchange.agreement_inactive'],
      ];
      for (const [name, a, id, ok] of cases) {
        const r = await lookup(a, id);
        if (!ok(r)) wrong.push(`${f} / ${name}: ${r.status} ${r.body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets only another supervisor approve, and suspends and revokes at once', async () => {
    const own = await s.gov.post('/api/v1/exchange/agreements', {
      title: '自审',
      providerOrgId: s.street.id,
      consumerOrgId: s.civil.id,
      dataset: 'registry.residents',
      fields: ['name'],
      purpose: 'p',
      legalBasis: 'l',
      placeIds: [w.c1.id],
      validFrom: '2020-01-01',
      validTo: '2099-12-31',
      dailyLimit: 10,
    });
    expect(own.status).toBe(201);
    expect((await s.gov.post(`/api/v1/exchange/agreements/${own.json.id}/approve`, {})).json.code).toBe('exchange.own_draft');
    expect((await s.officer.post(`/api/v1/exchange/agreements/${own.json.id}/approve`, {})).status).toBe(403);

    const a = await agreement(s, { fields: ['name'], placeIds: [w.c1.id] });
    expect((await lookup(a, inside.idNumber)).status).toBe(200);
    expect((await s.gov.post(`/api/v1/exchange/agreements/${a}/suspend`, { note: '核查' })).json.status).toBe('suspended');
    expect((await lookup(a, inside.idNumber)).json.code).toBe('exchange.agreement_inactive');
    expect((await s.gov.post(`/api/v1/exchange/agreements/${a}/resume`, {})).json.status).toBe('approved');
    expect((await lookup(a, inside.idNumber)).status).toBe(200);
    expect((await s.gov.post(`/api/v1/exchange/agreements/${a}/revoke`, {})).json.status).toBe('revoked');
    expect((await lookup(a, inside.idNumber)).json.code).toBe('exchange.agreement_inactive');
    expect((await s.gov.post(`/api/v1/exchange/agreements/${a}/resume`, {})).status).toBe(409);
    // every step is in the audit log
    const steps = await t.kernel.db.selectFrom('audit_log').select('action').where('target_id', '=', a).orderBy('seq').execute();
    expect(steps.map((x) => x.action)).toEqual([
      'exchange.agreement.draft',
      'exchange.agreement.approve',
      'exchange.agreement.suspend',
      'exchange.agreement.resume',
      'exchange.agreement.revoke',
    ]);
  });

  it('counts records against the daily limit and refuses past it', async () => {
    const a = await agreement(s, { fields: ['name'], placeIds: [w.c1.id], dailyLimit: 2 });
    expect((await lookup(a, inside.idNumber)).status).toBe(200);
    expect((await lookup(a, inside.idNumber)).status).toBe(200);
    const third = await lookup(a, inside.idNumber);
    expect([third.status, third.json.code]).toEqual([429, 'exchange.volume_exceeded']);
  });

  it('answers a batch of up to 1,000 ID numbers and refuses more', async () => {
    const a = await agreement(s, { fields: ['name', 'tags'], placeIds: [w.c1.id] });
    const r = await signedCall(t.app, s.client.key, 'POST', `${R}/batch`, {
      agreementId: a,
      idNumbers: [inside.idNumber, outside.idNumber, '110105199001011237'],
    });
    expect(r.status, r.body).toBe(200);
    expect(r.json.items).toEqual([
      { index: 0, found: true, record: { name: '李桂芳', tags: ['low_income'] } },
      { index: 1, found: false },
      { index: 2, found: false },
    ]);
    const tooMany = Array.from({ length: 1001 }, (_, i) => `11010519900101${String(1000 + i).slice(-4)}`);
    const big = await signedCall(t.app, s.client.key, 'POST', `${R}/batch`, { agreementId: a, idNumbers: tooMany });
    expect(big.status).toBe(422);
  });

  it('feeds changes since a cursor, only within the agreement', async () => {
    const a = await agreement(s, { fields: ['name'], placeIds: [w.c1.id] });
    const first = await signedCall(t.app, s.client.key, 'GET', `${R}/changes?agreementId=${a}&limit=500`);
    expect(first.status, first.body).toBe(200);
    const names = first.json.items.map((i: { record: { name: string } }) => i.record.name);
    expect(names).toContain('李桂芳');
    expect(names).not.toContain('赵建国');
    const again = await signedCall(t.app, s.client.key, 'GET', `${R}/changes?agreementId=${a}&cursor=${first.json.nextCursor}`);
    expect(again.json.items).toEqual([]);
    await buildResident(t.kernel, w.house1b, { name: '新住户' });
    const later = await signedCall(t.app, s.client.key, 'GET', `${R}/changes?agreementId=${a}&cursor=${first.json.nextCursor}`);
    expect(later.json.items.map((i: { record: { name: string } }) => i.record.name)).toEqual(['新住户']);
  });

  it('exports in bulk only encrypted to the client’s key (JWE)', async () => {
    const a = await agreement(s, { fields: ['name', 'tags'], placeIds: [w.c1.id] });
    const none = await signedCall(t.app, s.client.key, 'POST', `${R}/export`, { agreementId: a });
    expect(none.json.code).toBe('exchange.no_encryption_key');
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519' });
    const jwk = await exportJWK(publicKey);
    const set = await s.officer.put(`/api/v1/exchange/clients/${s.client.id}/encryption-key`, { encryptionKey: jwk });
    expect(set.status, set.body).toBe(200);
    const r = await signedCall(t.app, s.client.key, 'POST', `${R}/export`, { agreementId: a });
    expect(r.status, r.body).toBe(200);
    expect(r.body).not.toContain('李桂芳');
    const plain = JSON.parse(new TextDecoder().decode((await compactDecrypt(r.json.jwe, privateKey)).plaintext));
    expect(plain.items.map((i: { record: { name: string } }) => i.record.name)).toContain('李桂芳');
    expect(Object.keys(plain.items[0].record).sort()).toEqual(['name', 'tags']);
  });

  it('refuses keys that were rotated out or revoked', async () => {
    const a = await agreement(s, { fields: ['name'], placeIds: [w.c1.id] });
    const { newKeyPair } = await import('./exchange.fixtures.js');
    const next = newKeyPair();
    const rotated = await s.officer.post(`/api/v1/exchange/clients/${s.client.id}/keys`, { publicKey: next.publicKey });
    expect(rotated.status, rotated.body).toBe(200);
    const old = await lookup(a, inside.idNumber);
    expect(old.json.code).toBe('exchange.signature_unknown_key');
    s.client.key = next;
    expect((await lookup(a, inside.idNumber)).status).toBe(200);
    await s.officer.post(`/api/v1/exchange/clients/${s.client.id}/keys/${next.keyId}/revoke`, {});
    expect((await lookup(a, inside.idNumber)).json.code).toBe('exchange.signature_unknown_key');
  });
});
