import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../test/db.js';
import { migrate } from '../db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { FixedClock } from '../clock.js';
import { createEventBus, defineEvent, type EventBus } from '../events/index.js';
import { Outbox } from '../events/outbox.js';
import { Authz, type Actor } from '../authz/index.js';
import { installAuth } from '../http/auth.js';
import { installErrorHandling } from '../http/errors.js';
import { Vault } from '../vault/index.js';
import type { Kernel } from '../index.js';
import { registerMessages } from '../http/i18n.js';
import { Notifications, OutboxSms, listOutbox, registerNotificationRoutes, NOTIFY_CREATED } from './index.js';

const log = pino({ level: 'silent' });

registerMessages({
  'test.notify.title': { zh: '{title}', en: '{title}' },
  'test.notify.body': { zh: '{body}', en: '{body}' },
  'test.notify.repair': { zh: '报修 {number} 已受理', en: 'Repair {number} accepted' },
  'test.notify.repair_body': { zh: '师傅{when}到', en: 'The technician comes {when}' },
});

/** A notification whose title and body are given texts (the same in both languages). */
const msg = (title: string, body: string) => ({ code: 'test.notify.title', bodyCode: 'test.notify.body', params: { title, body } });

function actor(userId: string): Actor {
  return { userId, kind: 'resident', name: userId, grants: [], residentId: null, sessionId: null, via: 'token' };
}

/** A minimal app: the real auth gate and error handling, with a resolver trusting a test header. */
async function testApp(k: Kernel): Promise<FastifyInstance> {
  // forceCloseConnections: fetch (undici) may hold a spare idle socket that would delay close()
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  installErrorHandling(app);
  installAuth(app, new Authz(), () => async (req) => {
    const u = req.headers['x-test-user'];
    return typeof u === 'string' ? { actor: actor(u), csrfToken: null } : null;
  });
  registerNotificationRoutes(app, k);
  await app.ready();
  return app;
}

