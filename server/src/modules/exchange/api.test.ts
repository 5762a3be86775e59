// The signed exchange API on both databases: agreed fields only, signatures and replay, volume,
// batch, change feed, the JWE export, and the resident seeing the read.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, describeEachDialect, type TestApp } from '../../test/harness.js';
import { buildResident, buildResidentUser, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { loginResident } from '../../test/session.js';
import { agreement, newKeyPair, setupParties, signedCall, type ExchangeSetup } from './exchange.fixtures.js';
import { REQUEST_HASH_HEADER, verifySignedResponse } from './signing.js';

const LOOKUP = '/api/v1/exchange/r1/residents/lookup';

describeEachDialect('exchange API', (dialect) => {
  let t: TestApp;
  let w: World;
  let s: ExchangeSetup;
  let welfare: string;
  let r1: Awaited<ReturnType<typeof buildResident>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    w = await buildWorld(t.kernel);
    s = await setupParties(t.app, t.kernel, w);
    r1 = await buildResident(t.kernel, w.house1, { name: '王秀兰', tags: ['low_income'] });
    welfare = await agreement(s, { fields: ['name', 'tags', 'address'], placeIds: [w.c1.id] });
  });
  afterAll(() => t?.close());

  it('answers a signed lookup with the agreed fields only, signed by the platform with the request hash', async () => {
    const res = await signedCall(t.app, s.client.key, 'POST', LOOKUP, { agreementId: welfare, idNumber: r1.idNumber });
    expect(res.status, res.body).toBe(200);
    expect(res.json.record).toEqual({ name: '王秀兰', tags: ['low_income'], address: expect.stringContaining('101') });
    expect(Object.keys(res.json.record).sort()).toEqual(['address', 'name', 'tags']);
    const keys = (await t.app.inject({ method: 'GET', url: '/api/v1/exchange/platform-keys' })).json().keys;
    expect(await verifySignedResponse({ status: res.status, headers: res.headers }, keys, res.body)).toBe(true);
    expect(res.headers[REQUEST_HASH_HEADER]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // a changed body no longer verifies
    expect(await verifySignedResponse({ status: res.status, headers: res.headers }, keys, res.body.replace('王秀兰', '王秀英'))).toBe(false);
  });

  it('shows the read to the resident in "who looked at my data"', async () => {
    await buildResidentUser(t.kernel, r1, w.c1);
    const me = await loginResident(t.app, r1.phone!, PASSWORD);
    const log = await me.get('/api/v1/me/access-log');
    const read = log.json.items.find((e: any) => e.action === 'exchange.record.read');
    expect(read.actorName).toContain('朝阳区民政局');
    expect(read.detail).toMatchObject({ agreementId: welfare, purpose: '最低生活保障对象年度复核', fields: ['name', 'tags', 'address'] });
  });

  it('refuses unsigned, forged, tampered, replayed and stale requests with problem+json', async () => {
    const body = { agreementId: welfare, idNumber: r1.idNumber };
    const unsigned = await t.app.inject({ method: 'POST', url: LOOKUP, payload: body });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.headers['content-type']).toContain('application/problem+json');
    expect(unsigned.json().code).toBe('exchange.signature_missing');

    const forger = newKeyPair();
    const forged = await signedCall(t.app, { keyId: s.client.key.keyId, privateKey: forger.privateKey }, 'POST', LOOKUP, body);
    expect([forged.status, forged.json.code]).toEqual([401, 'exchange.signature_invalid']);

    const tampered = await signedCall(t.app, s.client.key, 'POST', LOOKUP, body, { tamper: (b) => b.replace(welfare, welfare) + ' ' });
    expect([tampered.status, tampered.json.code]).toEqual([401, 'exchange.digest_mismatch']);

    const once = await signedCall(t.app, s.client.key, 'POST', LOOKUP, body, { nonce: 'fixed-nonce-0001' });
    expect(once.status).toBe(200);
    const again = await signedCall(t.app, s.client.key, 'POST', LOOKUP, body, { nonce: 'fixed-nonce-0001' });
    expect([again.status, again.json.code]).toEqual([401, 'exchange.replayed']);

    const stale = await signedCall(t.app, s.client.key, 'POST', LOOKUP, body, { created: new Date(Date.now() - 301_000) });
    expect([stale.status, stale.json.code]).toEqual([401, 'exchange.signature_stale']);

    const noDigest = await signedCall(t.app, s.client.key, 'POST', LOOKUP, body, { components: ['@method', '@target-uri'] });
    expect([noDigest.status, noDigest.json.code]).toEqual([401, 'exchange.signature_components']);

    const byPath = await signedCall(t.app, s.client.key, 'POST', LOOKUP, body, { components: ['@method', '@path', 'content-digest'] });
    expect(byPath.status).toBe(200);
  });
});
