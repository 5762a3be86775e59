// bench/exchange/link: linking department records to residents. 100,000 incoming records (90 %
// with a valid ID number, the rest without, all with the noise of resolve.noise.ts) against a
// SQLite registry of 1,000,000 residents, through the exchange module's resolver (blind-index
// lookups, then Fellegi–Sunter over blocked candidates). Baseline in the same process: the bare
// blind-index lookup loop (HMAC + one prepared SELECT per record). Prints JSON; not a test.
//
//   npx tsx bench/exchange/link.ts [--residents 1000000] [--records 100000] [--no-id 0.1]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { systemActor } from '../../server/src/kernel/authz/index.js';
import { PlacesService, ResidentsService } from '../../server/src/modules/registry/index.js';
import { makeIdNumber } from '../../server/src/modules/registry/standard/id-number.js';
import { Resolver } from '../../server/src/modules/exchange/resolve.service.js';
import { RecordsService } from '../../server/src/modules/exchange/records.service.js';
import type { MappedRecord } from '../../server/src/modules/exchange/mapping.js';
import { ESTATES, incoming, population, seeded } from '../../server/src/modules/exchange/resolve.noise.js';
import { arg } from '../registry/util.js';
import { printResult } from '../result.js';

const N = arg('residents', 1_000_000);
const M = arg('records', 100_000);
const NO_ID = arg('no-id', 0.1);
const TARGET_SECONDS = 60;
const dir = path.resolve(`bench/.data/exchange-link`);

/** A unique valid ID number for resident i, carrying the resident's birth date. */
const idOf = (i: number, birthDate: string, offset = 0) =>
  makeIdNumber(String(110000 + offset + Math.floor(i / 1000)), birthDate, String(i % 1000).padStart(3, '0'));

