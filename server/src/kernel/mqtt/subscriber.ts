// A client of an external MQTT broker (Mosquitto, EMQX) that takes a share of a stream through
// shared subscriptions (`$share/<group>/<filter>`), so N Linli nodes split it.
//
// Delivery: persistent session (clean: false, one stable client id per node), QoS 1, and a
// QoS 1 message is acknowledged only after `barrier()` resolved — the caller's "everything handed
// to onMessage so far is stored". A node killed with -9 therefore leaves every unstored message
// unacknowledged in its session, and the broker delivers it again when the node comes back (the
// store must be idempotent: a message may be stored and then delivered again).
//
// mqtt.js processes incoming packets one at a time and sends a PUBACK before it reads the next
// one, so delaying its PUBACK would store one message per flush. Written by hand (no library
// does deferred acknowledgements): the client's PUBACKs are held back and sent in batches after
// each barrier. This relies on mqtt.js 5's private `_sendPacket`; the test suite exercises it.
import type { Logger } from 'pino';
import type { IClientOptions, MqttClient } from 'mqtt';

export interface SharedSubscriberOptions {
  url: string;
  clientId: string;
  /** share group name: every node of a cluster uses the same one */
  group: string;
  /** topic filters (without the `$share/<group>/` prefix) */
  filters: string[];
  /** called for every message, QoS 0 and 1; must not throw (errors are logged) */
  onMessage(topic: string, payload: Buffer): void;
  /** resolves once everything passed to onMessage before the call is stored */
  barrier(): Promise<void>;
  log: Logger;
  /** how long acknowledgements may wait to be batched (ms, default 20) */
  ackDelayMs?: number;
  /** messages the broker may send before it gets acknowledgements (MQTT 5 Receive Maximum) */
  receiveMaximum?: number;
  /** reconnect backoff, ms (default 250 → 10,000, doubled with jitter) */
  minReconnectMs?: number;
  maxReconnectMs?: number;
  /** extra mqtt.js options (username/password come from the URL) */
  clientOptions?: Partial<IClientOptions>;
}

export interface SharedSubscriber {
  client: MqttClient;
  stats: { received: number; acked: number; reconnects: number; subscribed: number };
  /** resolves once subscribed (first time) */
  ready: Promise<void>;
  close(): Promise<void>;
}

interface PubAck {
  cmd: 'puback';
  messageId: number;
  reasonCode?: number;
}

export async function startSharedSubscriber(opts: SharedSubscriberOptions): Promise<SharedSubscriber> {
  const mqtt = await import('mqtt');
  const { log } = opts;
  const minMs = opts.minReconnectMs ?? 250;
  const maxMs = opts.maxReconnectMs ?? 10_000;
  const ackDelay = opts.ackDelayMs ?? 20;
  const stats = { received: 0, acked: 0, reconnects: 0, subscribed: 0 };
  const client = mqtt.connect(opts.url, {
    protocolVersion: 5,
    clientId: opts.clientId,
    clean: false,
    // keep the session while the node is down (seconds); the broker caps it by its own settings
    properties: { sessionExpiryInterval: 7 * 24 * 3600, receiveMaximum: opts.receiveMaximum ?? 1000 },
    reconnectPeriod: minMs,
    connectTimeout: 10_000,
    keepalive: 30,
    resubscribe: false, // subscribed on every connect below
    ...opts.clientOptions,
  });

  // ---- deferred acknowledgements -------------------------------------------------------------
  const sendPacket = (client as any)._sendPacket.bind(client) as (p: any, cb?: (e?: Error) => void) => void;
  let held: PubAck[] = [];
  let generation = 0; // connection count: acks of a closed connection are never sent on a new one
  let timer: NodeJS.Timeout | null = null;
  let flushing = false;
  let closed = false;

  (client as any)._sendPacket = (packet: any, cb?: (e?: Error) => void, ...rest: unknown[]) => {
    if (packet?.cmd === 'puback') {
      held.push(packet);
      scheduleAcks();
      cb?.(); // let mqtt.js read the next packet now
      return;
    }
    return (sendPacket as any)(packet, cb, ...rest);
  };

  function scheduleAcks() {
    if (timer || flushing) return;
    timer = setTimeout(releaseAcks, ackDelay);
  }

  async function releaseAcks() {
    timer = null;
    if (held.length === 0) return;
    flushing = true;
    const batch = held;
    const gen = generation;
    held = [];
    try {
      await opts.barrier();
      if (gen === generation && client.connected) {
        for (const p of batch) sendPacket(p);
        stats.acked += batch.length;
      }
      // else: the connection that received them is gone; the broker delivers them again
    } catch (err) {
      // nothing was stored for sure: leave the batch unacknowledged and reconnect, so the broker
      // delivers it again (the store is idempotent)
      log.error({ err }, 'mqtt: storing the ingest batch failed; reconnecting so the broker redelivers');
      if (gen === generation) (client as any).stream?.destroy();
    } finally {
      flushing = false;
      if (held.length && !closed) scheduleAcks();
    }
  }

  // ---- messages, subscription, backoff ------------------------------------------------------
  client.on('message', (topic, payload) => {
    stats.received++;
    try {
      opts.onMessage(topic, payload);
    } catch (err) {
      log.error({ err, topic }, 'mqtt: message handler failed');
    }
  });

  const shared = opts.filters.map((f) => `$share/${opts.group}/${f}`);
  let markReady: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  client.on('connect', (connack) => {
    generation++;
    held = []; // acks for the previous connection: the broker redelivers those messages
    client.options.reconnectPeriod = minMs;
    // subscribe every time: harmless when the broker kept the session, needed when it lost it
    client.subscribe(shared, { qos: 1 }, (err, granted) => {
      if (err) return log.error({ err }, 'mqtt: subscribe failed');
      const refused = (granted ?? []).filter((g) => g.qos > 2);
      if (refused.length) log.error({ refused }, 'mqtt: the broker refused a subscription');
      stats.subscribed++;
      log.info({ filters: shared, sessionPresent: connack.sessionPresent }, 'mqtt: subscribed');
      markReady();
    });
  });
  client.on('close', () => {
    generation++;
    if (closed) return;
    stats.reconnects++;
    // exponential backoff with jitter; mqtt.js reads reconnectPeriod each time it schedules
    const cur = client.options.reconnectPeriod ?? minMs;
    client.options.reconnectPeriod = Math.min(maxMs, Math.round(cur * 2 * (0.75 + Math.random() * 0.5)));
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'mqtt: broker connection error'));
  client.on('offline', () => log.warn('mqtt: broker offline, reconnecting'));

  return {
    client,
    stats,
    ready,
    async close() {
      // A graceful stop leaves the share group: unsubscribe (the broker then gives this node's
      // share to the others), store and acknowledge what arrived, and end the session. A node
      // that dies instead keeps its session, and gets its unacknowledged messages on restart.
      if (client.connected) {
        await client.unsubscribeAsync(shared).catch(() => {});
        await new Promise((r) => setTimeout(r, ackDelay));
      }
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      while (flushing) await new Promise((r) => setTimeout(r, 5));
      if (held.length && client.connected) await releaseAcks().catch(() => {});
      await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } }).catch(() => {});
    },
  };
}
