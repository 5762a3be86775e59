// bench/participation notices: a notice to 10,000 residents (all with a sign-in account)
// delivered to their inboxes — audience resolution, recipients, inbox messages — through the
// service, against the same delivery as two bare INSERT … SELECT statements in the same process.
// Prints JSON. Not a test. Target: ≤ 5 s.
//
//   npx tsx bench/participation/notices.ts [--residents 10000] [--pg]   (--pg: PostgreSQL at LINLI_BENCH_PG_URL or 127.0.0.1)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { sql } from 'kysely';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { openDatabase, insertMany } from '../../server/src/kernel/db/index.js';
import type { Kernel } from '../../server/src/kernel/index.js';
import { PlacesService } from '../../server/src/modules/registry/index.js';
import { NoticesService } from '../../server/src/modules/participation/notices.service.js';
import { arg, freshPgDatabase } from '../registry/util.js';
import { printResult } from '../result.js';

export const SYSTEM = {
  userId: 'usr_system',
  kind: 'staff' as const,
  name: 'bench',
  residentId: null,
  sessionId: null,
  via: 'token' as const,
  grants: [{ role: 'platform_admin' as const, placeId: null, scopePath: '/' }],
};

export { arg } from '../registry/util.js';

/** A fresh app on SQLite (temp dir) or on a new PostgreSQL database. */
export async function benchApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-pt-'));
  const fresh = process.argv.includes('--pg') ? await freshPgDatabase(process.env.LINLI_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres') : null;
  const url = fresh?.url ?? null;
  const config = loadConfig({
    LINLI_DATA_DIR: dir,
    LINLI_LOG_LEVEL: 'silent',
    LINLI_MQTT_PORT: '0',
    LINLI_PORT: '0',
    ...(url ? { LINLI_DATABASE_URL: url } : {}),
  });
  const database = openDatabase({ url, sqliteFile: path.join(dir, 'linli.db') });
  const { app, kernel } = await buildApp({ config, database, logger: pino({ level: 'silent' }), rateLimit: 10_000_000 });
  await app.ready();
  return {
    kernel,
    dialect: database.dialect,
    async close() {
      await app.close();
      await database.close().catch(() => {});
      await fresh?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One community: 10 buildings × 100 houses, residents spread over them, each with an account. */
export async function buildCommunity(k: Kernel, residents: number) {
  const places = new PlacesService(k);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
  const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const estate = await places.insertPlace({ kind: 'estate', name: '基准小区' }, community);
  const houses = [];
  for (let b = 0; b < 10; b++) {
    const building = await places.insertPlace({ kind: 'building', name: `${b + 1}号楼` }, estate);
    const unit = await places.insertPlace({ kind: 'unit', name: '1单元' }, building);
    for (let h = 0; h < 100; h++) houses.push(await places.insertPlace({ kind: 'house', name: `${h + 101}`, floor: 1 + Math.floor(h / 4), areaM2: 80 }, unit));
  }
  const now = new Date().toISOString();
  const rs: Record<string, unknown>[] = [],
    rr: Record<string, unknown>[] = [],
    us: Record<string, unknown>[] = [];
  for (let i = 0; i < residents; i++) {
    const house = houses[i % houses.length];
    const id = `res_bench${String(i).padStart(8, '0')}`;
    rs.push({
      id,
      community_id: community.id,
      place_path: house.path,
      name: `居民${i}`,
      id_type: '01',
      id_number_enc: 'x',
      id_number_bidx: `bidx${i}`,
      gender: '1',
      birth_date: '1970-01-01',
      ethnicity: '01',
      phone_enc: null,
      phone_bidx: null,
      tags: '[]',
      status: 'active',
      note: null,
      created_at: now,
      updated_at: now,
    });
    rr.push({
      id: `rsd_bench${i}`,
      resident_id: id,
      house_id: house.id,
      household_id: null,
      community_id: community.id,
      place_path: house.path,
      role: 'owner',
      relation: '02',
      move_in: '2020-01-01',
      move_out: null,
      move_out_reason: null,
      created_at: now,
    });
    us.push({
      id: `usr_bench${i}`,
      kind: 'resident',
      username: null,
      phone_bidx: `pb${i}`,
      phone_enc: null,
      display_name: `居民${i}`,
      password_hash: null,
      resident_id: id,
      disabled: 0,
      lang: 'zh-CN',
      created_at: now,
      updated_at: now,
    });
  }
  await k.db.transaction().execute(async (t) => {
    await insertMany(k.database, t, 'residents', rs);
    await insertMany(k.database, t, 'residencies', rr);
    await insertMany(k.database, t, 'users', us);
  });
  return { community, houses };
}

async function main() {
  const N = arg('residents', 10_000);
  const b = await benchApp();
  const k = b.kernel;
  const { community } = await buildCommunity(k, N);
  const svc = new NoticesService(k);

  // warm-up on a one-building audience
  const estateBuildings = await k.db.selectFrom('places').select('id').where('kind', '=', 'building').limit(1).execute();
  await svc.create(
    SYSTEM,
    { communityId: community.id, title: 'warm-up', bodyHtml: '<p>x</p>', audience: { placeIds: [estateBuildings[0].id], tags: [] } },
    '127.0.0.1',
  );

  const t0 = performance.now();
  const n = await svc.create(SYSTEM, { communityId: community.id, title: '停水通知', bodyHtml: '<p>明天停水</p>' }, '127.0.0.1');
  const serviceMs = performance.now() - t0;
  const inbox = Number(
    (
      await k.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('link', '=', `/portal/participation/notices/${n.id}`)
        .executeTakeFirst()
    )?.n ?? 0,
  );

  // baseline: the same two effects as bare INSERT … SELECT
  const t1 = performance.now();
  await k.db.transaction().execute(async (t) => {
    await sql`insert into pt_notice_recipients (notice_id, resident_id, building_id, read_at)
      select 'base', r.resident_id, null, null from residencies r join residents p on p.id = r.resident_id
      where r.move_out is null and p.status = 'active' and r.place_path like ${community.path + '%'}`.execute(t);
    await sql`insert into notifications (id, user_id, kind, title, body, link, created_at, read_at)
      select 'ntf_base_' || u.id, u.id, 'base', 'x', 'x', null, ${new Date().toISOString()}, null from users u
      join pt_notice_recipients n on n.resident_id = u.resident_id and n.notice_id = 'base' where u.disabled = 0`.execute(t);
  });
  const baselineMs = performance.now() - t1;
  printResult(
    JSON.stringify({
      bench: 'participation.notice_delivery',
      dialect: b.dialect,
      residents: N,
      recipients: n.recipients,
      inboxMessages: inbox,
      serviceMs: Math.round(serviceMs),
      baselineMs: Math.round(baselineMs),
      ratio: +(serviceMs / baselineMs).toFixed(1),
      targetMs: 5000,
      withinTarget: serviceMs <= 5000,
    }),
  );
  await b.close();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
