// Embedded MQTT broker (Aedes) for the single-machine default. When the port is taken (for
// example by a Mosquitto on the same machine) the app keeps running without it and says so.
//
// The broker itself knows no business rules: whoever starts it hands in hooks that decide who
// may connect (`authenticate`), what a client may publish (`authorizePublish`, which is also
// where the caller ingests the message in-process, without a network hop) and what it may
// subscribe to (`authorizeSubscribe`). Without hooks it is an open broker, as before.
//
// Linli's own in-process clients (a simulator, a downlink publisher) sign in as
// `internalUsername` with a random token generated at every start (`broker.internal`).
import net from 'node:net';
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Client } from 'aedes';

export interface BrokerIdentity {
  /** the MQTT username the client signed in with (for devices: the device id) */
  username: string;
  /** Linli's own internal client (signed in with the internal token): allowed everything */
  internal: boolean;
}

export interface BrokerPublish {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
}

/** What a publish hook decides: 'allow' routes the message on, 'drop' acknowledges it and
 * drops it silently, 'deny' refuses it (Aedes closes the connection, MQTT-3.3.5-2). */
export type PublishVerdict = 'allow' | 'drop' | 'deny';

/** What an authenticate hook decides at CONNECT: true lets the client in, false refuses it with
 * CONNACK 4 "bad user name or password", 'identifier-rejected' (right credentials, a client id
 * they may not use) with CONNACK 2. Either refusal comes before Aedes registers the client id,
 * so a client already connected under that id stays connected. */
export type AuthVerdict = boolean | 'identifier-rejected';

export interface BrokerHooks {
  /** username/password/client id check at CONNECT (see AuthVerdict) */
  authenticate?(username: string, password: string, clientId: string): Promise<AuthVerdict>;
  /** Called for every client PUBLISH before it is acknowledged. May return a promise: a QoS 1
   * PUBACK is sent only after it settles (use this to acknowledge only what is stored). */
  authorizePublish?(who: BrokerIdentity, packet: BrokerPublish): PublishVerdict | Promise<PublishVerdict>;
  /** may this client subscribe to this topic filter? */
  authorizeSubscribe?(who: BrokerIdentity, filter: string): boolean;
}

