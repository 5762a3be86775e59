// MQTT transport of device ingest: topics, device authentication and authorisation, and the
// two ways messages reach the ingest pipeline:
//  - embedded broker (Aedes, single machine): hooked in-process, no network hop;
//  - external broker (Mosquitto, EMQX; LINLI_MQTT_URL): a shared subscription per node.
//
// Topics: linli/v1/devices/{deviceId}/telemetry | events | status (uplink, QoS 0 and 1);
// everything else under linli/v1/devices/{deviceId}/ is the device's downlink.
import type { Logger } from 'pino';
import { startEmbeddedBroker, type BrokerHooks, type EmbeddedBroker, type PublishVerdict } from '../../kernel/mqtt/broker.js';
import { startSharedSubscriber, type SharedSubscriber } from '../../kernel/mqtt/subscriber.js';
import type { Kernel } from '../../kernel/index.js';

export type IngestKind = 'telemetry' | 'events' | 'status';
export const ingestKinds: readonly IngestKind[] = ['telemetry', 'events', 'status'];
export const topicPrefix = 'linli/v1/devices/';
export const shareGroup = 'linli';

/** The part of the devices module's IngestPipeline the transport uses. */
export interface MqttIngestPipeline {
  authenticate(deviceId: string, secret: string): Promise<boolean>;
  /** 'valid' | 'wrong' (known device, other secret) | 'unknown' (no such device) */
  checkCredential(deviceId: string, secret: string): Promise<'valid' | 'wrong' | 'unknown'>;
  submit(
    deviceId: string,
    kind: IngestKind,
    payload: Buffer | string | object,
    opts?: { throttle?: boolean },
  ): { accepted: number; rejected: number; error?: string };
  flush(): Promise<void>;
  /** 0 = admitted (a token taken); otherwise ms until the device may send again. */
  admit?(deviceId: string): number;
}

// ---- topics and access rules (also used by the HTTP auth/ACL endpoints) ----------------------

