// Decisions over MQTT 5 request/response through a real Mosquitto (a private instance of the
// machine's broker on a free port): response topic and correlation data, idempotent retries,
// answers only inside the requester's own topic tree.
// Without Mosquitto these tests are skipped; with LINLI_TEST_REQUIRE_ALL=1 they fail.
import { afterAll, beforeAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { describeEachDialect, createTestApp, requireAll, tempDir, type TestApp } from '../../test/harness.js';
import { PrivateMosquitto, freePort, mosquittoBinary } from '../devices/mqtt.fixtures.js';
import { accessMqtt } from './index.js';
import { buildDoors } from './access.fixtures.js';

const runs = !!mosquittoBinary || requireAll;

describeEachDialect('access decisions over MQTT (Mosquitto)', (dialect) => {
  let broker: PrivateMosquitto;
  let t: TestApp;
  let d: Awaited<ReturnType<typeof buildDoors>>;
  let device: mqtt.MqttClient;

  beforeAll(async () => {
    if (!runs) return;
    broker = new PrivateMosquitto(await freePort(), tempDir('linli-mosq-'));
    await broker.start();
    t = await createTestApp(dialect, { env: { LINLI_MQTT_URL: broker.url, LINLI_NODE_ID: `access-mqtt-${dialect}` } });
    await accessMqtt(t.kernel)!.ready;
    d = await buildDoors(t.kernel, t.app, 'mq');
    await d.c.pm.post('/api/v1/access/credentials', { residentId: d.me.id, type: 'card', value: '5150', cardFormat: 'w26' });
    device = await mqtt.connectAsync(broker.url, { clientId: d.ctl.id, username: d.ctl.id, password: d.ctl.secret, protocolVersion: 5, reconnectPeriod: 0 });
    await device.subscribeAsync(`linli/v1/devices/${d.ctl.id}/access/res`, { qos: 1 });
  });
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
    await broker?.stop();
  });

  /** Publish a request and wait for the answer that carries our correlation data. */
  function ask(body: Record<string, unknown>, correlation: string, responseTopic = `linli/v1/devices/${d.ctl.id}/access/res`, ms = 5000) {
    return new Promise<any>((resolve) => {
      const timer = setTimeout(() => {
        device.off('message', on);
        resolve(null);
      }, ms);
      const on = (_topic: string, payload: Buffer, packet: any) => {
        if (packet.properties?.correlationData?.toString() !== correlation) return;
        clearTimeout(timer);
        device.off('message', on);
        resolve(JSON.parse(payload.toString()));
      };
      device.on('message', on);
      device.publish(`linli/v1/devices/${d.ctl.id}/events`, JSON.stringify({ type: 'access.decide', ...body }), {
        qos: 1,
        properties: { responseTopic, correlationData: Buffer.from(correlation) },
      });
    });
  }

  it.runIf(runs)('answers on the response topic with the correlation data; a retry gets the same answer and one log entry', async () => {
    const req = { eventId: 'mq-1', doorId: d.gate.id, credentialType: 'card', value: '5150' };
    const a = await ask(req, 'corr-1');
    expect(a).toMatchObject({ eventId: 'mq-1', result: 'allow', reason: 'resident', openSeconds: 5, holderName: '李娜' });
    expect(await ask(req, 'corr-2')).toEqual(a);
    // read through the log API, which waits for rows still queued for the writer thread
    expect(await d.logged('mq-1')).toHaveLength(1);
    expect(await ask({ eventId: 'mq-2', doorId: d.gate.id, credentialType: 'card', value: '1' }, 'corr-3')).toMatchObject({
      result: 'deny',
      reason: 'unknown_credential',
    });
    // another controller's door: an error answer, not a decision
    expect(await ask({ eventId: 'mq-3', doorId: d.c2gate.id, credentialType: 'card', value: '5150' }, 'corr-4')).toEqual({
      error: 'access.point_not_found',
      status: 404,
    });
  });

  it.runIf(runs)('answers the MQTT 3.1.1 fallback too: correlation id in the body, answer on …/access/response', async () => {
    await device.subscribeAsync(`linli/v1/devices/${d.ctl.id}/access/response`, { qos: 1 });
    const answer = new Promise<any>((resolve) => {
      const on = (topic: string, payload: Buffer) => {
        if (topic !== `linli/v1/devices/${d.ctl.id}/access/response`) return;
        device.off('message', on);
        resolve(JSON.parse(payload.toString()));
      };
      device.on('message', on);
    });
    // no MQTT 5 properties, as a 3.1.1 controller sends it
    device.publish(
      `linli/v1/devices/${d.ctl.id}/events`,
      JSON.stringify({ type: 'access.decide', correlationId: 'fb-1', eventId: 'mq-fb', doorId: d.gate.id, credentialType: 'card', value: '5150' }),
      { qos: 1 },
    );
    expect(await answer).toMatchObject({ correlationId: 'fb-1', eventId: 'mq-fb', result: 'allow', reason: 'resident' });
  });

  it.runIf(runs)('never answers into another device’s topics', async () => {
    const res = await ask(
      { eventId: 'mq-9', doorId: d.gate.id, credentialType: 'card', value: '5150' },
      'corr-9',
      `linli/v1/devices/${d.ctl2.id}/access/res`,
      800,
    );
    expect(res).toBeNull();
    expect(await d.logged('mq-9')).toHaveLength(0);
  });
});