describeEachDialect('Notifications', (dialect) => {
  let tdb: TestDatabase;
  let clock: FixedClock;
  let events: EventBus;
  let notify: Notifications;
  let outbox: Outbox;

  beforeEach(async () => {
    tdb = await createTestDatabase(dialect);
    await migrate(tdb.database, migrations);
    clock = new FixedClock(new Date('2025-03-01T08:00:00Z'));
    events = await createEventBus({ natsUrl: null, nodeId: 'n1', log });
    outbox = new Outbox(tdb.database.db, events, clock, log);
    notify = new Notifications(tdb.database.db, clock, events, outbox);
  });
  afterEach(async () => {
    await events.close();
    await tdb.drop();
  });

  it('sendIn: the notifications exist exactly when the transaction commits, and are pushed once relayed', async () => {
    const seen: { userId: string }[] = [];
    events.subscribe<{ userId: string }>(NOTIFY_CREATED, (e) => void seen.push(e.payload));
    const db = tdb.database.db;
    await expect(
      db.transaction().execute(async (trx) => {
        await notify.sendIn(trx, ['usr_a'], { kind: 'alarm', ...msg('回滚', 'x') });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await notify.list('usr_a')).items).toEqual([]);
    let ids: string[] = [];
    await db.transaction().execute(async (trx) => {
      ids = await notify.sendIn(trx, ['usr_a', 'usr_b', 'usr_a'], { kind: 'alarm', ...msg('严重告警', '1号泵'), link: '/alarms/1' });
    });
    expect(ids).toHaveLength(2);
    // a marker published now arrives after any push the commit would have made
    let marked = false;
    const MARKER = defineEvent<Record<string, never>>('test.marker');
    events.subscribe(MARKER, () => void (marked = true));
    await events.publish(MARKER, {});
    await vi.waitFor(() => expect(marked).toBe(true));
    expect(seen).toEqual([]); // committed, not relayed yet
    await outbox.relay(ids);
    await vi.waitFor(() => expect(seen.map((x) => x.userId).sort()).toEqual(['usr_a', 'usr_b']));
    expect((await notify.list('usr_a')).items.map((x) => x.title)).toEqual(['严重告警']);
    expect(await db.selectFrom('event_outbox').selectAll().execute()).toEqual([]);
    // the same through outbox.transaction: pushed after the commit, nothing for a rollback
    await expect(
      outbox.transaction(async (trx) => {
        await notify.sendIn(trx, ['usr_b'], { kind: 'alarm', ...msg('回滚', 'x') });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await outbox.transaction((trx) => notify.sendIn(trx, ['usr_b'], { kind: 'alarm', ...msg('已恢复', 'y') }));
    await vi.waitFor(() => expect(seen.map((x) => x.userId).sort()).toEqual(['usr_a', 'usr_b', 'usr_b']));
    expect((await notify.list('usr_b')).items.map((x) => x.title)).toEqual(['已恢复', '严重告警']);
    expect(await db.selectFrom('event_outbox').selectAll().execute()).toEqual([]);
  });

  it('send → list → unread count → markRead, per user', async () => {
    const seen: unknown[] = [];
    events.subscribe(NOTIFY_CREATED, (e) => void seen.push(e.payload));
    await notify.send(['usr_a', 'usr_b'], { kind: 'notice', ...msg('停水通知', '明天 9:00-12:00 停水'), link: '/notices/1' });
    clock.advance(1000);
    await notify.send(['usr_a'], { kind: 'bill', ...msg('账单', '三月物业费') });

    const a = await notify.list('usr_a');
    expect(a.unread).toBe(2);
    expect(a.items.map((i) => i.title)).toEqual(['账单', '停水通知']); // newest first
    expect(a.items[0]).toMatchObject({ kind: 'bill', link: null, readAt: null, createdAt: '2025-03-01T08:00:01.000Z' });
    expect(a.items[1]).toMatchObject({ link: '/notices/1', createdAt: '2025-03-01T08:00:00.000Z' });
    expect(a.items[0].id).toMatch(/^ntf_/);
    expect((await notify.list('usr_b')).unread).toBe(1);
    expect((await notify.list('usr_a', { limit: 1 })).items).toHaveLength(1);

    clock.advance(1000);
    await notify.markRead('usr_a', [a.items[1].id]);
    await notify.markRead('usr_b', [a.items[0].id]); // someone else's id: no effect
    const after = await notify.list('usr_a');
    expect(after.unread).toBe(1);
    expect(after.items.find((i) => i.id === a.items[1].id)?.readAt).toBe('2025-03-01T08:00:02.000Z');
    expect((await notify.list('usr_a', { unreadOnly: true })).items.map((i) => i.title)).toEqual(['账单']);

    await notify.markRead('usr_a', 'all');
    expect((await notify.list('usr_a')).unread).toBe(0);
    expect((await notify.list('usr_b')).unread).toBe(1);

    await vi.waitFor(() => expect(seen).toHaveLength(3));
    expect(seen).toContainEqual({ userId: 'usr_b', notification: expect.objectContaining({ title: '停水通知' }) });
  });

  it("HTTP: the list is in the reader's language; rows written before codes keep their text", async () => {
    const k = { notify, events } as unknown as Kernel;
    const app = await testApp(k);
    try {
      await tdb.database.db
        .insertInto('notifications')
        .values({
          id: 'ntf_old',
          user_id: 'usr_a',
          kind: 'notice',
          title: '旧通知',
          body: '旧正文',
          link: null,
          created_at: '2025-01-01T00:00:00.000Z',
          read_at: null,
        })
        .execute();
      await notify.send(['usr_a'], {
        kind: 'repair',
        code: 'test.notify.repair',
        bodyCode: 'test.notify.repair_body',
        params: { number: 'WO-1', when: { zh: '下午', en: 'this afternoon' } },
      });
      const h = { 'x-test-user': 'usr_a' };
      const en = (await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { ...h, 'accept-language': 'en-US,en;q=0.9' } })).json();
      expect(en.items.map((i: any) => [i.title, i.body])).toEqual([
        ['Repair WO-1 accepted', 'The technician comes this afternoon'],
        ['旧通知', '旧正文'],
      ]);
      const zh = (await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { ...h, 'accept-language': 'zh-CN' } })).json();
      expect(zh.items.map((i: any) => [i.title, i.body])).toEqual([
        ['报修 WO-1 已受理', '师傅下午到'],
        ['旧通知', '旧正文'],
      ]);
    } finally {
      await app.close();
    }
  });

  it('HTTP: list and mark read, signed in only, bodies validated', async () => {
    const k = { notify, events } as unknown as Kernel;
    const app = await testApp(k);
    try {
      await notify.send(['usr_a'], { kind: 'notice', ...msg('t1', 'b1') });
      await notify.send(['usr_a'], { kind: 'notice', ...msg('t2', 'b2') });
      expect((await app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);

      const h = { 'x-test-user': 'usr_a' };
      const list = await app.inject({ method: 'GET', url: '/api/v1/notifications?limit=10&unreadOnly=true', headers: h });
      expect(list.statusCode).toBe(200);
      const body = list.json();
      expect(body.unread).toBe(2);
      expect(body.items).toHaveLength(2);

      const bad = await app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers: h, payload: { ids: [], extra: 1 } });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().errors[0]).toMatchObject({ field: 'extra', code: 'validation.unknown_field' });

      const one = await app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers: h, payload: { ids: [body.items[0].id] } });
      expect(one.json()).toEqual({ unread: 1 });
      const all = await app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers: h, payload: { all: true } });
      expect(all.json()).toEqual({ unread: 0 });
    } finally {
      await app.close();
    }
  });

  it('SSE: the signed-in user receives their new notifications live', async () => {
    // count live subscriptions, to see the stream unsubscribe when the client goes away
    let live = 0;
    const counted: EventBus = {
      publish: (n, p) => events.publish(n, p),
      subscribe: (n, h, o) => {
        live++;
        const off = events.subscribe(n, h, o);
        return () => {
          live--;
          off();
        };
      },
      close: () => events.close(),
    };
    const k = { notify, events: counted } as unknown as Kernel;
    const app = await testApp(k);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const ac = new AbortController();
    try {
      const anon = await fetch(`${base}/api/v1/notifications/stream`);
      expect(anon.status).toBe(401);
      await anon.body?.cancel();

      // an English reader: the stream renders each notification in the language it was opened with
      const res = await fetch(`${base}/api/v1/notifications/stream?lang=en`, { headers: { 'x-test-user': 'usr_a' }, signal: ac.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      const nextEvent = async (): Promise<{ event: string; data: any }> => {
        for (;;) {
          const i = buf.indexOf('\n\n');
          if (i !== -1) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const lines = block.split('\n');
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
            if (event) return { event, data: data ? JSON.parse(data) : null };
            continue; // a comment (heartbeat)
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buf += value;
        }
      };

      expect(await nextEvent()).toEqual({ event: 'ready', data: { userId: 'usr_a' } });
      expect(live).toBe(1);
      await notify.send(['usr_b'], { kind: 'notice', ...msg('not for a', '-') });
      await notify.send(['usr_a'], {
        kind: 'repair',
        code: 'test.notify.repair',
        bodyCode: 'test.notify.repair_body',
        params: { number: 'WO-9', when: { zh: '下午', en: 'this afternoon' } },
        link: '/repairs/9',
      });
      const e = await nextEvent();
      expect(e.event).toBe('notification');
      expect(e.data).toMatchObject({
        kind: 'repair',
        title: 'Repair WO-9 accepted',
        body: 'The technician comes this afternoon',
        link: '/repairs/9',
        readAt: null,
      });
      expect(e.data.id).toMatch(/^ntf_/);

      // closing the browser side unsubscribes (the bus is idle again)
      ac.abort();
      await vi.waitFor(() => expect(live).toBe(0));
    } finally {
      ac.abort();
      await app.close(); // does not hang on open streams
    }
  });
});

