// Votes through the real HTTP app on SQLite and PostgreSQL: roll snapshot from the registry,
// one ballot per voter across channels (also concurrently), secrecy in the tables, Art. 278
// area-weighted verdicts, hidden results, freezing, audit and the points event.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, createTestApp, type TestApp } from '../../test/harness.js';
import { login, loginResident, type Client } from '../../test/session.js';
import { buildResident, buildResidentUser, buildStaff, buildWorld, PASSWORD, systemActor, type World } from '../../test/fixtures.js';
import { FixedClock } from '../../kernel/clock.js';
import { verifyAuditChain } from '../../kernel/audit/index.js';
import { PlacesService, ResidentsService } from '../registry/index.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from '../participation/index.js';

const T0 = '2026-11-25T02:00:00.000Z';

describeEachDialect('council votes', (dialect) => {
  let t: TestApp;
  let w: World;
  let staff: Client, staffC2: Client, a: Client, b: Client, c: Client, e: Client, f: Client;
  const people: Record<string, { id: string }> = {};
  const actions: ParticipationAction[] = [];
  const clock = new FixedClock(new Date(T0));

  beforeAll(async () => {
    t = await createTestApp(dialect, { clock });
    w = await buildWorld(t.kernel);
    const p = new PlacesService(t.kernel);
    const unit = (await p.repo.byId(w.house1.parent_id!))!;
    const house3 = await p.insertPlace({ kind: 'house', name: '103', floor: 1, areaM2: 100 }, unit);
    const house4 = await p.insertPlace({ kind: 'house', name: '104', floor: 1, areaM2: 45.5 }, unit);
    // owners: A 101 (88.50 m²); B 102 + 103 (66.00 + 100.00 m², one head); F 104 (45.50 m²)
    // E co-owns 101 but registered after A: 101 counts once, for A. C is an adult family member of 101, D a child.
    const mk = async (key: string, house: typeof w.house1, o: Parameters<typeof buildResident>[2]) => {
      const r = await buildResident(t.kernel, house, o);
      people[key] = r;
      await buildResidentUser(t.kernel, r, w.c1);
      return r;
    };
    await mk('A', w.house1, { name: '业主甲', phone: '13911110001', role: 'owner' });
    const B = await mk('B', w.house1b, { name: '业主乙', phone: '13911110002', role: 'owner' });
    await new ResidentsService(t.kernel).moveIn(systemActor(), B.id, { houseId: house3.id, role: 'owner', relation: null, moveIn: '2021-01-01' }, '127.0.0.1');
    await mk('C', w.house1, { name: '家属丙', phone: '13911110003', role: 'family' });
    await mk('D', w.house1, { name: '孩子丁', phone: '13911110004', role: 'family', birthDate: '2015-06-01' });
    await mk('E', w.house1, { name: '共有人戊', phone: '13911110005', role: 'owner' });
    await mk('F', house4, { name: '业主己', phone: '13911110006', role: 'owner' });
    await buildStaff(t.kernel, 'cv_staff', 'community_staff', w.c1);
    await buildStaff(t.kernel, 'cv_staff2', 'community_staff', w.c2);
    staff = await login(t.app, 'cv_staff', PASSWORD);
    staffC2 = await login(t.app, 'cv_staff2', PASSWORD);
    [a, b, c, e, f] = await Promise.all(
      ['13911110001', '13911110002', '13911110003', '13911110005', '13911110006'].map((ph) => loginResident(t.app, ph, PASSWORD)),
    );
    t.kernel.events.subscribe<ParticipationAction>(PARTICIPATION_ACTION, (ev) => void actions.push(ev.payload));
  });
  afterAll(async () => t?.close());

  async function openVote(body: Record<string, unknown>) {
    const res = await staff.post('/api/v1/council/votes', { communityId: w.c1.id, title: '加装电梯', basis: 'owners', secret: true, rule: 'simple', ...body });
    expect(res.status, res.body).toBe(201);
    expect(res.json.status).toBe('draft');
    const opened = await staff.post(`/api/v1/council/votes/${res.json.id}/open`);
    expect(opened.status, opened.body).toBe(200);
    return opened.json;
  }
  const roll = async (id: string, q = '') => (await staff.get(`/api/v1/council/votes/${id}/roll?pageSize=50${q}`)).json;
  const keyOf = async (id: string, name: string) => (await roll(id)).items.find((r: any) => r.name === name).voterKey as string;

  it('snapshots the owners roll at opening: one head per owner, areas summed, a co-owned house once', async () => {
    const v = await openVote({ rule: 'art278' });
    expect(v.roll).toEqual({ heads: 3, areaCenti: 8850 + 6600 + 10000 + 4550 });
    const r = await roll(v.id);
    expect(r.items.map((x: any) => [x.name, x.areaCenti]).sort()).toEqual([
      ['业主乙', 16600],
      ['业主己', 4550],
      ['业主甲', 8850],
    ]);
    // the paper-ballot desk finds voters by house
    expect(r.items.find((x: any) => x.name === '业主乙').label).toBe('1号楼1单元102、1号楼1单元103');
    expect((await roll(v.id, '&q=103')).items.map((x: any) => x.name)).toEqual(['业主乙']);
    // the later co-owner and the family member are not on this roll
    expect((await e.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' })).json.code).toBe('council.not_eligible');
    expect((await c.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' })).status).toBe(403);
  });

  it('all adult residents: the child is not on the roll; households: one vote per household', async () => {
    const v = await openVote({ basis: 'residents' });
    expect(v.roll.heads).toBe(5); // A B C E F; D is a child
    const h = await openVote({ basis: 'households' });
    expect(h.roll.heads).toBe(4); // 101, 102, 103 (B's second house), 104
    expect((await a.post(`/api/v1/council/votes/${h.id}/ballot`, { choice: 'yes' })).status).toBe(201);
    // C lives in the same household as A: that household has voted
    const again = await c.post(`/api/v1/council/votes/${h.id}/ballot`, { choice: 'no' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('council.already_voted');
  });

  it('refuses a second ballot on either channel: online then paper, paper then online, retries', async () => {
    const v = await openVote({});
    expect((await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' })).status).toBe(201);
    expect((await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' })).status).toBe(409);
    const paperA = await staff.post(`/api/v1/council/votes/${v.id}/paper-ballots`, { voterKey: await keyOf(v.id, '业主甲'), choice: 'no' });
    expect(paperA.status).toBe(409);
    expect(paperA.json.code).toBe('council.already_voted');
    expect((await staff.post(`/api/v1/council/votes/${v.id}/paper-ballots`, { voterKey: await keyOf(v.id, '业主乙'), choice: 'no' })).status).toBe(201);
    expect((await b.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' })).status).toBe(409);
    const me = (await b.get(`/api/v1/council/votes/${v.id}`)).json.me;
    expect(me).toEqual({ eligible: true, voted: true, channel: 'paper' });
    const closed = (await staff.post(`/api/v1/council/votes/${v.id}/close`)).json;
    expect(closed.result.tally.yes.heads + closed.result.tally.no.heads).toBe(2);
  });

  it('concurrent online and paper ballots by the same voter: exactly one is counted', async () => {
    const v = await openVote({ secret: false });
    const key = await keyOf(v.id, '业主己');
    const tries = [
      ...Array.from({ length: 4 }, () => f.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' })),
      ...Array.from({ length: 4 }, () => staff.post(`/api/v1/council/votes/${v.id}/paper-ballots`, { voterKey: key, choice: 'no' })),
    ];
    const res = await Promise.all(tries);
    expect(res.filter((r) => r.status === 201)).toHaveLength(1);
    expect(res.filter((r) => r.status === 409)).toHaveLength(7);
    const closed = (await staff.post(`/api/v1/council/votes/${v.id}/close`)).json;
    expect(closed.result.participating.heads).toBe(1);
    expect(closed.result.consistent).toBe(true);
    expect(closed.namedBallots).toHaveLength(1);
    expect(closed.ballotsCast).toBe(1);
  });

  it('a secret ballot leaves no link from voter to choice in the tables', async () => {
    const v = await openVote({});
    await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' });
    await f.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'no' });
    await staff.post(`/api/v1/council/votes/${v.id}/paper-ballots`, { voterKey: await keyOf(v.id, '业主乙'), choice: 'abstain' });
    const db = t.kernel.db;
    const before = await db.selectFrom('council_ballots').selectAll().where('vote_id', '=', v.id).execute();
    await staff.post(`/api/v1/council/votes/${v.id}/close`);
    const ballots = await db.selectFrom('council_ballots').selectAll().where('vote_id', '=', v.id).execute();
    const rollRows = await db.selectFrom('council_vote_roll').selectAll().where('vote_id', '=', v.id).execute();
    expect(ballots).toHaveLength(3);
    // a ballot holds its random id, the vote and the choice: no voter, no area, no time, no channel
    for (const x of ballots) {
      expect(Object.keys(x).sort()).toEqual(['area_centi', 'choice', 'id', 'vote_id', 'voter_key']);
      expect(x.voter_key).toBeNull();
      expect(x.area_centi).toBeNull();
      expect(x.id).toMatch(/^bal_[0-9a-f]{32}$/);
    }
    // no value of a ballot other than the vote id appears anywhere in the roll
    const rollValues = new Set(
      rollRows.flatMap((r) =>
        Object.entries(r)
          .filter(([k]) => k !== 'vote_id')
          .map(([, val]) => String(val)),
      ),
    );
    for (const x of ballots)
      for (const [k, val] of Object.entries(x)) if (k !== 'vote_id' && val !== null) expect(rollValues.has(String(val)), `${k}=${val}`).toBe(false);
    // closing rewrote the ballots: the ids seen while voting no longer exist
    expect(ballots.some((x) => before.some((y) => y.id === x.id))).toBe(false);
    // the audit trail says who voted, never what
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('target_id', '=', v.id).execute();
    const cast = audit.filter((x) => x.action.startsWith('council.vote.') && x.action !== 'council.vote.close' && x.action.includes('ballot'));
    expect(cast).toHaveLength(3);
    for (const x of cast) expect(JSON.parse(x.detail).choice).toBeUndefined();
    // the frozen result carries only totals
    const res = (await a.get(`/api/v1/council/votes/${v.id}`)).json;
    expect(res.namedBallots).toBeUndefined();
    expect(res.result.tally.yes.heads).toBe(1);
    expect(res.secret).toBe(true);
  });

  it('Art. 278, other matter: 2 of 3 owners with 254.50 of 300.00 m² take part and say yes → passed', async () => {
    const v = await openVote({ rule: 'art278', major: false });
    await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' });
    await staff.post(`/api/v1/council/votes/${v.id}/paper-ballots`, { voterKey: await keyOf(v.id, '业主乙'), choice: 'yes' });
    const r = (await staff.post(`/api/v1/council/votes/${v.id}/close`)).json.result;
    expect(r.outcome).toBe('passed');
    expect(r.decidedBy).toBe('art278.ordinary');
    expect(r.participating).toEqual({ heads: 2, area: 25450 });
    expect(r.tally.yes).toEqual({ heads: 2, area: 25450 });
  });

  it('Art. 278, major matter: 3/4 of the area say yes but only 2 of 3 owners → failed on heads', async () => {
    const v = await openVote({ rule: 'art278', major: true });
    await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' });
    await b.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' });
    await f.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'no' });
    const r = (await staff.post(`/api/v1/council/votes/${v.id}/close`)).json.result;
    // yes area 254.50 of 300.00 (4·25450 ≥ 3·30000) but yes owners 2 of 3 (4·2 < 3·3)
    expect(r.outcome).toBe('failed');
    expect(r.decidedBy).toBe('art278.major.heads');
    expect(r.checks.find((x: any) => x.code === 'art278.major.area').met).toBe(true);
  });

  it('Art. 278: one owner with 88.50 of 300.00 m² → participation not reached', async () => {
    const v = await openVote({ rule: 'art278' });
    await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' });
    const r = (await staff.post(`/api/v1/council/votes/${v.id}/close`)).json.result;
    expect(r.outcome).toBe('quorum_not_met');
    expect(r.decidedBy).toBe('art278.participation.area');
  });

  it('Art. 278 needs an owners roll; bad shares are field errors', async () => {
    const res = await staff.post('/api/v1/council/votes', { communityId: w.c1.id, title: 'x', basis: 'residents', secret: true, rule: 'art278' });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((x: any) => x.field)).toContain('basis');
    const bad = await staff.post('/api/v1/council/votes', {
      communityId: w.c1.id,
      title: 'x',
      basis: 'residents',
      secret: true,
      rule: 'threshold',
      threshold: { num: 3, den: 2 },
    });
    expect(bad.status).toBe(422);
  });

  it('quorum not met; a tie fails; results hidden until close unless shown', async () => {
    const q = await openVote({ basis: 'residents', quorum: { num: 1, den: 2 } });
    await a.post(`/api/v1/council/votes/${q.id}/ballot`, { choice: 'yes' });
    await b.post(`/api/v1/council/votes/${q.id}/ballot`, { choice: 'yes' });
    const hidden = (await a.get(`/api/v1/council/votes/${q.id}`)).json;
    expect(hidden.liveTally).toBeNull();
    expect(hidden.result).toBeNull();
    expect(hidden.ballotsCast).toBe(2);
    const r = (await staff.post(`/api/v1/council/votes/${q.id}/close`)).json.result;
    expect(r.outcome).toBe('quorum_not_met'); // 2 of 5 < 1/2

    const tie = await openVote({ basis: 'residents', hideResults: false });
    await a.post(`/api/v1/council/votes/${tie.id}/ballot`, { choice: 'yes' });
    await c.post(`/api/v1/council/votes/${tie.id}/ballot`, { choice: 'no' });
    expect((await b.get(`/api/v1/council/votes/${tie.id}`)).json.liveTally.yes.heads).toBe(1);
    const tr = (await staff.post(`/api/v1/council/votes/${tie.id}/close`)).json.result;
    expect(tr.outcome).toBe('failed');
    expect(tr.decidedBy).toBe('simple');
  });

  it('a closed vote is frozen: no ballots, no second close; the verdict stays', async () => {
    const v = await openVote({});
    await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' });
    const first = (await staff.post(`/api/v1/council/votes/${v.id}/close`)).json;
    expect(first.result.outcome).toBe('passed');
    expect((await f.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'no' })).json.code).toBe('council.vote_not_open');
    expect((await staff.post(`/api/v1/council/votes/${v.id}/close`)).status).toBe(409);
    expect((await staff.get(`/api/v1/council/votes/${v.id}`)).json.result).toEqual(first.result);
  });

  it('a vote past its planned closing time is closed by the job, with its verdict', async () => {
    const v = await openVote({ closesAt: '2026-11-26T02:00:00.000Z' });
    await a.post(`/api/v1/council/votes/${v.id}/ballot`, { choice: 'yes' });
    await t.kernel.jobs.runDue();
    expect((await staff.get(`/api/v1/council/votes/${v.id}`)).json.status).toBe('open');
    clock.set(new Date('2026-11-26T02:01:00.000Z'));
    await t.kernel.jobs.runDue();
    staff = await login(t.app, 'cv_staff', PASSWORD);
    const got = (await staff.get(`/api/v1/council/votes/${v.id}`)).json;
    expect(got.status).toBe('closed');
    expect(got.result.outcome).toBe('passed');
    expect(got.result.closedBy).toBe('系统');
    // the audit trail names the automatic process that closed it
    const closing = await t.kernel.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_name'])
      .where('target_id', '=', v.id)
      .where('action', '=', 'council.vote.close')
      .execute();
    expect(closing).toEqual([{ actor_id: 'sys_council_vote_closing', actor_name: 'system:council.vote-closing' }]);
    // a day later: sign in again (sessions expire)
    a = await loginResident(t.app, '13911110001', PASSWORD);
    staffC2 = await login(t.app, 'cv_staff2', PASSWORD);
  });

  it('scope: another community’s staff get 404; residents never see drafts; points events for voters', async () => {
    const d = await staff.post('/api/v1/council/votes', { communityId: w.c1.id, title: '草稿', basis: 'owners', secret: true, rule: 'simple' });
    expect((await a.get(`/api/v1/council/votes/${d.json.id}`)).status).toBe(404);
    expect((await a.get('/api/v1/council/votes')).json.items.some((x: any) => x.id === d.json.id)).toBe(false);
    expect((await staffC2.get(`/api/v1/council/votes/${d.json.id}`)).status).toBe(404);
    expect((await staffC2.post(`/api/v1/council/votes/${d.json.id}/open`)).status).toBe(404);
    expect((await a.post(`/api/v1/council/votes/${d.json.id}/open`)).status).toBe(403);
    await expect.poll(() => actions.filter((x) => x.component === 'votes' && x.action === 'vote').length).toBeGreaterThan(5);
    const voted = actions.filter((x) => x.component === 'votes' && x.action === 'vote');
    expect(voted.every((x) => x.communityId === w.c1.id && Object.values(people).some((p) => p.id === x.residentId))).toBe(true);
    expect((await verifyAuditChain(t.kernel.db)).ok).toBe(true);
  });
});
