// bench/exchange: the signed exchange API over real HTTP (loopback, keep-alive), against a
// baseline in the same process: a bare Fastify route doing the same RFC 9421 signature check
// (same library, same key, digest check) and answering a constant, without database, agreement,
// log or audit. Measured, sequentially (one request in flight), client-observed:
//  - a signed single lookup by ID number: verify, nonce, agreement, volume, registry read,
//    platform-signed response, message-log append and the resident's audit entry (p50/p99);
//  - a signed 1,000-ID batch lookup (p50/p99), 1,000 audit entries included.
// Requests are signed before the timed loop (signing is the client's cost). Setup is not timed.
// Prints JSON; exits non-zero without a result. Not a test.
//
//   npx tsx bench/exchange/run.ts [--residents 1000] [--lookups 2000] [--batches 30] [--rounds 5] [--pg postgres://…/postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { openDatabase } from '../../server/src/kernel/db/index.js';
import { systemActor } from '../../server/src/kernel/authz/index.js';
import { buildResident, buildStaff, buildWorld, PASSWORD } from '../../server/src/test/fixtures.js';
import { login } from '../../server/src/test/session.js';
import { PartiesService } from '../../server/src/modules/exchange/parties.js';
import { newKeyPair } from '../../server/src/modules/exchange/exchange.fixtures.js';
import { signRequest, verifySignedRequest } from '../../server/src/modules/exchange/signing.js';
import { arg, freshPgDatabase, percentiles } from '../registry/util.js';
import { printResult } from '../result.js';

