// Decisions over MQTT request/response, on an external broker (Mosquitto, EMQX; LINLI_MQTT_URL)
// and on the embedded broker (Aedes, the `npm start` default).
//
// A controller publishes its request on its own uplink events topic, which the broker's ACL
// already allows it (`linli/v1/devices/{id}/events`), as {"type": "access.decide", "eventId": …,
// "doorId": …, "credentialType": …, "value" | "token": …}. Two ways to get the answer:
//  - MQTT 5 (external brokers only): the Response Topic property (inside its own tree, e.g.
//    `linli/v1/devices/{id}/access/res`) and Correlation Data; the answer is the decision as JSON
//    (or {"error": code, "status": n}) on that topic with the same correlation data.
//  - MQTT 3.1.1 fallback (both brokers; Aedes 1.x speaks only 3.1/3.1.1): "correlationId" (and
//    optionally "responseTopic", inside its own tree) in the JSON body; the answer is
//    {"correlationId": …, …decision} on `linli/v1/devices/{id}/access/response` (or that topic).
// The broker authenticated the publisher, so the device id is the topic's; answers never leave
// the requester's own tree. Decisions stay idempotent by event id.
//
// External broker: every Linli node takes a share of the events topic through the shared
// subscription `$share/linli-access/...` (a group of its own, so the ingest pipeline still stores
// the request as it stores every device event). Embedded broker: the devices module's broker
// hooks offer uplink messages to claims (`claimDeviceMessages`); access claims its requests
// (they are then not stored as device events) and answers through the broker's own publish.
import type { Logger } from 'pino';
import type { MqttClient } from 'mqtt';
import type { Kernel } from '../../kernel/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { getDevice, claimDeviceMessages } from '../devices/index.js';
import type { AccessDecider, DecisionInput } from './access.decide.js';

export const ACCESS_REQUEST_TYPE = 'access.decide';
export const ACCESS_SHARE_GROUP = 'linli-access';
const EVENTS = /^linli\/v1\/devices\/([^/+#$][^/+#]{0,127})\/events$/;
/** Where MQTT 3.1.1 controllers get their answers unless the request names another topic. */
export const responseTopicOf = (deviceId: string) => `linli/v1/devices/${deviceId}/access/response`;

/** A parsed request and where its answer goes. */
export interface AccessRequest {
  deviceId: string;
  body: Record<string, unknown>;
  topic: string;
  correlationData?: Buffer; // MQTT 5
  correlationId?: string; // fallback
}

/** An answer may go only to a concrete topic in the device's own tree, never to an uplink topic. */
function replyTopicAllowed(deviceId: string, rt: unknown): rt is string {
  const own = `linli/v1/devices/${deviceId}/`;
  return (
    typeof rt === 'string' &&
    rt.length <= 256 &&
    rt.startsWith(own) &&
    rt.length > own.length &&
    !/[+#\u0000]/.test(rt) &&
    !/^(telemetry|events|status)$/.test(rt.slice(own.length))
  );
}

/** An access request, or null: not one (an ordinary device event), or nowhere allowed to answer. */
export function parseAccessRequest(deviceId: string, payload: Buffer, props: { responseTopic?: string; correlationData?: Buffer } = {}): AccessRequest | null {
  if (payload.length > 4096 || !payload.includes(ACCESS_REQUEST_TYPE)) return null;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return null; // not JSON: an ordinary device event's business (the ingest pipeline counts it)
  }
  if (!body || typeof body !== 'object' || body.type !== ACCESS_REQUEST_TYPE) return null;
  if (props.responseTopic !== undefined) {
    return replyTopicAllowed(deviceId, props.responseTopic) ? { deviceId, body, topic: props.responseTopic, correlationData: props.correlationData } : null;
  }
  const correlationId = str(body.correlationId, 128);
  const topic = body.responseTopic ?? responseTopicOf(deviceId);
  if (!correlationId || !replyTopicAllowed(deviceId, topic)) return null;
  return { deviceId, body, topic, correlationId };
}

/** The answer's payload: the decision, or {error, status}; the fallback adds the correlation id. */
export async function answerAccessRequest(k: Kernel, decider: AccessDecider, req: AccessRequest): Promise<string> {
  let answer: Record<string, unknown>;
  try {
    const dev = await getDevice(k, req.deviceId);
    if (!dev || dev.typeCode !== 'door_controller') throw new AppError(403, 'auth.forbidden');
    const input = validate(req.body);
    if (!input) throw new AppError(422, 'validation.failed');
    answer = { ...(await decider.decide(req.deviceId, input)) };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    answer = { error: e.code, status: e.status };
  }
  return JSON.stringify(req.correlationId !== undefined ? { correlationId: req.correlationId, ...answer } : answer);
}

/** Embedded broker: take access requests from the devices module's hooks and answer in-process. */
export function claimAccessRequests(k: Kernel, decider: AccessDecider, log: Logger): () => void {
  return claimDeviceMessages(k, (msg, reply) => {
    if (msg.kind !== 'events') return false;
    const req = parseAccessRequest(msg.deviceId, msg.payload);
    if (!req) return false; // anything else (door events, malformed requests) is ingested as before
    void answerAccessRequest(k, decider, req)
      .then((payload) => reply(req.topic, payload))
      .catch((err) => log.error({ err }, 'access mqtt: request failed'));
    return true;
  });
}

export interface AccessMqtt {
  client: MqttClient;
  ready: Promise<void>;
  close(): Promise<void>;
}

export async function startAccessMqtt(k: Kernel, decider: AccessDecider, opts: { url: string; nodeId: string; log: Logger }): Promise<AccessMqtt> {
  const mqtt = await import('mqtt');
  const { log } = opts;
  const client = mqtt.connect(opts.url, {
    clientId: `linli-access-${opts.nodeId}-${Math.random().toString(36).slice(2, 8)}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 1000,
    resubscribe: true,
  });
  const filter = `$share/${ACCESS_SHARE_GROUP}/linli/v1/devices/+/events`;
  const ready = new Promise<void>((resolve) => {
    client.on('connect', () => {
      client.subscribe(filter, { qos: 1 }, (err) => {
        if (err) log.error({ err }, 'access mqtt: subscribe failed');
        else resolve();
      });
    });
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'access mqtt: connection error'));
  client.on('message', (topic, payload, packet) => {
    void handle(topic, payload, packet.properties ?? {}).catch((err) => log.error({ err }, 'access mqtt: request failed'));
  });

  async function handle(topic: string, payload: Buffer, props: { responseTopic?: string; correlationData?: Buffer }) {
    const m = EVENTS.exec(topic);
    if (!m) return;
    const req = parseAccessRequest(m[1], payload, props);
    if (!req) return;
    const answer = await answerAccessRequest(k, decider, req);
    client.publish(req.topic, answer, { qos: 1, properties: req.correlationData ? { correlationData: req.correlationData } : {} });
  }

  return {
    client,
    ready,
    close: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve())),
  };
}

const str = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined);

/** The same shape as POST /decisions (the HTTP route validates with its schema). */
function validate(b: Record<string, unknown>): DecisionInput | null {
  const eventId = str(b.eventId, 64);
  const doorId = str(b.doorId, 64);
  const type = b.credentialType;
  if (!eventId || !doorId || !['card', 'fingerprint', 'qr', 'pin'].includes(type as string)) return null;
  const direction = b.direction === 'in' || b.direction === 'out' ? b.direction : undefined;
  return { eventId, doorId, credentialType: type as DecisionInput['credentialType'], value: str(b.value, 128), token: str(b.token, 1000), direction };
}
