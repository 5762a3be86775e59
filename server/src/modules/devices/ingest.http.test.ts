// What HTTP ingest answers (ingest.http.ts, docs/api/devices.md): a message of which nothing was
// stored is a 4xx problem with the reasons; a partial batch is a 202 listing what was refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { anonymous } from '../../test/session.js';
import { buildWorld, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { createDevice, ingestPipeline } from './index.js';

const T0 = new Date('2026-11-25T04:00:30.000Z');
const URL = '/api/v1/ingest/telemetry';

describeEachDialect('HTTP ingest answers', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(T0);
  const now = () => clock.now().getTime();

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
  });
  afterAll(async () => t?.close());

  const pump = (name: string) => createDevice(t.kernel, { typeCode: 'water_pump', placeId: w.estate1.id, name });
  const headers = (d: { id: string; secret: string }, lang = 'en') => ({
    authorization: 'Basic ' + Buffer.from(`${d.id}:${d.secret}`).toString('base64'),
    'content-type': 'application/json',
    'accept-language': lang,
  });
  const stored = async (id: string) => {
    await ingestPipeline(t.kernel).flush();
    return t.kernel.db.selectFrom('telemetry_raw').select(['key', 'value']).where('device_id', '=', id).orderBy('key').execute();
  };
  const rejectedCount = async (id: string) => {
    await ingestPipeline(t.kernel).flush();
    const d = await t.kernel.db.selectFrom('devices').select('rejected_count').where('id', '=', id).executeTakeFirstOrThrow();
    return Number(d.rejected_count);
  };

  it('answers 400 problem+json to a body that is not JSON, and stores nothing', async () => {
    const d = await pump('坏JSON水泵');
    const r = await anonymous(t.app).req('POST', URL, '{"values": {', headers(d));
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json).toMatchObject({ status: 400, code: 'devices.ingest_refused', accepted: 0, rejected: 1 });
    expect(r.json.errors).toEqual([{ field: 'body', code: 'devices.ingest_bad_json', message: 'The message is not valid JSON' }]);
    expect(await stored(d.id)).toEqual([]);
    expect(await rejectedCount(d.id)).toBe(1);
  });

  it.each([
    ['an unknown key', { values: { bogus: 1 } }, { field: 'values.bogus', code: 'devices.ingest_unknown_key' }],
    ['a non-numeric value', { values: { pressure: 'high' } }, { field: 'values.pressure', code: 'devices.ingest_not_numeric' }],
    ['a time in the future', { ts: T0.getTime() + 3_600_000, values: { pressure: 0.3 } }, { field: 'ts', code: 'devices.ingest_ts_future' }],
    ['a message of the wrong shape', { pressure: 0.3 }, { field: 'values', code: 'devices.ingest_bad_shape' }],
  ])('answers 422 with the reason to %s, and stores nothing', async (what, body, error) => {
    const d = await pump(`拒绝水泵 ${what}`);
    const r = await anonymous(t.app).req('POST', URL, body, headers(d));
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ status: 422, code: 'devices.ingest_refused', accepted: 0 });
    expect(r.json.rejected).toBeGreaterThan(0);
    expect(r.json.errors).toEqual([expect.objectContaining(error)]);
    expect(r.json.errors[0].message).not.toBe(error.code); // a sentence, not the bare code
    expect(await stored(d.id)).toEqual([]);
  });

  it('titles the refusal in the request language', async () => {
    const d = await pump('中文水泵');
    const r = await anonymous(t.app).req('POST', URL, { values: { bogus: 1 } }, headers(d, 'zh-CN'));
    expect(r.status).toBe(422);
    expect(r.json.title).toBe('消息未被接收：1 项被拒绝');
    expect(r.json.errors[0].message).toBe('该设备类型没有遥测项 bogus');
  });

  it('answers 202 to a partial batch, stores the good values and lists every refused one', async () => {
    const d = await pump('部分水泵');
    const batch = [
      { ts: now() - 2000, values: { pressure: 0.3, nope: 1 } },
      { ts: now() + 3_600_000, values: { pressure: 0.4 } },
      { ts: now() - 1000, values: { flow: 'lots', running: true } },
    ];
    const r = await anonymous(t.app).req('POST', URL, batch, headers(d));
    expect(r.status).toBe(202);
    expect(r.json).toEqual({
      accepted: 2,
      rejected: 3,
      error: 'unknown_key: nope',
      rejects: [
        { reason: 'unknown_key', field: '0.values.nope', detail: 'nope', count: 1 },
        { reason: 'ts_future', field: '1.ts', detail: new Date(now() + 3_600_000).toISOString(), count: 1 },
        { reason: 'not_numeric', field: '2.values.flow', detail: 'flow="lots"', count: 1 },
      ],
    });
    expect((await stored(d.id)).map((x) => [x.key, Number(x.value)])).toEqual([
      ['pressure', 0.3],
      ['running', 1],
    ]);
    expect(await rejectedCount(d.id)).toBe(3);
  });

  it('answers 202 without rejects when everything is stored', async () => {
    const d = await pump('全收水泵');
    const r = await anonymous(t.app).req('POST', URL, { values: { pressure: 0.5 } }, headers(d));
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ accepted: 1, rejected: 0 });
  });
});
