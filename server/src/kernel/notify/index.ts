// In-app notifications (stored per user, pushed live over Server-Sent Events through the
// event bus, so a notification created on any node reaches the browser connected to any
// other) and the SMS sender. There is no SMS provider: OutboxSms logs the message (phone
// masked) and keeps it in sms_outbox, which platform admins can read for the demo.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/index.js';
import type { Outbox } from '../events/outbox.js';
import { iso, type Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { EventBus } from '../events/index.js';
import { maskPhone, type Vault } from '../vault/index.js';
import { requireActor } from '../http/auth.js';

export interface NotificationInput {
  kind: string;
  title: string;
  body: string;
  link?: string;
}

export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationCreated {
  userId: string;
  notification: NotificationItem;
}

export const NOTIFY_CREATED = 'notify.created';

function toItem(r: any): NotificationItem {
  return { id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link ?? null, createdAt: r.created_at, readAt: r.read_at ?? null };
}

export class Notifications {
  constructor(
    private db: Db,
    private clock: Clock,
    private events: EventBus,
    private outbox: Outbox,
  ) {}

  async send(userIds: string[], n: NotificationInput): Promise<void> {
    const rows = this.rows(userIds, n);
    // chunked: SQLite allows at most 32766 bound parameters per statement
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto('notifications').values(rows.slice(i, i + 500)).execute();
    for (const r of rows) {
      await this.events.publish<NotificationCreated>(NOTIFY_CREATED, { userId: r.user_id, notification: toItem(r) });
    }
  }

  /**
   * Notifications as part of the caller's transaction (they exist exactly when the change does);
   * their live pushes go through the outbox (relay the returned ids after the commit, or run the
   * transaction with `k.outbox.transaction`, which does).
   */
  async sendIn(trx: Tx, userIds: string[], n: NotificationInput): Promise<string[]> {
    const rows = this.rows(userIds, n);
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('notifications').values(rows.slice(i, i + 500)).execute();
    const ids: string[] = [];
    for (const r of rows) ids.push(await this.outbox.add<NotificationCreated>(trx, NOTIFY_CREATED, { userId: r.user_id, notification: toItem(r) }));
    return ids;
  }

  private rows(userIds: string[], n: NotificationInput) {
    const users = [...new Set(userIds)];
    const createdAt = iso(this.clock.now());
    return users.map((userId) => ({
      id: newId('ntf'),
      user_id: userId,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link ?? null,
      created_at: createdAt,
      read_at: null,
    }));
  }

  async list(userId: string, opts: { unreadOnly?: boolean; limit?: number } = {}): Promise<{ items: NotificationItem[]; unread: number }> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 200);
    let q = this.db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (opts.unreadOnly) q = q.where('read_at', 'is', null);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return { items: rows.map(toItem), unread: await this.unreadCount(userId) };
  }

  async unreadCount(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async markRead(userId: string, ids: string[] | 'all'): Promise<void> {
    if (ids !== 'all' && !ids.length) return;
    let q = this.db.updateTable('notifications').set({ read_at: iso(this.clock.now()) }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids !== 'all') q = q.where('id', 'in', ids);
    await q.execute();
  }
}

// ---- HTTP ----

const ListQuery = Type.Object(
  {
    unreadOnly: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  // no additionalProperties: false here, the query may also carry ?lang=
);
const ReadBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 500 })),
    all: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Item = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  readAt: Type.Union([Type.String(), Type.Null()]),
});
const ListResponse = Type.Object({ items: Type.Array(Item), unread: Type.Integer() });
const ReadResponse = Type.Object({ unread: Type.Integer() });

/** Heartbeat comment interval of the SSE stream (proxies drop idle connections). */
export const SSE_HEARTBEAT_MS = 25_000;

/** Accepts any Fastify instance (whatever its logger and type provider). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFastify = FastifyInstance<any, any, any, any, any>;

/** The parts of the kernel the notification routes use (not the whole Kernel: that would import this file back). */
export interface NotificationRouteDeps {
  notify: Notifications;
  events: EventBus;
}

