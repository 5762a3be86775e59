import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { eventually } from '../../test/wait.js';

const T0 = '2026-11-25T02:00:00.000Z';

const questions = [
  { id: 'q1', type: 'single', title: '是否养宠物', required: true, options: ['是', '否'] },
  { id: 'q2', type: 'multiple', title: '宠物种类', required: true, options: ['猫', '狗', '其他'], showIf: { questionId: 'q1', anyOf: ['是'] } },
  { id: 'q3', type: 'rating', title: '小区环境满意度', required: true, scale: 5 },
  { id: 'q4', type: 'matrix_single', title: '各项服务评价', options: ['好', '一般', '差'], rows: ['保洁', '安保'] },
  { id: 'q5', type: 'ranking', title: '改造优先级', options: ['电梯', '停车', '绿化'] },
  { id: 'q6', type: 'textarea', title: '其他建议' },
  { id: 'q7', type: 'matrix_multiple', title: '常去的场所', options: ['上午', '下午'], rows: ['公园', '菜场'] },
  { id: 'q8', type: 'text', title: '称呼' },
];

describeEachDialect('participation: surveys', (dialect) => {
  let t: TestApp;
  let w: World;
  const clock = new FixedClock(new Date(T0));
  let staff: Client, gov: Client, a: Client, b: Client, c: Client, outsider: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    // a and b share house1 (one household); c lives next door; outsider in c2
    const ra = await buildResident(t.kernel, w.house1, { name: '甲', phone: '13900004001', birthDate: '1950-01-01' });
    const rb = await buildResident(t.kernel, w.house1, { name: '乙', phone: '13900004002', role: 'family' });
    const rc = await buildResident(t.kernel, w.house1b, { name: '丙', phone: '13900004003' });
    const ro = await buildResident(t.kernel, w.house2, { name: '丁', phone: '13900004004' });
    for (const [r, cm] of [
      [ra, w.c1],
      [rb, w.c1],
      [rc, w.c1],
      [ro, w.c2],
    ] as const)
      await buildResidentUser(t.kernel, r, cm);
    await buildStaff(t.kernel, 'sv_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'sv_gov', 'gov_supervisor', w.street);
    staff = await login(t.app, 'sv_staff', PASSWORD);
    gov = await login(t.app, 'sv_gov', PASSWORD);
    a = await loginResident(t.app, '13900004001', PASSWORD);
    b = await loginResident(t.app, '13900004002', PASSWORD);
    c = await loginResident(t.app, '13900004003', PASSWORD);
    outsider = await loginResident(t.app, '13900004004', PASSWORD);
  });
  afterAll(async () => t?.close());

  const create = async (body: Record<string, unknown> = {}) => {
    const res = await staff.post('/api/v1/surveys', { communityId: w.c1.id, title: '宠物与环境调查', questions, ...body });
    expect(res.status, res.body).toBe(201);
    return res.json;
  };

  it('refuses a condition on a later or non-choice question', async () => {
    const res = await staff.post('/api/v1/surveys', {
      communityId: w.c1.id,
      title: 'x',
      questions: [
        { id: 'a', type: 'text', title: 'x' },
        { id: 'b', type: 'single', title: 'y', options: ['1', '2'], showIf: { questionId: 'a', anyOf: ['1'] } },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[0]).toMatchObject({ field: 'questions.1.showIf', code: 'surveys.bad_condition' });
    expect((await staff.post('/api/v1/surveys', { communityId: w.c2.id, title: 'x', questions })).status).toBe(404);
  });

  it('checks required and conditional questions on the server, one response per resident', async () => {
    const s = await create();
    const url = `/api/v1/surveys/${s.id}/responses`;
    // q2 is shown when q1 = 是, so it is required then
    let r = await a.post(url, { answers: { q1: '是', q3: 4 } });
    expect(r.status).toBe(422);
    expect(r.json.errors).toEqual([expect.objectContaining({ field: 'answers.q2', code: 'surveys.answer_required' })]);
    // q2 is hidden when q1 = 否: an answer to it is refused
    r = await a.post(url, { answers: { q1: '否', q2: ['猫'], q3: 4 } });
    expect(r.json.errors).toEqual([expect.objectContaining({ field: 'answers.q2', code: 'surveys.answer_hidden' })]);
    r = await a.post(url, { answers: { q1: '是', q2: ['猫', '鱼'], q3: 9, q5: ['电梯', '电梯', '停车'] } });
    expect(r.json.errors.map((e: any) => e.field).sort()).toEqual(['answers.q2', 'answers.q3', 'answers.q5']);
    r = await a.post(url, {
      answers: {
        q1: '是',
        q2: ['猫', '狗'],
        q3: 4,
        q4: { 保洁: '好', 安保: '一般' },
        q5: ['停车', '电梯', '绿化'],
        q6: '多种树',
        q7: { 公园: ['上午', '下午'] },
        q8: '老甲',
      },
    });
    expect(r.status, r.body).toBe(201);
    expect((await a.post(url, { answers: { q1: '否', q3: 1 } })).status).toBe(409);
    // per resident: a household member answers for themselves
    expect((await b.post(url, { answers: { q1: '否', q3: 2 } })).status).toBe(201);
    expect((await outsider.post(url, { answers: { q1: '否', q3: 2 } })).status).toBe(404);

    const res = await staff.get(`/api/v1/surveys/${s.id}/results`);
    expect(res.json.responses).toBe(2);
    expect(res.json.eligible).toBe(3);
    const q = Object.fromEntries(res.json.questions.map((x: any) => [x.id, x]));
    expect(q.q1.options).toEqual([
      { option: '是', count: 1 },
      { option: '否', count: 1 },
    ]);
    expect(q.q3.mean).toBe(3);
    expect(q.q4.rows[0]).toEqual({
      row: '保洁',
      options: [
        { option: '好', count: 1 },
        { option: '一般', count: 0 },
        { option: '差', count: 0 },
      ],
    });
    expect(q.q5.options[0]).toEqual({ option: '停车', meanRank: 1 });
    expect(res.json.byBuilding).toEqual([expect.objectContaining({ buildingName: '1号楼', eligible: 3, responses: 2 })]);
    expect((await gov.get(`/api/v1/surveys/${s.id}`)).status).toBe(200);
    expect((await gov.get(`/api/v1/surveys/${s.id}/results`)).json.responses).toBe(2);
    expect((await a.get(`/api/v1/surveys/${s.id}/results`)).status).toBe(403);

    // named export carries who answered
    const x = await staff.req('GET', `/api/v1/surveys/${s.id}/export`);
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}/export`, headers: { cookie: staff.cookie } })).rawPayload as any);
    const names = wb.worksheets[0].getColumn(1).values.slice(2);
    expect(names.sort()).toEqual(['乙', '甲']);
  });

  it('one response per household, anonymous responses hold no resident and export no identity', async () => {
    const s = await create({ per: 'household', anonymous: true, questions: [{ id: 'q1', type: 'rating', title: '满意度', required: true }] });
    const url = `/api/v1/surveys/${s.id}/responses`;
    expect((await a.post(url, { answers: { q1: 5 } })).status).toBe(201);
    const dup = await b.post(url, { answers: { q1: 1 } });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('surveys.already_answered');
    expect((await c.post(url, { answers: { q1: 3 } })).status).toBe(201);
    const rows = await t.kernel.db.selectFrom('pt_survey_responses').selectAll().where('survey_id', '=', s.id).execute();
    expect(rows.map((r) => r.resident_id)).toEqual([null, null]);
    expect(rows.every((r) => !String(r.id).startsWith('svr_01'))).toBe(true);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}/export`, headers: { cookie: staff.cookie } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, '日期 Day', '满意度']);
    const results = await staff.get(`/api/v1/surveys/${s.id}/results`);
    expect(results.json.eligible).toBe(2); // two households
    expect(results.json.responses).toBe(2);
    expect((await b.get(`/api/v1/surveys/${s.id}`)).json.answered).toBe(true);
  });

  it('takes one of two household members answering at the same moment', async () => {
    const s = await create({ per: 'household', questions: [{ id: 'q1', type: 'rating', title: '满意度', required: true }] });
    const url = `/api/v1/surveys/${s.id}/responses`;
    const outs = await Promise.all([a.post(url, { answers: { q1: 5 } }), b.post(url, { answers: { q1: 1 } })]);
    expect(outs.map((o) => o.status).sort()).toEqual([201, 409]);
    const rows = await t.kernel.db.selectFrom('pt_survey_responses').selectAll().where('survey_id', '=', s.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps to the audience and the open time; answering earns points once', async () => {
    const elderly = await create({ audience: { placeIds: [], tags: ['elderly'] }, questions: [{ id: 'q1', type: 'text', title: '需求', required: true }] });
    expect((await c.get(`/api/v1/surveys/${elderly.id}`)).status).toBe(404);
    expect((await c.get('/api/v1/surveys')).json.items.map((x: any) => x.id)).not.toContain(elderly.id);
    expect((await a.get('/api/v1/surveys')).json.items.map((x: any) => x.id)).toContain(elderly.id);
    const before = (await a.get('/api/v1/points/me')).json.balance;
    expect((await a.post(`/api/v1/surveys/${elderly.id}/responses`, { answers: { q1: '送餐' } })).status).toBe(201);
    await eventually(async () => (await a.get('/api/v1/points/me')).json.balance === before + 5);

    const later = await create({ opensAt: new Date(Date.parse(T0) + 86400_000).toISOString(), questions: [{ id: 'q1', type: 'text', title: 'x' }] });
    const r = await a.post(`/api/v1/surveys/${later.id}/responses`, { answers: { q1: 'x' } });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('surveys.not_open');
    await staff.post(`/api/v1/surveys/${elderly.id}/close`);
    expect((await a.get(`/api/v1/surveys/${elderly.id}`)).json.state).toBe('closed');
  });
});