export interface EmbeddedBroker {
  port: number;
  /** credentials of Linli's own internal client on this broker (valid until restart) */
  internal: { username: string; password: string };
  /** Publish as the broker itself (in-process, no client connection); subscribers' ACLs were
   * checked when they subscribed. Resolves once routed. */
  publish(topic: string, payload: Buffer | string, opts?: { qos?: 0 | 1 }): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerOptions {
  hooks?: BrokerHooks;
}

export const internalUsername = '$linli-internal';

const identities = new WeakMap<Client, BrokerIdentity>();

function badCredentials(): Error & { returnCode: number } {
  return Object.assign(new Error('bad user name or password'), { returnCode: 4 });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export async function startEmbeddedBroker(port: number, host: string, log: Logger, opts: BrokerOptions = {}): Promise<EmbeddedBroker | null> {
  if (port === 0) {
    log.info('mqtt: embedded broker is off (LINLI_MQTT_PORT=0)');
    return null;
  }
  const hooks = opts.hooks ?? {};
  const internal = { username: internalUsername, password: crypto.randomBytes(32).toString('base64url') };
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker({
    // Aedes routes through mqemitter, which queues messages beyond `concurrency` (default 100)
    // deliveries in flight and drains that queue recursively: a burst from 10,000 devices
    // overflowed the stack and killed the process (seen in bench/ingest). Device clients bound
    // their own in-flight QoS 1 messages, so a high ceiling costs nothing and keeps the queue empty.
    concurrency: 100_000,
    authenticate(client, username, password, done) {
      const user = username ?? '';
      const pass = password ? password.toString('utf8') : '';
      if (user === internalUsername) {
        if (!safeEqual(pass, internal.password)) return done(badCredentials(), false);
        identities.set(client, { username: user, internal: true });
        return done(null, true);
      }
      if (!hooks.authenticate) {
        identities.set(client, { username: user, internal: false });
        return done(null, true);
      }
      hooks.authenticate(user, pass, client.id).then(
        (ok) => {
          if (ok === 'identifier-rejected') return done(Object.assign(new Error('identifier rejected'), { returnCode: 2 }), false);
          if (ok !== true) return done(badCredentials(), false);
          identities.set(client, { username: user, internal: false });
          done(null, true);
        },
        (err) => {
          log.error({ err }, 'mqtt: authentication failed with an error');
          done(Object.assign(new Error('server unavailable'), { returnCode: 3 }), false);
        },
      );
    },
    authorizePublish(client, packet, done) {
      // $SYS is the broker's own namespace (Aedes' default check, kept)
      if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS/ topic is reserved'));
      // a will left by a client no longer known to this broker: nobody to check it against
      if (!client) return done(hooks.authorizePublish ? new Error('will of an unknown client') : null);
      const who = identities.get(client) ?? { username: '', internal: false };
      if (who.internal || !hooks.authorizePublish) return done(null);
      const settle = (v: PublishVerdict) => {
        if (v === 'allow') return done(null);
        if (v === 'deny') return done(new Error(`not allowed to publish to ${packet.topic}`));
        // 'drop': acknowledged to the client, not routed. Aedes drops a packet whose topic it
        // cannot route, so strip it of subscribers by giving it a private topic.
        packet.topic = `$SYS/${aedes.id}/dropped`;
        packet.retain = false;
        done(null);
      };
      let verdict: PublishVerdict | Promise<PublishVerdict>;
      try {
        verdict = hooks.authorizePublish(who, {
          topic: packet.topic,
          payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload as any),
          qos: packet.qos,
          retain: packet.retain,
        });
      } catch (err) {
        log.error({ err, topic: packet.topic }, 'mqtt: publish hook failed');
        return done(new Error('publish hook failed'));
      }
      if (typeof verdict === 'string') return settle(verdict);
      verdict.then(settle, (err) => {
        log.error({ err, topic: packet.topic }, 'mqtt: publish hook failed');
        done(new Error('publish hook failed'));
      });
    },
    authorizeSubscribe(client, sub, done) {
      const who = identities.get(client) ?? { username: '', internal: false };
      if (who.internal || !hooks.authorizeSubscribe) return done(null, sub);
      if (hooks.authorizeSubscribe(who, sub.topic)) return done(null, sub);
      // MQTT 3.1.1 / 5: SUBACK 0x80 for this filter, the connection stays open
      done(null, null);
    },
  });
  aedes.on('clientError', (client, err) => log.debug({ clientId: client?.id, err: err.message }, 'mqtt: client error'));
  const server = net.createServer(aedes.handle as any);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    await new Promise<void>((r) => aedes.close(() => r()));
    if (err.code === 'EADDRINUSE') {
      log.warn(
        `mqtt: port ${port} is already in use (another MQTT broker such as Mosquitto?). ` +
          `The embedded broker is OFF. Set LINLI_MQTT_PORT to a free port (or 0 to keep it off), ` +
          `or point Linli at the running broker with LINLI_MQTT_URL=mqtt://127.0.0.1:${port}.`,
      );
      return null;
    }
    throw e;
  }
  const actual = (server.address() as net.AddressInfo).port;
  log.info(`mqtt: embedded broker listening on ${host}:${actual}`);
  return {
    port: actual,
    internal,
    publish: (topic, payload, o = {}) =>
      new Promise<void>((resolve, reject) => {
        const packet = {
          cmd: 'publish' as const,
          topic,
          payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
          qos: o.qos ?? 1,
          retain: false,
          dup: false,
        };
        aedes.publish(packet as any, (err?: Error | null) => (err ? reject(err) : resolve()));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        // clients first: the server's close waits for every open connection to end
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}