describe('notification stream shutdown', () => {
  it('closing the server ends open streams instead of waiting for the clients', async () => {
    const events = await createEventBus({ natsUrl: null, nodeId: 'n1', log });
    const app = await testApp({ events, notify: null } as unknown as Kernel);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/api/v1/notifications/stream`, { headers: { 'x-test-user': 'usr_a' } });
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ready');
    const t0 = Date.now();
    await app.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    for (;;) if ((await reader.read()).done) break; // the server ended the stream
    await events.close();
  });
});

describeEachDialect('OutboxSms', (dialect) => {
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await createTestDatabase(dialect);
    await migrate(tdb.database, migrations);
  });
  afterEach(async () => {
    await tdb.drop();
  });

  it('keeps the text in the outbox and logs it with the phone masked', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const vault = new Vault({ active: 'k1', keys: new Map([['k1', crypto.randomBytes(32)]]), indexKey: crypto.randomBytes(32) });
    const clock = new FixedClock(new Date('2025-03-01T08:00:00Z'));
    const sms = new OutboxSms(tdb.database.db, clock, vault, logger);

    const r = await sms.send('13812345678', '【邻里】验证码 482913，5 分钟内有效');
    expect(r.delivered).toBe(false);
    expect(r.outboxId).toMatch(/^sms_/);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SMS NOT SENT (no provider configured)');
    expect(lines[0]).toContain('138****5678');
    expect(lines[0]).not.toContain('13812345678');

    const row = await tdb.database.db.selectFrom('sms_outbox').selectAll().where('id', '=', r.outboxId!).executeTakeFirstOrThrow();
    expect(row.to_phone_masked).toBe('138****5678');
    expect(row.to_phone_enc).not.toContain('13812345678');
    expect(vault.decrypt(row.to_phone_enc)).toBe('13812345678');

    clock.advance(1000);
    await sms.send('13900001111', 'second');
    const out = await listOutbox(tdb.database.db, 10);
    expect(out.map((o) => o.text)).toEqual(['second', '【邻里】验证码 482913，5 分钟内有效']);
    expect(out[1]).toEqual({
      id: r.outboxId,
      toPhoneMasked: '138****5678',
      text: '【邻里】验证码 482913，5 分钟内有效',
      createdAt: '2025-03-01T08:00:00.000Z',
    });
    expect(JSON.stringify(out)).not.toContain('13812345678');
    expect(await listOutbox(tdb.database.db, 1)).toHaveLength(1);
  });
});
