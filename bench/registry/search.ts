// bench/registry search: exact search by phone and by ID number through the HTTP API on a
// SQLite database of 1,000,000 residents, against the same lookup as a bare SQL query in the
// same process. Prints JSON. Not a test.
//
//   npx tsx bench/registry/search.ts [--residents 1000000] [--lookups 2000]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { PlacesService, ResidentsService } from '../../server/src/modules/registry/index.js';
import { IdentityService } from '../../server/src/modules/identity/index.js';
import { makeIdNumber } from '../../server/src/modules/registry/standard/id-number.js';
import { newId } from '../../server/src/kernel/ids.js';
import { arg, percentiles } from './util.js';
import { printResult } from '../result.js';

const N = arg('residents', 1_000_000);
const LOOKUPS = arg('lookups', 2000);
const dir = path.resolve('bench/.data/search');

function phoneOf(i: number) {
  return `13${String(i).padStart(9, '0')}`;
}
// 6 (division) + 8 (birth) + 3 (order) digits must be unique per i: spread i over division × birth × order
function makeUniqueId(i: number, _division: string, _birth: string) {
  const order = i % 1000;
  const day = Math.floor(i / 1000) % 28;
  const month = Math.floor(i / 28000) % 12;
  const year = 1940 + (Math.floor(i / 336000) % 70);
  const division = 110101 + Math.floor(i / (336000 * 70));
  return makeIdNumber(String(division), `${year}-${String(month + 1).padStart(2, '0')}-${String(day + 1).padStart(2, '0')}`, String(order).padStart(3, '0'));
}