async function main() {
  const readyFile = path.join(dir, 'ready');
  const fresh = !fs.existsSync(readyFile) || fs.readFileSync(readyFile, 'utf8') !== String(N);
  if (fresh) fs.rmSync(dir, { recursive: true, force: true });
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0', LINLI_PORT: '0' });
  const { app, kernel } = await buildApp({ config, logger: pino({ level: 'silent' }), rateLimit: 10_000_000 });
  const raw = kernel.database.sqlite!;
  const t0 = performance.now();

  // the same residents every run (seeded), so an existing database is reused
  const rng = seeded(20261208);
  const people = population(rng, N);
  const places = new PlacesService(kernel);
  let community = await places.repo.firstByKindAndName('community', '基准社区');
  if (fresh) {
    const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
    community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
    // 10 estates × 10 buildings × 2 units × 50 houses, labelled like the generator's addresses
    const houses: { path: string; label: string }[] = [];
    for (const e of ESTATES) {
      const estate = await places.insertPlace({ kind: 'estate', name: e }, community);
      for (let b = 1; b <= 10; b++) {
        const building = await places.insertPlace({ kind: 'building', name: `${b}号楼` }, estate);
        for (let u = 1; u <= 2; u++) {
          const unit = await places.insertPlace({ kind: 'unit', name: `${u}单元` }, building);
          for (let h = 0; h < 50; h++) {
            const name = `${1 + Math.floor(h / 4)}0${1 + (h % 4)}`;
            const house = await places.insertPlace({ kind: 'house', name, floor: 1 + Math.floor(h / 4), areaM2: 80 }, unit);
            houses.push({ path: house.path, label: `${e} ${b}号楼 ${u}单元 ${name}` });
          }
        }
      }
    }
    const residents = new ResidentsService(kernel);
    const insR = raw.prepare(
      'insert into residents (id, community_id, place_path, name, id_type, id_number_enc, id_number_bidx, gender, birth_date, ethnicity, phone_enc, phone_bidx, tags, status, note, created_at, updated_at) values (@id, @community_id, @place_path, @name, @id_type, @id_number_enc, @id_number_bidx, @gender, @birth_date, @ethnicity, @phone_enc, @phone_bidx, @tags, @status, @note, @created_at, @updated_at)',
    );
    const houseOf = new Map<string, number>();
    const batch = raw.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const p = people[i];
        // a family keeps one house
        let h = houseOf.get(p.address!);
        if (h === undefined) houseOf.set(p.address!, (h = houseOf.size % houses.length));
        const idNumber = idOf(i, p.birthDate!);
        const row = residents.buildRow(
          {
            name: p.name,
            idType: '01',
            idNumber,
            gender: Number(idNumber[16]) % 2 ? '1' : '2',
            birthDate: p.birthDate,
            ethnicity: '01',
            phone: p.phone,
            tags: [],
            note: null,
          },
          community!.id,
          houses[h].path,
        );
        insR.run(row);
      }
    });
    for (let i = 0; i < N; i += 10_000) {
      batch(i, Math.min(N, i + 10_000));
      if (i % 100_000 === 0) process.stderr.write(`  seeded ${i}\n`);
    }
    raw.exec('analyze');
    fs.writeFileSync(readyFile, String(N));
  }
  const setupSeconds = (performance.now() - t0) / 1000;
  const phase = (what: string) => process.stderr.write(`  ${what} at ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  phase('registry ready');

  // the residents as stored: their address is their house's label, their gender the ID's
  const idByResident = new Map<string, number>();
  const stored = people.map((p, i) => {
    idByResident.set(p.id, i);
    return { ...p, gender: Number(idOf(i, p.birthDate!)[16]) % 2 ? '1' : '2' };
  });
  // addresses of the stored residents, read back once (a family's label)
  const labelOf = await (async () => {
    const rows = raw.prepare('select id, place_path from residents order by rowid').all() as { id: string; place_path: string }[];
    const byPath = await new ResidentsService(kernel).labelsFromPaths([...new Set(rows.map((r) => r.place_path))]);
    const out = new Map<string, string>();
    for (const r of rows) out.set(r.id, byPath.get(r.place_path.split('/').filter(Boolean).pop()!) ?? '');
    return out;
  })();
  const storedIds = (raw.prepare('select id from residents order by rowid').all() as { id: string }[]).map((r) => r.id);

  // 100,000 incoming records: noisy copies of residents (90 %) and of people the registry lacks
  const recRng = seeded(42);
  const truthPeople = stored.slice(0, Math.min(N, 200_000)).map((p, i) => ({ ...p, address: labelOf.get(storedIds[i]) ?? null }));
  const records: { v: MappedRecord; truthIdx: number | null }[] = [];
  let strangerSeq = 0;
  for (const r of incoming(recRng, truthPeople, M, 0.9)) {
    const idx = r.truth ? idByResident.get(r.truth)! : null;
    const withId = !recRng.chance(NO_ID);
    const idNumber = withId ? (idx !== null ? idOf(idx, stored[idx].birthDate!) : idOf(strangerSeq++, stored[0].birthDate!, 5000)) : null;
    records.push({
      v: { name: r.name, idNumber, gender: r.gender, birthDate: r.birthDate, ethnicity: null, phone: r.phone, address: r.address, tags: [] },
      truthIdx: idx,
    });
  }

  phase(`${records.length} incoming records built`);
  // ---- baseline: the bare blind-index lookup loop
  const stmt = raw.prepare('select id from residents where id_number_bidx = ?');
  const withIds = records.filter((r) => r.v.idNumber);
  let b0 = performance.now();
  let found = 0;
  for (const r of withIds) if (stmt.get(kernel.vault.blindIndex('id_number', r.v.idNumber!))) found++;
  const baselineSeconds = (performance.now() - b0) / 1000;

  phase('baseline done');
  // ---- the resolver, as an upload of the whole file would run it
  const svc = new RecordsService(kernel);
  const src = await svc.createSource(systemActor('bench'), { name: '基准派出所', department: 'police', placeId: community!.id }, '127.0.0.1');
  const srcRow = (await svc.repo.source(src.id))!;
  const resolver = new Resolver(kernel, svc.repo);
  b0 = performance.now();
  const out = await resolver.resolve(
    srcRow,
    records.map((r) => r.v),
  );
  const linkSeconds = (performance.now() - b0) / 1000;

  let tp = 0;
  let fp = 0;
  let fn = 0;
  const counts = { linked: 0, review: 0, new: 0 };
  out.forEach((o, i) => {
    counts[o.status]++;
    const truth = records[i].truthIdx === null ? null : storedIds[records[i].truthIdx!];
    if (o.status === 'linked') {
      if (o.residentId === truth) tp++;
      else fp++;
    }
    if (truth && !(o.status === 'linked' && o.residentId === truth)) fn++;
  });
  const result = {
    bench: 'exchange.link',
    residents: N,
    records: M,
    recordsWithId: withIds.length,
    recordsWithoutId: M - withIds.length,
    setupSeconds: +setupSeconds.toFixed(1),
    baseline: { what: 'bare blind-index lookup loop (HMAC + prepared SELECT)', lookups: withIds.length, found, seconds: +baselineSeconds.toFixed(2) },
    link: { seconds: +linkSeconds.toFixed(2), ...counts, precision: +(tp / (tp + fp)).toFixed(4), recall: +(tp / (tp + fn)).toFixed(4) },
    ratioToBaseline: +(linkSeconds / baselineSeconds).toFixed(1),
    targetSeconds: TARGET_SECONDS,
    pass: linkSeconds <= TARGET_SECONDS,
  };
  await app.close();
  printResult(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
