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
import { defineEvent } from '../events/index.js';
import { registerMessages, t, type Lang } from '../http/i18n.js';

/**
 * A notification is stored as message codes with their parameters and rendered in the reader's
 * language when it is read (the list route and the live stream use the request's language).
 * `code` is the title's catalog code, `bodyCode` the body's (default `notify.text`, which shows
 * `params.text` as it is: user content such as a work order's title). Every code must be
 * registered (zh-CN and en) in the sending module's messages.
 */
export interface NotificationInput {
  kind: string;
  code: string;
  bodyCode?: string;
  params?: NotificationParams;
  link?: string;
}

/** A parameter may be given in both languages (`{ zh, en }`, e.g. a service's two names): the reader's is shown. */
export type NotificationParams = Record<string, string | number | null | { zh: string; en: string }>;

function paramsIn(lang: Lang, p: NotificationParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) out[k] = v && typeof v === 'object' ? (lang === 'en' ? v.en : v.zh) : v;
  return out;
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

/** A notification as stored and pushed: codes and parameters, rendered per reader. */
export interface StoredNotification {
  id: string;
  kind: string;
  /** null for rows written before messages were stored as codes (their title/body are shown as they are) */
  code: string | null;
  bodyCode: string | null;
  params: NotificationParams;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationCreated {
  userId: string;
  notification: StoredNotification;
}

export const NOTIFY_CREATED = defineEvent<NotificationCreated>('notify.created');

registerMessages({
  'notify.text': { zh: '{text}', en: '{text}' },
});

function parseParams(v: string | null | undefined): NotificationParams {
  if (!v) return {};
  try {
    const p = JSON.parse(v) as unknown;
    return p && typeof p === 'object' && !Array.isArray(p) ? (p as NotificationParams) : {};
  } catch {
    return {};
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toStored(r: any): StoredNotification {
  return {
    id: r.id,
    kind: r.kind,
    code: r.code ?? null,
    bodyCode: r.body_code ?? null,
    params: parseParams(r.params),
    title: r.title,
    body: r.body,
    link: r.link ?? null,
    createdAt: r.created_at,
    readAt: r.read_at ?? null,
  };
}

/** The notification in the reader's language (rows without a code keep the text they were written with). */
export function renderNotification(n: StoredNotification, lang: Lang): NotificationItem {
  const params = paramsIn(lang, n.params);
  const title = n.code ? t(lang, n.code, params) : n.title;
  const body = n.code ? t(lang, n.bodyCode ?? 'notify.text', params) : n.body;
  return { id: n.id, kind: n.kind, title, body, link: n.link, createdAt: n.createdAt, readAt: n.readAt };
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
    for (let i = 0; i < rows.length; i += 500)
      await this.db
        .insertInto('notifications')
        .values(rows.slice(i, i + 500))
        .execute();
    for (const r of rows) {
      await this.events.publish(NOTIFY_CREATED, { userId: r.user_id, notification: toStored(r) });
    }
  }

  /**
   * Notifications as part of the caller's transaction (they exist exactly when the change does);
   * their live pushes go through the outbox (relay the returned ids after the commit, or run the
   * transaction with `k.outbox.transaction`, which does).
   */
  async sendIn(trx: Tx, userIds: string[], n: NotificationInput): Promise<string[]> {
    const rows = this.rows(userIds, n);
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('notifications')
        .values(rows.slice(i, i + 500))
        .execute();
    const ids: string[] = [];
    for (const r of rows) ids.push(await this.outbox.add(trx, NOTIFY_CREATED, { userId: r.user_id, notification: toStored(r) }));
    return ids;
  }

  private rows(userIds: string[], n: NotificationInput) {
    const users = [...new Set(userIds)];
    const createdAt = iso(this.clock.now());
    // title/body keep a zh-CN rendering for whoever reads the table directly; readers get the codes rendered
    const zh = renderNotification(
      {
        id: '',
        kind: n.kind,
        code: n.code,
        bodyCode: n.bodyCode ?? null,
        params: n.params ?? {},
        title: '',
        body: '',
        link: null,
        createdAt: '',
        readAt: null,
      },
      'zh-CN',
    );
    const { title, body } = zh;
    return users.map((userId) => ({
      id: newId('ntf'),
      user_id: userId,
      kind: n.kind,
      code: n.code,
      body_code: n.bodyCode ?? null,
      params: JSON.stringify(n.params ?? {}),
      title,
      body,
      link: n.link ?? null,
      created_at: createdAt,
      read_at: null,
    }));
  }

  /** The user's notifications, newest first, in `lang` (default zh-CN). */
  async list(userId: string, opts: { unreadOnly?: boolean; limit?: number; lang?: Lang } = {}): Promise<{ items: NotificationItem[]; unread: number }> {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), 200);
    let q = this.db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (opts.unreadOnly) q = q.where('read_at', 'is', null);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return { items: rows.map((r) => renderNotification(toStored(r), opts.lang ?? 'zh-CN')), unread: await this.unreadCount(userId) };
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
    let q = this.db
      .updateTable('notifications')
      .set({ read_at: iso(this.clock.now()) })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
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
      return k.notify.list(actor.userId, { unreadOnly: q.unreadOnly, limit: q.limit, lang: req.lang ?? 'zh-CN' });
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
    {
      config: { auth: 'user', rawResponse: true },
      schema: { tags: ['notifications'], summary: 'Live notifications (Server-Sent Events)', produces: ['text/event-stream'] },
    },
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
      // rendered in the language of the request that opened the stream
      const lang = req.lang ?? 'zh-CN';
      const off = k.events.subscribe(NOTIFY_CREATED, (e) => {
        if (e.payload.userId !== actor.userId) return;
        const n = renderNotification(e.payload.notification, lang);
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
