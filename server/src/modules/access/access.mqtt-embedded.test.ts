// Decisions over MQTT on the embedded broker (Aedes, the `npm start` default), started exactly as
// main.ts starts it, with a real MQTT 3.1.1 client as the controller: the fallback protocol
// (correlation id in the JSON body, answer on `linli/v1/devices/{id}/access/response`), idempotent
// retries, and answers only inside the requester's own topic tree.
import { afterAll, beforeAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { freePort } from '../devices/mqtt.fixtures.js';
import { ingestPipeline, telemetryHub, claimDeviceMessages, type DeviceEvent } from '../devices/index.js';
import { startMqttTransport, type MqttTransport } from '../devices/mqtt.transport.js';
import { buildDoors } from './access.fixtures.js';

describeEachDialect('access decisions over MQTT (embedded broker)', (dialect) => {
  let t: TestApp;
  let transport: MqttTransport;
  let d: Awaited<ReturnType<typeof buildDoors>>;
  let device: mqtt.MqttClient;
  let url: string;
  const res = (id: string) => `linli/v1/devices/${id}/access/response`;

  beforeAll(async () => {
    t = await createTestApp(dialect, { env: { LINLI_MQTT_PORT: String(await freePort()), LINLI_HOST: '127.0.0.1' } });
    transport = await startMqttTransport(t.kernel, ingestPipeline(t.kernel));
    if (!transport.broker) throw new Error('embedded broker did not start');
    url = `mqtt://127.0.0.1:${transport.broker.port}`;
    d = await buildDoors(t.kernel, t.app, 'me');
    await d.c.pm.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '5151', cardFormat: 'w26' });
    device = await mqtt.connectAsync(url, { clientId: d.ctl.id, username: d.ctl.id, password: d.ctl.secret, protocolVersion: 4, reconnectPeriod: 0 });
    await device.subscribeAsync(`linli/v1/devices/${d.ctl.id}/#`, { qos: 1 });
  });
  afterAll(async () => {
    await device?.endAsync();
    await transport?.close();
    await t?.close();
  });

  /** Publish a request and wait for the answer that carries our correlation id (null on timeout). */
  function ask(client: mqtt.MqttClient, deviceId: string, body: Record<string, unknown>, correlationId: string, ms = 5000) {
    return new Promise<any>((resolve) => {
      const timer = setTimeout(() => {
        client.off('message', on);
        resolve(null);
      }, ms);
      const on = (topic: string, payload: Buffer) => {
        let a: any;
        try {
          a = JSON.parse(payload.toString());
        } catch {
          return;
        }
        if (a?.correlationId !== correlationId) return;
        clearTimeout(timer);
        client.off('message', on);
        resolve({ topic, ...a });
      };
      client.on('message', on);
      client.publish(`linli/v1/devices/${deviceId}/events`, JSON.stringify({ type: 'access.decide', correlationId, ...body }), { qos: 1 });
    });
  }

  it('answers an MQTT 3.1.1 controller on its response topic with its correlation id; a retry gets the same answer and one log entry', async () => {
    const req = { eventId: 'me-1', doorId: d.gate.id, credentialType: 'card', value: '5151' };
    const a = await ask(device, d.ctl.id, req, 'c-1');
    expect(a).toMatchObject({
      topic: res(d.ctl.id),
      correlationId: 'c-1',
      eventId: 'me-1',
      result: 'allow',
      reason: 'resident',
      openSeconds: 5,
      holderName: '李娜',
    });
    const again = await ask(device, d.ctl.id, req, 'c-2');
    expect({ ...again, correlationId: 'c-1' }).toEqual(a);
    expect(await d.logged('me-1')).toHaveLength(1); // the log API waits for rows queued for the writer thread
    expect(await ask(device, d.ctl.id, { eventId: 'me-2', doorId: d.gate.id, credentialType: 'card', value: '1' }, 'c-3')).toMatchObject({
      result: 'deny',
      reason: 'unknown_credential',
    });
    // another controller's door, and a malformed request: error answers, not decisions
    expect(await ask(device, d.ctl.id, { eventId: 'me-3', doorId: d.c2gate.id, credentialType: 'card', value: '5151' }, 'c-4')).toMatchObject({
      error: 'access.point_not_found',
      status: 404,
    });
    expect(await ask(device, d.ctl.id, { eventId: 'me-4', doorId: d.gate.id, credentialType: 'iris' }, 'c-5')).toMatchObject({
      error: 'validation.failed',
      status: 422,
    });
  });

  it('an MQTT 5 client is refused by Aedes 1.x (hence the fallback)', async () => {
    await expect(
      mqtt.connectAsync(url, {
        clientId: `${d.ctl.id}-v5`,
        username: d.ctl.id,
        password: d.ctl.secret,
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    ).rejects.toBeTruthy();
  });

  it('never answers into another device’s topics, and a controller cannot listen to another’s answers', async () => {
    const other = await mqtt.connectAsync(url, { clientId: d.ctl2.id, username: d.ctl2.id, password: d.ctl2.secret, protocolVersion: 4, reconnectPeriod: 0 });
    try {
      // ctl2 tries to subscribe to ctl's answers: refused (SUBACK 0x80)
      await expect(other.subscribeAsync(res(d.ctl.id), { qos: 1 })).rejects.toThrow(/Subscribe error/);
      await other.subscribeAsync(`linli/v1/devices/${d.ctl2.id}/#`, { qos: 1 });
      const heard: string[] = [];
      other.on('message', (topic) => heard.push(topic));
      // a request naming another device's topic is not answered (and not decided)
      expect(
        await ask(device, d.ctl.id, { eventId: 'me-9', doorId: d.gate.id, credentialType: 'card', value: '5151', responseTopic: res(d.ctl2.id) }, 'c-9', 800),
      ).toBeNull();
      expect(await d.logged('me-9')).toHaveLength(0);
      // ctl's own request is answered to ctl only
      expect(await ask(device, d.ctl.id, { eventId: 'me-10', doorId: d.gate.id, credentialType: 'card', value: '5151' }, 'c-10')).toMatchObject({
        result: 'allow',
      });
      // ctl2's own request on its own door is answered to ctl2
      expect(await ask(other, d.ctl2.id, { eventId: 'me-11', doorId: d.c2gate.id, credentialType: 'card', value: '42' }, 'c-11')).toMatchObject({
        topic: res(d.ctl2.id),
        result: 'deny',
      });
      expect(heard.filter((x) => x !== res(d.ctl2.id))).toEqual([]);
    } finally {
      await other.endAsync();
    }
  });

  it('ordinary controller events still reach the devices module (door alerts keep working); requests do not', async () => {
    const seen: DeviceEvent[] = [];
    const on = (e: DeviceEvent) => void seen.push(e);
    telemetryHub(t.kernel).on('event', on);
    try {
      expect(await ask(device, d.ctl.id, { eventId: 'me-20', doorId: d.gate.id, credentialType: 'card', value: '5151' }, 'c-20')).toMatchObject({
        result: 'allow',
      });
      await device.publishAsync(`linli/v1/devices/${d.ctl.id}/events`, JSON.stringify({ type: 'door_held_open', doorId: d.gate.id }), { qos: 1 });
      await ingestPipeline(t.kernel).flush();
      expect(seen.map((e) => e.type)).toEqual(['door_held_open']);
    } finally {
      telemetryHub(t.kernel).off('event', on);
    }
  });

  it('the devices claim hook replies only inside the requesting device’s own tree', async () => {
    const results: Array<Promise<unknown>> = [];
    const unclaim = claimDeviceMessages(t.kernel, (msg, reply) => {
      if (!msg.payload.includes('"probe"')) return false;
      results.push(
        reply(`linli/v1/devices/${d.ctl2.id}/access/response`, '{"stolen":true}').then(
          () => 'sent',
          (e: Error) => e.message,
        ),
      );
      results.push(
        reply(`linli/v1/devices/${msg.deviceId}/probe/answer`, '{"ok":true}').then(
          () => 'sent',
          (e: Error) => e.message,
        ),
      );
      return true;
    });
    try {
      const got = new Promise<string>((resolve) => {
        const on = (topic: string) => {
          if (topic.endsWith('/probe/answer')) {
            device.off('message', on);
            resolve(topic);
          }
        };
        device.on('message', on);
      });
      await device.publishAsync(`linli/v1/devices/${d.ctl.id}/events`, JSON.stringify({ type: 'probe' }), { qos: 1 });
      expect(await got).toBe(`linli/v1/devices/${d.ctl.id}/probe/answer`);
      const [outside, own] = await Promise.all(results);
      expect(outside).toMatch(/outside/);
      expect(own).toBe('sent');
    } finally {
      unclaim();
    }
  });
});
