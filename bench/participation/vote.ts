// bench/participation vote: an owners' vote under Civil Code Art. 278 with 10,000 eligible owners
// holding different areas. Measures opening (roll snapshot from the registry) and closing
// (counting, consistency check, the Art. 278 verdict, resealing the secret ballots) through the
// service, against the same counting as bare SQL aggregations in the same process.
// Prints JSON. Not a test. Target: close ≤ 1 s.
//
//   npx tsx bench/participation/vote.ts [--owners 10000] [--pg]
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { insertMany } from '../../server/src/kernel/db/index.js';
import { PlacesService } from '../../server/src/modules/registry/index.js';
import { VotesService } from '../../server/src/modules/council/votes.service.js';
import { ballotId } from '../../server/src/modules/council/votes.repository.js';
import { arg, benchApp, SYSTEM } from './notices.js';
import { printResult } from '../result.js';

async function main() {
  const N = arg('owners', 10_000);
  const b = await benchApp();
  const k = b.kernel;
  const places = new PlacesService(k);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
  const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const estate = await places.insertPlace({ kind: 'estate', name: '基准小区' }, community);
  const now = new Date().toISOString();
  const hs: Record<string, unknown>[] = [],
    rs: Record<string, unknown>[] = [],
    rr: Record<string, unknown>[] = [];
  let unit: Awaited<ReturnType<PlacesService['insertPlace']>> | null = null;
  for (let i = 0; i < N; i++) {
    if (i % 500 === 0)
      unit = await places.insertPlace(
        { kind: 'unit', name: `${i / 500 + 1}单元` },
        await places.insertPlace({ kind: 'building', name: `${i / 500 + 1}号楼` }, estate),
      );
    const id = `hse_bench${String(i).padStart(8, '0')}`;
    const path = `${unit!.path}${id}/`;
    hs.push({
      id,
      kind: 'house',
      region_level: null,
      parent_id: unit!.id,
      path,
      community_id: community.id,
      name: `${i}`,
      code: null,
      floor: 1,
      area_m2: 50 + ((i * 37) % 10_100) / 100,
      house_use: null,
      time_zone: null,
      sort: 0,
      created_at: now,
      updated_at: now,
    });
    rs.push({
      id: `res_bench${String(i).padStart(8, '0')}`,
      community_id: community.id,
      place_path: path,
      name: `业主${i}`,
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
      resident_id: rs[i].id as string,
      house_id: id,
      household_id: null,
      community_id: community.id,
      place_path: path,
      role: 'owner',
      relation: '02',
      move_in: '2020-01-01',
      move_out: null,
      move_out_reason: null,
      created_at: now,
    });
  }
  await k.db.transaction().execute(async (t) => {
    await insertMany(k.database, t, 'places', hs);
    await insertMany(k.database, t, 'residents', rs);
    await insertMany(k.database, t, 'residencies', rr);
  });

  const votes = new VotesService(k, async () => false);
  const v = await votes.create(
    SYSTEM,
    { communityId: community.id, title: '加装电梯', basis: 'owners', secret: true, rule: 'art278', major: true },
    '127.0.0.1',
  );
  const t0 = performance.now();
  await votes.open(SYSTEM, v.id as string, '127.0.0.1');
  const openMs = performance.now() - t0;

  // 80 % of the owners vote (bulk, consistent with what casting writes): roll, ballots, tallies
  const roll = await k.db
    .selectFrom('council_vote_roll')
    .select(['voter_key', 'area_centi'])
    .where('vote_id', '=', v.id as string)
    .execute();
  const voters = roll.filter((_, i) => i % 5 !== 0);
  const tally: Record<string, { heads: number; area: number }> = { yes: { heads: 0, area: 0 }, no: { heads: 0, area: 0 }, abstain: { heads: 0, area: 0 } };
  const ballots = voters.map((r, i) => {
    const choice = i % 10 < 8 ? 'yes' : i % 10 === 8 ? 'no' : 'abstain';
    tally[choice].heads++;
    tally[choice].area += Number(r.area_centi);
    return { id: ballotId(), vote_id: v.id, choice, voter_key: null, area_centi: null };
  });
  await k.db.transaction().execute(async (t) => {
    for (let i = 0; i < voters.length; i += 500)
      await t
        .updateTable('council_vote_roll')
        .set({ voted: 1, channel: 'online', voted_at: now })
        .where('vote_id', '=', v.id as string)
        .where(
          'voter_key',
          'in',
          voters.slice(i, i + 500).map((r) => r.voter_key),
        )
        .execute();
    await insertMany(k.database, t, 'council_ballots', ballots);
    for (const [choice, c] of Object.entries(tally))
      await t
        .updateTable('council_tallies')
        .set({ heads: c.heads, area_centi: c.area })
        .where('vote_id', '=', v.id as string)
        .where('choice', '=', choice)
        .execute();
    await t
      .updateTable('council_votes')
      .set({ ballots_cast: voters.length })
      .where('id', '=', v.id as string)
      .execute();
  });

  // baseline: the same counting as bare SQL
  const t1 = performance.now();
  const base1 = await sql<{ choice: string; n: number }>`select choice, count(*) as n from council_ballots where vote_id = ${v.id} group by choice`.execute(
    k.db,
  );
  const base2 = await sql<{
    n: number;
    a: number;
  }>`select count(*) as n, sum(area_centi) as a from council_vote_roll where vote_id = ${v.id} and voted = 1`.execute(k.db);
  const base3 = await sql`select choice, heads, area_centi from council_tallies where vote_id = ${v.id}`.execute(k.db);
  const baselineMs = performance.now() - t1;

  const t2 = performance.now();
  const closed = await votes.close(SYSTEM, v.id as string, '127.0.0.1');
  const closeMs = performance.now() - t2;
  const r = closed.result as { outcome: string; decidedBy: string; consistent: boolean };
  printResult(
    JSON.stringify({
      bench: 'participation.vote_art278',
      dialect: b.dialect,
      owners: N,
      voted: voters.length,
      outcome: r.outcome,
      decidedBy: r.decidedBy,
      consistent: r.consistent,
      openMs: Math.round(openMs),
      closeMs: Math.round(closeMs),
      baselineMs: +baselineMs.toFixed(1),
      ratio: +(closeMs / baselineMs).toFixed(1),
      targetMs: 1000,
      withinTarget: closeMs <= 1000,
      check: { ballots: base1.rows.length, roll: Number(base2.rows[0].n), tallies: base3.rows.length },
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