const RESIDENTS = arg('residents', 1000);
const LOOKUPS = arg('lookups', 2000);
const BATCHES = arg('batches', 30);
const ROUNDS = arg('rounds', 5);
const pgIdx = process.argv.indexOf('--pg');
const PG = pgIdx > 0 ? process.argv[pgIdx + 1] : null;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-exchange-'));
  const pg = PG ? await freshPgDatabase(PG, 'linli_bench_x') : null;
  const database = openDatabase({ url: pg?.url ?? null, sqliteFile: path.join(dir, 'linli.db') });
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0' });
  const { app, kernel: k } = await buildApp({ config, database, logger: pino({ level: 'silent' }), rateLimit: 10_000_000 });
  await app.ready();

  // ---- setup (not timed)
  const w = await buildWorld(k);
  const parties = new PartiesService(k);
  const sys = systemActor('bench.exchange');
  const street = await parties.createOrg(sys, { code: 'street', name: '望京街道办事处', kind: 'street_office', placeId: w.street.id }, null);
  const civil = await parties.createOrg(sys, { code: 'civil', name: '朝阳区民政局', kind: 'civil_affairs', placeId: w.street.id }, null);
  const key = newKeyPair();
  await parties.createClient(sys, civil.id, { subsystemCode: 'welfare', name: '低保审核系统', publicKey: key.publicKey }, null);
  const officer = await buildStaff(k, 'officer', 'department_officer', w.street);
  await parties.addOfficer(sys, civil.id, officer.id, null);
  await buildStaff(k, 'gov', 'gov_supervisor', w.street);
  const ids: string[] = [];
  const houses = [w.house1, w.house1b];
  for (let i = 0; i < RESIDENTS; i++)
    ids.push(
      (await buildResident(k, houses[i % 2], { name: `居民${i}`, birthDate: `${1940 + Math.floor(i / 400)}-03-14`, tags: i % 3 ? [] : ['low_income'] }))
        .idNumber,
    );
  const off = await login(app, 'officer', PASSWORD);
  const gov = await login(app, 'gov', PASSWORD);
  const draft = await off.post('/api/v1/exchange/agreements', {
    title: '低保复核',
    providerOrgId: street.id,
    consumerOrgId: civil.id,
    dataset: 'registry.residents',
    fields: ['name', 'tags', 'address'],
    purpose: '最低生活保障对象年度复核',
    legalBasis: '《社会救助暂行办法》',
    placeIds: [w.c1.id],
    validFrom: '2020-01-01',
    validTo: '2099-12-31',
    dailyLimit: 1_000_000,
  });
  if (draft.status !== 201) throw new Error(`draft failed: ${draft.status} ${draft.body}`);
  const agreementId = draft.json.id as string;
  const approved = await gov.post(`/api/v1/exchange/agreements/${agreementId}/approve`, {});
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${approved.body}`);

  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  // the baseline: a bare route with the same signature check (key known in memory)
  const bare = Fastify();
  bare.removeContentTypeParser('application/json');
  bare.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const publicKey = (await import('node:crypto')).createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
  bare.post('/lookup', async (req, reply) => {
    const r = await verifySignedRequest(
      { method: 'POST', url: `http://${req.headers.host}${req.url}`, headers: req.headers, body: String(req.body ?? '') },
      new Date(),
      async (kid) => (kid === key.keyId ? { keyId: kid, publicKey } : null),
    );
    if (!r.ok) return reply.status(401).send({ code: r.code });
    return { ok: true };
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  async function signed(url: string, body: unknown) {
    const text = JSON.stringify(body);
    const headers = await signRequest({ method: 'POST', url, body: text }, key);
    return { url, text, headers };
  }
  async function send(r: { url: string; text: string; headers: Record<string, string> }, expect = 200) {
    const t0 = performance.now();
    const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.text });
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== expect) throw new Error(`${r.url}: ${res.status}`);
    return ms;
  }

  // warm up both
  for (let i = 0; i < 100; i++) {
    await send(await signed(`${base}/api/v1/exchange/r1/residents/lookup`, { agreementId, idNumber: ids[i % ids.length] }));
    await send(await signed(`${bareBase}/lookup`, { agreementId, idNumber: ids[i % ids.length] }));
  }

  const lookupMs: number[] = [];
  const bareMs: number[] = [];
  const batchMs: number[] = [];
  const perRound = Math.ceil(LOOKUPS / ROUNDS);
  const batchesPerRound = Math.ceil(BATCHES / ROUNDS);
  const batchIds = ids.slice(0, 1000);
  while (batchIds.length < 1000) batchIds.push(ids[batchIds.length % ids.length]);
  for (let round = 0; round < ROUNDS; round++) {
    const reqs = [];
    const bareReqs = [];
    for (let i = 0; i < perRound; i++) {
      const idNumber = ids[(round * perRound + i) % ids.length];
      reqs.push(await signed(`${base}/api/v1/exchange/r1/residents/lookup`, { agreementId, idNumber }));
      bareReqs.push(await signed(`${bareBase}/lookup`, { agreementId, idNumber }));
    }
    for (let i = 0; i < perRound; i++) {
      lookupMs.push(await send(reqs[i]));
      bareMs.push(await send(bareReqs[i]));
    }
    for (let i = 0; i < batchesPerRound; i++)
      batchMs.push(await send(await signed(`${base}/api/v1/exchange/r1/residents/batch`, { agreementId, idNumbers: batchIds })));
  }

  const messages = Number(
    (
      await k.db
        .selectFrom('exchange_msglog')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst()
    )?.n ?? 0,
  );
  const lookup = percentiles(lookupMs);
  const baseline = percentiles(bareMs);
  const batch = percentiles(batchMs);
  const result = {
    bench: 'exchange',
    dialect: pg ? 'postgres' : 'sqlite',
    node: process.version,
    cpus: os.cpus().length,
    residents: RESIDENTS,
    lookups: lookupMs.length,
    batches: batchMs.length,
    messagesLogged: messages,
    signedLookupMs: lookup,
    baselineSignatureCheckMs: baseline,
    lookupOverBaselineP50: Number((lookup.p50 / baseline.p50).toFixed(2)),
    batch1000Ms: batch,
    targets: { lookupP99Ms: 10, batch1000Ms: 200 },
    met: { lookupP99: lookup.p99 <= 10, batch1000P99: batch.p99 <= 200 },
  };
  await bare.close();
  await app.close();
  await pg?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
  printResult(JSON.stringify(result, null, 2));
  // fetch's keep-alive sockets and the app's timers would hold the process a while longer
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