async function main() {
  const readyFile = path.join(dir, 'ready');
  const fresh = !fs.existsSync(readyFile) || fs.readFileSync(readyFile, 'utf8') !== String(N);
  if (fresh) fs.rmSync(dir, { recursive: true, force: true });
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0', LINLI_PORT: '0' });
  const { app, kernel } = await buildApp({ config, logger: pino({ level: 'silent' }), rateLimit: 10_000_000 });
  const raw = kernel.database.sqlite!;
  const t0 = performance.now();
  if (fresh) {
    // Setup: places through the service; residents built by the service (encryption and blind
    // indexes are the real ones) and written with one prepared statement for speed.
    const places = new PlacesService(kernel);
    const residents = new ResidentsService(kernel);
    const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
    const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
    const houses: Awaited<ReturnType<PlacesService['insertPlace']>>[] = [];
    for (let e = 0; e < 10; e++) {
      const estate = await places.insertPlace({ kind: 'estate', name: `小区${e}` }, community);
      for (let b = 0; b < 10; b++) {
        const building = await places.insertPlace({ kind: 'building', name: `${b + 1}号楼` }, estate);
        const unit = await places.insertPlace({ kind: 'unit', name: '1单元' }, building);
        for (let h = 0; h < 100; h++)
          houses.push(
            await places.insertPlace(
              { kind: 'house', name: String(100 * (1 + Math.floor(h / 4)) + (h % 4) + 1), floor: 1 + Math.floor(h / 4), areaM2: 80 },
              unit,
            ),
          );
      }
    }
    const insR = raw.prepare(
      'insert into residents (id, community_id, place_path, name, id_type, id_number_enc, id_number_bidx, gender, birth_date, ethnicity, phone_enc, phone_bidx, tags, status, note, created_at, updated_at) values (@id, @community_id, @place_path, @name, @id_type, @id_number_enc, @id_number_bidx, @gender, @birth_date, @ethnicity, @phone_enc, @phone_bidx, @tags, @status, @note, @created_at, @updated_at)',
    );
    const insS = raw.prepare(
      'insert into residencies (id, resident_id, house_id, household_id, community_id, place_path, role, relation, move_in, move_out, move_out_reason, created_at) values (?, ?, ?, null, ?, ?, ?, null, ?, null, null, ?)',
    );
    const batch = raw.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const house = houses[i % houses.length];
        const idNumber = makeUniqueId(i, '', '');
        const row = residents.buildRow(
          {
            name: `居民${i}`,
            idType: '01',
            idNumber,
            gender: Number(idNumber[16]) % 2 ? '1' : '2',
            birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
            ethnicity: '01',
            phone: phoneOf(i),
            tags: [],
            note: null,
          },
          community.id,
          house.path,
        );
        insR.run(row);
        insS.run(newId('rsd'), row.id, house.id, community.id, house.path, 'owner', '2020-01-01', row.created_at);
      }
    });
    for (let i = 0; i < N; i += 10_000) {
      batch(i, Math.min(N, i + 10_000));
      if (i % 100_000 === 0) process.stderr.write(`  seeded ${i}\n`);
    }
    raw.exec('analyze');
    const id = new IdentityService(kernel);
    const u = await id.createStaffUser({ username: 'bench', displayName: 'bench', password: 'bench-password-1' }, null);
    await id.addGrant(u.id, 'community_staff', community.id, null);
    fs.writeFileSync(path.join(dir, 'ready'), String(N));
  }
  const setupSeconds = (performance.now() - t0) / 1000;

  // a signed-in staff member of the community, through the real API
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const loginRes = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password: 'bench-password-1' }),
  });
  const cookie = /linli_session=[^;]+/.exec(loginRes.headers.get('set-cookie')!)![0];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (p: number, url: string): Promise<any> =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: p, path: url, agent, headers: { cookie } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(JSON.parse(body)));
        })
        .on('error', reject);
    });

  const total = Number((raw.prepare('select count(*) n from residents').get() as any).n);
  const pick = Array.from({ length: LOOKUPS }, (_, k) => Math.floor((((k * 2654435761) % 4294967296) / 4294967296) * total));
  const bareStmt = {
    phone: raw.prepare('select * from residents where phone_bidx = ? order by id limit 20'),
    id: raw.prepare('select * from residents where id_number_bidx = ? order by id limit 20'),
  };

  // Baseline HTTP route: a bare node:http server in this process answering the bare SQL lookup.
  const bareServer = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const kind = u.searchParams.has('phone') ? 'phone' : 'id';
    const value = u.searchParams.get('phone') ?? u.searchParams.get('idNumber')!;
    const rows = bareStmt[kind].all(kernel.vault.blindIndex(kind === 'phone' ? 'phone' : 'id_number', value));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ items: rows, total: rows.length }));
  });
  await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', () => r()));
  const barePort = (bareServer.address() as { port: number }).port;

  async function run(kind: 'phone' | 'id') {
    const sqlMs: number[] = [];
    const bareHttpMs: number[] = [];
    const apiMs: number[] = [];
    let misses = 0;
    const q = (i: number) => (kind === 'phone' ? 'phone=' + phoneOf(i) : 'idNumber=' + makeUniqueId(i, '', ''));
    // warm-up: JIT, statement cache and the index pages this run touches
    for (const i of pick.slice(0, 500)) {
      await get(port, `/api/v1/residents?${q(i)}`);
      await get(barePort, `/?${q(i)}`);
    }
    for (const i of pick) {
      const value = kind === 'phone' ? phoneOf(i) : makeUniqueId(i, '', '');
      let s = performance.now();
      const rows = bareStmt[kind].all(kernel.vault.blindIndex(kind === 'phone' ? 'phone' : 'id_number', value));
      sqlMs.push(performance.now() - s);
      if (rows.length !== 1) misses++;
      s = performance.now();
      await get(barePort, `/?${q(i)}`);
      bareHttpMs.push(performance.now() - s);
      s = performance.now();
      const body = await get(port, `/api/v1/residents?${q(i)}`);
      apiMs.push(performance.now() - s);
      if (body.total !== 1) misses++;
    }
    const a = percentiles(apiMs);
    const b = percentiles(bareHttpMs);
    return {
      lookups: pick.length,
      misses,
      bareSqlMs: percentiles(sqlMs),
      bareHttpRouteMs: b,
      linliApiMs: a,
      ratioToBareHttpP50: +(a.p50 / b.p50).toFixed(1),
      ratioToBareHttpP99: +(a.p99 / b.p99).toFixed(1),
    };
  }

  const result = {
    bench: 'registry.search',
    residents: total,
    setupSeconds: +setupSeconds.toFixed(1),
    node: process.version,
    phone: await run('phone'),
    idNumber: await run('id'),
    target: 'p99 <= 5 ms for exact search through the HTTP API',
  };
  printResult(JSON.stringify(result, null, 2));
  bareServer.close();
  agent.destroy();
  await app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
