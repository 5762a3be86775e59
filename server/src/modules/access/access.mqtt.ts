// Decisions over MQTT 5 request/response on an external broker (Mosquitto, EMQX; LINLI_MQTT_URL).
//
// A controller publishes its request on its own uplink events topic, which the broker's ACL
// already allows it (`linli/v1/devices/{id}/events`), as {"type": "access.decide", "eventId": …,
// "doorId": …, "credentialType": …, "value" | "token": …} with the MQTT 5 properties Response
// Topic (inside its own tree, e.g. `linli/v1/devices/{id}/access/res`, which it may subscribe to)
// and Correlation Data. Every Linli node takes a share of these through the shared subscription
// `$share/linli-access/...` (a group of its own, so the ingest pipeline still stores the event as
// it stores every device event) and answers on the response topic with the same correlation data
// and the decision as JSON — or {"error": code, "status": n}. The broker authenticated the
// publisher, so the device id is the topic's. Decisions stay idempotent by event id.
//
// The embedded broker is not served: its device hooks (devices module) consume uplink messages
// in-process and drop them, and Linli's internal client credentials are not given to modules.
import type { Logger } from 'pino';
import type { MqttClient } from 'mqtt';
import type { Kernel } from '../../kernel/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { getDevice } from '../devices/index.js';
import type { AccessDecider, DecisionInput } from './access.decide.js';

export const ACCESS_REQUEST_TYPE = 'access.decide';
export const ACCESS_SHARE_GROUP = 'linli-access';
const EVENTS = /^linli\/v1\/devices\/([^/+#$][^/+#]{0,127})\/events$/;

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
    if (!m || payload.length > 4096) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return; // not JSON: an ordinary device event's business (the ingest pipeline counts it)
    }
    if (!body || body.type !== ACCESS_REQUEST_TYPE) return;
    const deviceId = m[1];
    const rt = props.responseTopic;
    // answers go only into the requesting device's own tree (it cannot subscribe elsewhere)
    if (!rt || !rt.startsWith(`linli/v1/devices/${deviceId}/`) || /[+#]/.test(rt) || rt.endsWith('/events')) return;
    let answer: unknown;
    try {
      const dev = await getDevice(k, deviceId);
      if (!dev || dev.typeCode !== 'door_controller') throw new AppError(403, 'auth.forbidden');
      const input = validate(body);
      if (!input) throw new AppError(422, 'validation.failed');
      answer = await decider.decide(deviceId, input);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      answer = { error: e.code, status: e.status };
    }
    client.publish(rt, JSON.stringify(answer), { qos: 1, properties: props.correlationData ? { correlationData: props.correlationData } : {} });
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