/** A device id that can stand in a topic level: no wildcards, separators or $ prefix. */
export function isTopicSafeId(id: string): boolean {
  return id.length > 0 && id.length <= 128 && !/[/+#\u0000]/.test(id) && !id.startsWith('$');
}

/** `linli/v1/devices/{id}/{kind}` → { deviceId, kind } or null */
export function parseUplinkTopic(topic: string): { deviceId: string; kind: IngestKind } | null {
  if (!topic.startsWith(topicPrefix)) return null;
  const rest = topic.slice(topicPrefix.length).split('/');
  if (rest.length !== 2) return null;
  const [deviceId, kind] = rest as [string, string];
  if (!isTopicSafeId(deviceId) || !(ingestKinds as readonly string[]).includes(kind)) return null;
  return { deviceId, kind: kind as IngestKind };
}

/** A device may publish only to its own uplink topics. */
export function devicePublishAllowed(deviceId: string, topic: string): boolean {
  const t = parseUplinkTopic(topic);
  return !!t && t.deviceId === deviceId;
}

/** A device may subscribe only inside its own `linli/v1/devices/{id}/` tree (e.g. `.../{id}/#`);
 * no wildcard may reach past it, and no shared subscriptions. */
export function deviceSubscribeAllowed(deviceId: string, filter: string): boolean {
  if (!isTopicSafeId(deviceId)) return false;
  const own = `${topicPrefix}${deviceId}/`;
  if (!filter.startsWith(own)) return false;
  const rest = filter.slice(own.length);
  return rest.length > 0;
}

/**
 * The MQTT client id a device may connect with: its device id, or `{deviceId}/{anything}` for a
 * device that keeps more than one connection (Azure IoT Hub's `{device}/{module}` form). A device
 * id holds no `/`, so no device can name a client id of another one, and cannot knock that one
 * off by connecting under its id (MQTT closes the older connection of a client id). An empty
 * client id (the broker would assign a random one) is refused too.
 */
export function deviceClientIdAllowed(deviceId: string, clientId: string): boolean {
  if (!isTopicSafeId(deviceId) || typeof clientId !== 'string') return false;
  return clientId === deviceId || (clientId.startsWith(`${deviceId}/`) && clientId.length > deviceId.length + 1);
}

/** A device may receive a message on a (concrete) topic only inside its own tree. */
export function deviceReadAllowed(deviceId: string, topic: string): boolean {
  return isTopicSafeId(deviceId) && topic.startsWith(`${topicPrefix}${deviceId}/`) && !/[+#]/.test(topic);
}

// ---- acknowledge after stored ----------------------------------------------------------------

/**
 * Coalesces "wait until what I submitted is stored" requests into one pipeline flush every few
 * milliseconds. A waiter that arrives while a flush runs waits for the next one, because its
 * submission may have missed the running batch.
 */
export class FlushBarrier {
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly flush: () => Promise<void>,
    private readonly delayMs = 10,
  ) {}

  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.timer || this.running || this.waiting.length === 0) return;
    this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  private async run() {
    this.timer = null;
    this.running = true;
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.flush();
      for (const w of batch) w.resolve();
    } catch (e) {
      for (const w of batch) w.reject(e);
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}

// ---- claims: other modules taking device messages on the embedded broker ----------------------

/** A device's uplink message on the embedded broker, offered to claims before it is ingested. */
export interface ClaimedMessage {
  deviceId: string;
  kind: IngestKind;
  payload: Buffer;
}
/** Publishes to the claimed message's device, only inside that device's own topic tree. */
export type DeviceReply = (topic: string, payload: Buffer | string) => Promise<void>;
/** Returns true when it takes the message (then it is not ingested); must decide synchronously. */
export type DeviceMessageClaim = (msg: ClaimedMessage, reply: DeviceReply) => boolean;

const claimRegistry = new WeakMap<Kernel, Set<DeviceMessageClaim>>();

/**
 * Lets another module take device uplink messages on the embedded broker (which otherwise
 * ingests them in-process, so no client sees them), e.g. MQTT request/response. Returns the
 * function that removes the claim. External brokers are unaffected (modules subscribe there).
 */
export function claimDeviceMessages(k: Kernel, claim: DeviceMessageClaim): () => void {
  let set = claimRegistry.get(k);
  if (!set) claimRegistry.set(k, (set = new Set()));
  set.add(claim);
  return () => void set.delete(claim);
}

export const deviceMessageClaims = (k: Kernel): Iterable<DeviceMessageClaim> => claimRegistry.get(k) ?? [];

// ---- embedded broker -------------------------------------------------------------------------

export interface EmbeddedIngestOptions {
  /** QoS 1: send PUBACK only after the message is stored (default true) */
  ackAfterStore?: boolean;
  /** claims consulted for each admitted uplink message before it is ingested */
  claims?: () => Iterable<DeviceMessageClaim>;
  /** the broker's own publish, for claims' replies (set by startEmbeddedIngest) */
  publish?: (topic: string, payload: Buffer | string) => Promise<void>;
}

function claimed(opts: EmbeddedIngestOptions, deviceId: string, kind: IngestKind, payload: Buffer, log: Logger): boolean {
  if (!opts.claims) return false;
  const publish = opts.publish;
  // the device ACL holds for replies too: only inside the requester's own tree
  const reply: DeviceReply = (topic, body) =>
    !publish
      ? Promise.reject(new Error('broker not started'))
      : deviceReadAllowed(deviceId, topic)
        ? publish(topic, body)
        : Promise.reject(new Error(`reply outside ${deviceId}'s topics`));
  for (const claim of opts.claims()) {
    try {
      if (claim({ deviceId, kind, payload }, reply)) return true;
    } catch (err) {
      log.error({ err, deviceId }, 'mqtt: message claim failed');
    }
  }
  return false;
}

/** Broker hooks that authenticate devices, enforce their topics and ingest in-process. */
export function deviceBrokerHooks(pipeline: MqttIngestPipeline, log: Logger, opts: EmbeddedIngestOptions = {}): BrokerHooks {
  const ackAfterStore = opts.ackAfterStore ?? true;
  const barrier = new FlushBarrier(() => pipeline.flush());
  return {
    async authenticate(username, password, clientId) {
      if (!isTopicSafeId(username) || password.length === 0 || !(await pipeline.authenticate(username, password))) return false;
      return deviceClientIdAllowed(username, clientId) ? true : 'identifier-rejected';
    },
    authorizePublish(who, packet) {
      const t = parseUplinkTopic(packet.topic);
      if (!t || t.deviceId !== who.username) return 'deny';
      const ingest = (): PublishVerdict | Promise<PublishVerdict> => {
        if (claimed(opts, t.deviceId, t.kind, packet.payload, log)) return 'drop'; // taken by another module
        try {
          pipeline.submit(t.deviceId, t.kind, packet.payload, pipeline.admit ? { throttle: false } : {});
        } catch (err) {
          // bad input is the pipeline's to count; an exception here is a bug, never a stopped broker
          log.error({ err, deviceId: t.deviceId }, 'mqtt: ingest submit failed');
          return 'drop';
        }
        if (ackAfterStore && packet.qos > 0) return barrier.wait().then(() => 'drop' as const);
        return 'drop'; // stored by Linli; other clients do not get devices' uplink
      };
      // A device over its rate is slowed, not dropped: Aedes handles one client's packets in
      // order, so holding this one back stops reading from that connection (TCP pushes back on
      // the device) while every other device goes on. Nothing it sent is lost.
      const wait = pipeline.admit?.(t.deviceId) ?? 0;
      if (wait === 0) return ingest();
      return (async () => {
        for (let ms = wait; ms > 0; ms = pipeline.admit!(t.deviceId)) await new Promise((r) => setTimeout(r, ms));
        return ingest();
      })();
    },
    authorizeSubscribe: (who, filter) => deviceSubscribeAllowed(who.username, filter),
  };
}

export async function startEmbeddedIngest(
  port: number,
  host: string,
  pipeline: MqttIngestPipeline,
  log: Logger,
  opts: EmbeddedIngestOptions = {},
): Promise<EmbeddedBroker | null> {
  let broker: EmbeddedBroker | null = null;
  const publish = (topic: string, payload: Buffer | string) => (broker ? broker.publish(topic, payload) : Promise.reject(new Error('broker not started')));
  broker = await startEmbeddedBroker(port, host, log, { hooks: deviceBrokerHooks(pipeline, log, { publish, ...opts }) });
  return broker;
}

// ---- external broker -------------------------------------------------------------------------

export interface ExternalIngestOptions {
  url: string;
  nodeId: string;
  log: Logger;
  ackDelayMs?: number;
  receiveMaximum?: number;
  minReconnectMs?: number;
  maxReconnectMs?: number;
}

/** Subscribes this node to its share of every device's uplink on an external broker. */
export async function startExternalIngest(pipeline: MqttIngestPipeline, opts: ExternalIngestOptions): Promise<SharedSubscriber> {
  const { log } = opts;
  if (opts.nodeId === `node-${process.pid}`) {
    log.warn(
      'mqtt: LINLI_NODE_ID is not set, so this node subscribes as a new MQTT session each start. Messages the broker ' +
        'queued for a crashed node stay in its old session until the session expires. Give every node a stable LINLI_NODE_ID.',
    );
  }
  return startSharedSubscriber({
    url: opts.url,
    clientId: `linli-${opts.nodeId}`,
    group: shareGroup,
    filters: ingestKinds.map((k) => `${topicPrefix}+/${k}`),
    log,
    ackDelayMs: opts.ackDelayMs,
    receiveMaximum: opts.receiveMaximum,
    minReconnectMs: opts.minReconnectMs,
    maxReconnectMs: opts.maxReconnectMs,
    barrier: () => pipeline.flush(),
    onMessage(topic, payload) {
      const t = parseUplinkTopic(topic);
      if (!t) return; // not ours (the filters make this rare); acknowledged and dropped
      // the external broker authenticated the publisher (through Linli's auth/ACL endpoints);
      // the device id is the topic's
      pipeline.submit(t.deviceId, t.kind, payload);
    },
  });
}

// ---- one call for the composition root --------------------------------------------------------

export interface MqttTransport {
  /** the embedded broker when it runs */
  broker: EmbeddedBroker | null;
  /** the external broker subscription when LINLI_MQTT_URL is set */
  subscriber: SharedSubscriber | null;
  close(): Promise<void>;
}

/**
 * Starts device ingest over MQTT as configured: with LINLI_MQTT_URL a shared subscription on
 * that broker, otherwise the embedded broker on LINLI_MQTT_PORT (0 = off; a taken port warns and
 * continues without it).
 */
export async function startMqttTransport(k: Kernel, pipeline: MqttIngestPipeline, opts: EmbeddedIngestOptions & { log?: Logger } = {}): Promise<MqttTransport> {
  const log = opts.log ?? k.log;
  if (k.config.mqttUrl) {
    const subscriber = await startExternalIngest(pipeline, { url: k.config.mqttUrl, nodeId: k.config.nodeId, log });
    return { broker: null, subscriber, close: () => subscriber.close() };
  }
  const broker = await startEmbeddedIngest(k.config.mqttPort, k.config.host, pipeline, log, { claims: () => deviceMessageClaims(k), ...opts });
  return { broker, subscriber: null, close: async () => broker?.close() };
}
