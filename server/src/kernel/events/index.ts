// Domain events between modules and between nodes. Without NATS the bus is in-process (one
// node); with LINLI_NATS_URL every node shares the bus through NATS subjects `linli.ev.<name>`.
//   mode 'every' (default): every node receives the event (e.g. live push to browsers).
//   mode 'once': exactly one node of the cluster handles it (NATS queue group), for work
//   such as updating tables that must not happen twice.
// Names are dot-separated tokens; subscriptions may use NATS wildcards: `*` (one token) and
// `>` (one or more trailing tokens), e.g. `registry.resident.*`.
import type { Codec, NatsConnection, Subscription } from 'nats';
import { natsClient } from '../lazy.js';
import type { Logger } from 'pino';
import { newId } from '../ids.js';

declare const payloadType: unique symbol;
declare const defined: unique symbol;
/**
 * An event name that carries its payload type. The publisher defines each of its events once
 * (`<module>.events.ts`) and subscribers import the token, so the name and the payload type are
 * written in one place. A plain string is not a token: only defineEvent makes one, and publishing
 * (`publish`, `outbox.add`) takes nothing else, with the payload the token's type.
 */
export type EventToken<T> = string & { readonly [payloadType]?: T; readonly [defined]: true };

/** Define an event the module publishes: `export const X = defineEvent<Payload>('module.thing.happened')`. */
export function defineEvent<T>(name: string): EventToken<T> {
  validateName(name, false);
  return name as EventToken<T>;
}

/**
 * The token of an event recorded earlier under its name (the outbox's rows): it was a token when
 * it was recorded. Not for publishers, which import their `<module>.events.ts` tokens.
 */
export function recordedEvent(name: string): EventToken<unknown> {
  return name as EventToken<unknown>;
}

export interface DomainEvent<T = unknown> {
  id: string;
  name: string;
  at: string;
  origin: string;
  payload: T;
}

export type EventHandler<T> = (e: DomainEvent<T>) => void | Promise<void>;

export interface SubscribeOptions {
  mode?: 'once' | 'every';
  /** Queue group for mode 'once' (default: the subscribed name). */
  group?: string;
}

/** Set by the outbox, which publishes events recorded earlier under their own id and time. */
export interface PublishMeta {
  id?: string;
  at?: string;
}

export interface EventBus {
  /** `name` is the publisher's token; the payload must be of its type. */
  publish<T>(name: EventToken<T>, payload: NoInfer<T>, meta?: PublishMeta): Promise<void>;
  /**
   * `name` is the publisher's token (its payload type is the handler's), or a pattern with NATS
   * wildcards `*` and `>` over several events, whose payload type the subscriber states.
   */
  subscribe<T>(name: EventToken<T> | string, handler: EventHandler<T>, opts?: SubscribeOptions): () => void;
  close(): Promise<void>;
}

export const SUBJECT_PREFIX = 'linli.ev.';

/** NATS-style subject matching: `*` matches one token, `>` one or more trailing tokens. */
export function subjectMatches(pattern: string, name: string): boolean {
  const p = pattern.split('.');
  const n = name.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return n.length > i;
    if (i >= n.length) return false;
    if (p[i] !== '*' && p[i] !== n[i]) return false;
  }
  return p.length === n.length;
}

function validateName(name: string, allowWildcards: boolean): void {
  if (!name || /\s/.test(name) || name.split('.').some((t) => t === '')) throw new Error(`events: bad event name "${name}"`);
  if (!allowWildcards && /[*>]/.test(name)) throw new Error(`events: cannot publish to a wildcard name "${name}"`);
  const gt = name.indexOf('>');
  if (gt !== -1 && (gt !== name.length - 1 || (name.length > 1 && name[gt - 1] !== '.'))) {
    throw new Error(`events: ">" must be the last token in "${name}"`);
  }
}

/** Queue group of a 'once' subscription; wildcard characters are not used in queue names. */
export function queueGroup(name: string, group?: string): string {
  return `linli.${group ?? name}`.replace(/\*/g, '_any').replace(/>/g, '_all');
}

async function runHandler<T>(log: Logger, name: string, handler: EventHandler<T>, e: DomainEvent<T>): Promise<void> {
  try {
    await handler(e);
  } catch (err) {
    log.error({ err, event: e.name, eventId: e.id, subscription: name }, 'event handler failed');
  }
}

interface LocalSub {
  pattern: string;
  handler: EventHandler<any>;
  queue: string | null; // null = every
}

