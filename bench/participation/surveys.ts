// bench/participation surveys: results of a survey with 5,000 responses (eight question types;
// per-question aggregates, the audience of 10,000 residents and the response rate per building)
// through the service, against one bare SQL aggregation of one question in the same process.
// Prints JSON. Not a test. Target: ≤ 500 ms.
//
//   npx tsx bench/participation/surveys.ts [--responses 5000] [--pg]
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { insertMany } from '../../server/src/kernel/db/index.js';
import { SurveysService } from '../../server/src/modules/participation/surveys.service.js';
import { arg, benchApp, buildCommunity, SYSTEM } from './notices.js';
import { printResult } from '../result.js';

const questions = [
  { id: 'q1', type: 'single' as const, title: '是否养宠物', required: true, options: ['是', '否'] },
  { id: 'q2', type: 'multiple' as const, title: '设施', options: ['便便箱', '活动区', '宣传'], showIf: { questionId: 'q1', anyOf: ['是'] } },
  { id: 'q3', type: 'rating' as const, title: '满意度', required: true },
  { id: 'q4', type: 'matrix_single' as const, title: '服务', options: ['好', '一般', '差'], rows: ['保洁', '绿化', '安保'] },
  { id: 'q5', type: 'matrix_multiple' as const, title: '时段', options: ['上午', '下午'], rows: ['公园', '菜场'] },
  { id: 'q6', type: 'ranking' as const, title: '改造', options: ['电梯', '停车', '绿地'] },
  { id: 'q7', type: 'text' as const, title: '称呼' },
  { id: 'q8', type: 'textarea' as const, title: '建议' },
];

async function main() {
  const N = arg('responses', 5000);
  const b = await benchApp();
  const k = b.kernel;
  const { community } = await buildCommunity(k, 10_000);
  const svc = new SurveysService(k);
  const s = await svc.create(SYSTEM, { communityId: community.id, title: '基准问卷', questions }, '127.0.0.1');
  const people = await k.db.selectFrom('residencies').select(['resident_id', 'place_path']).orderBy('resident_id').limit(N).execute();
  const pick = <T>(a: T[], i: number) => a[i % a.length];
  const roll: Record<string, unknown>[] = [],
    responses: Record<string, unknown>[] = [];
  for (const [i, p] of people.entries()) {
    const pet = i % 3 === 0;
    const answers = {
      q1: pet ? '是' : '否',
      ...(pet ? { q2: ['便便箱', '活动区'].slice(0, 1 + (i % 2)) } : {}),
      q3: 1 + (i % 5),
      q4: { 保洁: pick(['好', '一般', '差'], i), 绿化: pick(['好', '一般'], i) },
      q5: { 公园: ['上午'] },
      q6: i % 2 ? ['电梯', '停车', '绿地'] : ['停车', '电梯', '绿地'],
      q7: `居民${i}`,
      q8: i % 10 === 0 ? '希望多组织活动' : undefined,
    };
    roll.push({
      survey_id: s.id,
      respondent_key: p.resident_id,
      resident_id: p.resident_id,
      building_id:
        String(p.place_path)
          .split('/')
          .find((x: string) => x.startsWith('bld_')) ?? null,
      responded_at: new Date().toISOString(),
    });
    responses.push({ id: `svr_bench${i}`, survey_id: s.id, resident_id: p.resident_id, answers: JSON.stringify(answers), day: '2026-11-25' });
  }
  await k.db.transaction().execute(async (t) => {
    await insertMany(k.database, t, 'pt_survey_respondents', roll);
    await insertMany(k.database, t, 'pt_survey_responses', responses);
  });

  await svc.results(SYSTEM, s.id); // warm-up
  const runs: number[] = [];
  let r;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    r = await svc.results(SYSTEM, s.id);
    runs.push(performance.now() - t0);
  }
  const base: number[] = [];
  const expr = b.dialect === 'postgres' ? sql`(answers::json->>'q1')` : sql`json_extract(answers, '$.q1')`;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await sql`select ${expr} as v, count(*) as n from pt_survey_responses where survey_id = ${s.id} group by v`.execute(k.db);
    base.push(performance.now() - t0);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  printResult(
    JSON.stringify({
      bench: 'participation.survey_results',
      dialect: b.dialect,
      responses: r!.responses,
      eligible: r!.eligible,
      buildings: r!.byBuilding.length,
      serviceMedianMs: Math.round(med(runs)),
      baselineMedianMs: +med(base).toFixed(1),
      ratio: +(med(runs) / med(base)).toFixed(1),
      targetMs: 500,
      withinTarget: med(runs) <= 500,
    }),
  );
  await b.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
