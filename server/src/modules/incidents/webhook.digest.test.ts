// HTTP Digest (RFC 7616) on the camera webhooks, through the real HTTP app: a caller without
// credentials gets both challenges, a camera answering the Digest challenge with its credential
// is let in, and wrong passwords, expired nonces and replayed nonce-counts are refused.
import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login } from '../../test/session.js';
import { buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { buildCamera, hikXml, post } from './incidents.fixtures.js';

const T0 = new Date('2026-11-25T02:00:00.000Z');
const HIK = '/api/v1/incidents/camera-events/hikvision';
const HOOK = '/api/v1/incidents/camera-events';
const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');

const challenges = (h: string | string[] | undefined) => (Array.isArray(h) ? h : h ? [h] : []);
const param = (challenge: string, name: string) => new RegExp(`${name}="?([^",]*)"?`).exec(challenge)?.[1];

/** What a camera's HTTP client computes from a Digest challenge (RFC 7616 §3.4, MD5, qop=auth). */
function answer(challenge: string, user: string, password: string, o: { method?: string; uri: string; nc?: number; cnonce?: string }) {
  const realm = param(challenge, 'realm')!;
  const nonce = param(challenge, 'nonce')!;
  const nc = (o.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = o.cnonce ?? crypto.randomBytes(8).toString('hex');
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${o.method ?? 'POST'}:${o.uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${o.uri}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${param(challenge, 'opaque')}"`;
}

describeEachDialect('camera webhook digest sign-in', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(T0);
  let cam: { id: string; secret: string };
  let n = 0;
  const xml = () => hikXml({ type: 'VMD', mac: null, at: clock.now().toISOString(), count: ++n });
  const challenge = async () => {
    const r = await post(t.app, HIK, null, xml(), 'application/xml');
    return challenges(r.headers['www-authenticate'])[0];
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    cam = await buildCamera(t.kernel, w.estate1.id, '地库摄像头');
  });
  afterAll(async () => t?.close());

  it('answers a request without credentials with a Digest and a Basic challenge', async () => {
    const r = await post(t.app, HIK, null, xml(), 'application/xml');
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const [digest, basic] = challenges(r.headers['www-authenticate']);
    expect(digest).toMatch(/^Digest realm="Linli", qop="auth", algorithm=MD5, nonce="[^"]+", opaque="[^"]+"$/);
    expect(basic).toBe('Basic realm="Linli", charset="UTF-8"');
    // a wrong Basic password gets the challenges too
    const wrong = await post(t.app, HOOK, 'Basic ' + Buffer.from(`${cam.id}:nope`).toString('base64'), '{}');
    expect(wrong.status).toBe(401);
    expect(challenges(wrong.headers['www-authenticate'])).toHaveLength(2);
  });

  it('lets in a camera answering the challenge with its credential, on both webhooks, nonce-counts going up', async () => {
    const c = await challenge();
    const ok = await post(t.app, HIK, answer(c, cam.id, cam.secret, { uri: HIK, nc: 1 }), xml(), 'application/xml');
    expect(ok.status, ok.body).toBe(201);
    expect(ok.json.incidentId).toMatch(/^inc_/);
    const next = await post(t.app, HIK, answer(c, cam.id, cam.secret, { uri: HIK, nc: 2 }), xml(), 'application/xml');
    expect(next.status, next.body).toBe(201);
    const json = await post(t.app, HOOK, answer(c, cam.id, cam.secret, { uri: HOOK, nc: 3 }), JSON.stringify({ eventId: 'dg-1', kind: 'loitering' }));
    expect(json.status, json.body).toBe(201);
  });

  it('refuses a wrong password, a replayed nonce-count, another URI, a forged nonce and an expired nonce', async () => {
    const c = await challenge();
    const wrong = await post(t.app, HIK, answer(c, cam.id, 'not-the-secret', { uri: HIK }), xml(), 'application/xml');
    expect(wrong.status).toBe(401);
    expect(challenges(wrong.headers['www-authenticate'])[0]).not.toContain('stale=true');

    const first = answer(c, cam.id, cam.secret, { uri: HIK, nc: 1, cnonce: 'abc' });
    expect((await post(t.app, HIK, first, xml(), 'application/xml')).status).toBe(201);
    expect((await post(t.app, HIK, first, xml(), 'application/xml')).status).toBe(401); // the same request again
    expect((await post(t.app, HIK, answer(c, cam.id, cam.secret, { uri: HIK, nc: 1, cnonce: 'other' }), xml(), 'application/xml')).status).toBe(401);

    expect((await post(t.app, HIK, answer(c, cam.id, cam.secret, { uri: '/api/v1/other', nc: 5 }), xml(), 'application/xml')).status).toBe(401);
    const forged = c.replace(/nonce="([^".]+)\./, `nonce="${(T0.getTime() + 1).toString(36)}.`);
    expect((await post(t.app, HIK, answer(forged, cam.id, cam.secret, { uri: HIK }), xml(), 'application/xml')).status).toBe(401);

    clock.advance(6 * 60_000); // nonces live 5 minutes
    const stale = await post(t.app, HIK, answer(c, cam.id, cam.secret, { uri: HIK, nc: 9 }), xml(), 'application/xml');
    expect(stale.status).toBe(401);
    const fresh = challenges(stale.headers['www-authenticate'])[0];
    expect(fresh).toContain('stale=true');
    expect(param(fresh, 'nonce')).not.toBe(param(c, 'nonce'));
    const again = await post(t.app, HIK, answer(fresh, cam.id, cam.secret, { uri: HIK }), xml(), 'application/xml');
    expect(again.status, again.body).toBe(201);
  });

  it('signs in with the new secret only, after a rotation', async () => {
    await buildStaff(t.kernel, 'dg_pm', 'property_manager', w.c1);
    const pm = await login(t.app, 'dg_pm', PASSWORD);
    const rotated = await pm.req('POST', `/api/v1/devices/${cam.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const c = await challenge();
    expect((await post(t.app, HIK, answer(c, cam.id, cam.secret, { uri: HIK, nc: 1 }), xml(), 'application/xml')).status).toBe(401);
    expect((await post(t.app, HIK, answer(c, cam.id, rotated.json.secret, { uri: HIK, nc: 2 }), xml(), 'application/xml')).status).toBe(201);
  });
});