/** One-node bus: handlers run asynchronously after publish resolves. */
class LocalEventBus implements EventBus {
  private subs = new Set<LocalSub>();
  private rr = new Map<string, number>();
  private pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private nodeId: string,
    private log: Logger,
  ) {}

  async publish<T>(name: EventToken<T>, payload: NoInfer<T>, meta: PublishMeta = {}): Promise<void> {
    validateName(name, false);
    if (this.closed) throw new Error('events: bus is closed');
    const e: DomainEvent<T> = { id: meta.id ?? newId('evt'), name, at: meta.at ?? new Date().toISOString(), origin: this.nodeId, payload };
    const targets: LocalSub[] = [];
    const groups = new Map<string, LocalSub[]>();
    for (const s of this.subs) {
      if (!subjectMatches(s.pattern, name)) continue;
      if (s.queue === null) targets.push(s);
      else groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    // a queue group delivers to one member (round robin), as NATS does
    for (const [q, members] of groups) {
      const i = (this.rr.get(q) ?? 0) % members.length;
      this.rr.set(q, i + 1);
      targets.push(members[i]);
    }
    for (const s of targets) {
      // structuredClone: a handler must not see (or change) the publisher's object, as over NATS
      const copy: DomainEvent<T> = { ...e, payload: structuredClone(payload) };
      const p = new Promise<void>((resolve) => setImmediate(resolve)).then(() => runHandler(this.log, s.pattern, s.handler, copy));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }

  subscribe<T>(name: EventToken<T> | string, handler: EventHandler<T>, opts: SubscribeOptions = {}): () => void {
    validateName(name, true);
    const s: LocalSub = { pattern: name, handler, queue: opts.mode === 'once' ? queueGroup(name, opts.group) : null };
    this.subs.add(s);
    return () => {
      this.subs.delete(s);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    await Promise.all([...this.pending]);
  }
}

let jsonCodec: Codec<DomainEvent<unknown>> | null = null;
const codec = () => (jsonCodec ??= natsClient().JSONCodec<DomainEvent<unknown>>());

class NatsEventBus implements EventBus {
  private subs = new Set<Subscription>();
  private pending = new Set<Promise<void>>();

  constructor(
    private nc: NatsConnection,
    private nodeId: string,
    private log: Logger,
  ) {}

  async publish<T>(name: EventToken<T>, payload: NoInfer<T>, meta: PublishMeta = {}): Promise<void> {
    validateName(name, false);
    const e: DomainEvent<T> = { id: meta.id ?? newId('evt'), name, at: meta.at ?? new Date().toISOString(), origin: this.nodeId, payload };
    this.nc.publish(SUBJECT_PREFIX + name, codec().encode(e));
    // resolve once the server has the message, so "published" means it left this node
    await this.nc.flush();
  }

  subscribe<T>(name: EventToken<T> | string, handler: EventHandler<T>, opts: SubscribeOptions = {}): () => void {
    validateName(name, true);
    const queue = opts.mode === 'once' ? queueGroup(name, opts.group) : undefined;
    const sub = this.nc.subscribe(SUBJECT_PREFIX + name, {
      queue,
      callback: (err, msg) => {
        if (err) {
          this.log.error({ err, subscription: name }, 'event subscription error');
          return;
        }
        let e: DomainEvent<T>;
        try {
          e = codec().decode(msg.data) as DomainEvent<T>;
        } catch (err2) {
          this.log.error({ err: err2, subject: msg.subject }, 'event: undecodable message');
          return;
        }
        const p = runHandler(this.log, name, handler, e);
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
      },
    });
    this.subs.add(sub);
    return () => {
      if (this.subs.delete(sub) && !sub.isClosed()) sub.unsubscribe();
    };
  }

  async close(): Promise<void> {
    this.subs.clear();
    if (!this.nc.isClosed()) await this.nc.drain();
    await Promise.all([...this.pending]);
  }
}

export async function createEventBus(opts: { natsUrl: string | null; nodeId: string; log: Logger }): Promise<EventBus> {
  if (!opts.natsUrl) return new LocalEventBus(opts.nodeId, opts.log);
  const nc = await natsClient().connect({ servers: opts.natsUrl, name: `linli-${opts.nodeId}`, maxReconnectAttempts: -1 });
  void nc.closed().then((err) => {
    if (err) opts.log.error({ err }, 'events: NATS connection closed with an error');
  });
  opts.log.info({ server: nc.getServer() }, 'events: connected to NATS');
  return new NatsEventBus(nc, opts.nodeId, opts.log);
}