export function registerNotificationRoutes(app: AnyFastify, k: NotificationRouteDeps): void {
  app.get(
    '/api/v1/notifications',
    {
      config: { auth: 'user' },
      schema: { tags: ['notifications'], summary: 'My notifications', querystring: ListQuery, response: { 200: ListResponse } },
    },
    async (req) => {
      const actor = requireActor(req);
      const q = req.query as Static<typeof ListQuery>;
      return k.notify.list(actor.userId, { unreadOnly: q.unreadOnly, limit: q.limit });
    },
  );

  app.post(
    '/api/v1/notifications/read',
    {
      config: { auth: 'user' },
      schema: { tags: ['notifications'], summary: 'Mark notifications read', body: ReadBody, response: { 200: ReadResponse } },
    },
    async (req) => {
      const actor = requireActor(req);
      const b = (req.body ?? {}) as Static<typeof ReadBody>;
      await k.notify.markRead(actor.userId, b.all ? 'all' : (b.ids ?? []));
      return { unread: await k.notify.unreadCount(actor.userId) };
    },
  );

  // Open streams, ended before the server closes (an open SSE response would hold close() up).
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.get(
    '/api/v1/notifications/stream',
    { config: { auth: 'user' }, schema: { tags: ['notifications'], summary: 'Live notifications (Server-Sent Events)' } },
    async (req, reply) => {
      const actor = requireActor(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // the stream is the connection's last response: when it ends, the socket closes
        // (a kept-alive socket would hold up server.close() until the client drops it)
        connection: 'close',
        'x-accel-buffering': 'no', // nginx: do not buffer the stream
      });
      const write = (chunk: string) => {
        if (!res.writableEnded && !res.destroyed) res.write(chunk);
      };
      write(`retry: 5000\nevent: ready\ndata: ${JSON.stringify({ userId: actor.userId })}\n\n`);
      const off = k.events.subscribe<NotificationCreated>(NOTIFY_CREATED, (e) => {
        if (e.payload.userId !== actor.userId) return;
        const n = e.payload.notification;
        write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
      });
      const heartbeat = setInterval(() => write(`: heartbeat\n\n`), SSE_HEARTBEAT_MS);
      heartbeat.unref();
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        off();
        clearInterval(heartbeat);
        streams.delete(end);
        if (!res.writableEnded) res.end();
      };
      streams.add(end);
      req.raw.on('close', end);
      res.on('close', end);
      res.on('error', end);
    },
  );
}

// ---- SMS ----

export interface SmsSender {
  send(phone: string, text: string): Promise<{ delivered: boolean; outboxId?: string }>;
}

export interface OutboxEntry {
  id: string;
  toPhoneMasked: string;
  text: string;
  createdAt: string;
}

export class OutboxSms implements SmsSender {
  constructor(
    private db: Db,
    private clock: Clock,
    private vault: Vault,
    private log: Logger,
  ) {}

  async send(phone: string, text: string): Promise<{ delivered: boolean; outboxId?: string }> {
    const id = newId('sms');
    const masked = maskPhone(phone);
    await this.db
      .insertInto('sms_outbox')
      .values({ id, to_phone_masked: masked, to_phone_enc: this.vault.encrypt(phone), text, created_at: iso(this.clock.now()) })
      .execute();
    // never the plaintext phone in the log
    this.log.warn({ outboxId: id, to: masked, text }, 'SMS NOT SENT (no provider configured); kept in the SMS outbox');
    return { delivered: false, outboxId: id };
  }
}

export async function listOutbox(db: Db, limit = 50): Promise<OutboxEntry[]> {
  const rows = await db
    .selectFrom('sms_outbox')
    .select(['id', 'to_phone_masked', 'text', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(Math.trunc(limit), 1), 500))
    .execute();
  return rows.map((r) => ({ id: r.id, toPhoneMasked: r.to_phone_masked, text: r.text, createdAt: r.created_at }));
}
