// Demo residents' council for the first demo community (花家地社区): a proposal collecting
// co-signatures, an open vote of all adult residents, an owners' vote under Civil Code Art. 278
// (open, secret), a planned meeting with both on its agenda, and a feedback waiting for an answer.
import type { Kernel } from '../../kernel/index.js';
import type { PlaceRow } from '../registry/index.js';
import { localDate } from '../../kernel/clock.js';
import { electorate } from '../registry/index.js';
import { ProposalsService } from './proposals.service.js';
import { VotesService } from './votes.service.js';
import { MeetingsService } from './meetings.js';

const SYSTEM = {
  userId: 'usr_system',
  kind: 'staff' as const,
  name: '系统',
  residentId: null,
  sessionId: null,
  via: 'token' as const,
  grants: [{ role: 'platform_admin' as const, placeId: null, scopePath: '/' }],
};
const IP = '127.0.0.1';

export async function seedDemoCouncil(k: Kernel, community: PlaceRow, demoResidentId: string): Promise<void> {
  const adults = await electorate.of(k, community.id, 'residents', localDate(k.clock.now(), community.time_zone ?? k.config.timeZone));
  const others = adults.filter((a) => a.residentId !== demoResidentId);
  if (others.length < 3) return;
  const proposals = new ProposalsService(k);
  const p = await proposals.insert(
    {
      communityId: community.id,
      path: community.path,
      title: '在地面停车场增设电动自行车充电桩',
      source: 'resident',
      attachments: [],
      body: '小区电动自行车多，楼道充电有火灾隐患。建议在地面停车场东侧增设 20 个充电桩，按次收费，由物业统一管理。',
      authorResidentId: others[0].residentId,
      authorName: others[0].name,
    },
    SYSTEM,
    IP,
  );
  // two neighbours have co-signed already; the threshold is higher, so it still collects
  const at = k.clock.now().toISOString();
  await k.db.transaction().execute(async (t) => {
    for (const o of others.slice(1, 3)) {
      await proposals.repo.countCosign(t, p.id, at);
      await proposals.repo.addCosign(t, p.id, o.residentId, at);
    }
  });

  const votes = new VotesService(k, (id, c) => proposals.existsIn(id, c));
  const parking = await votes.create(
    SYSTEM,
    {
      communityId: community.id,
      title: '《小区停车管理办法（试行）》表决',
      basis: 'residents',
      secret: true,
      hideResults: true,
      rule: 'simple',
      description: '全体成年居民参与，过半数同意即通过。',
      proposalId: null,
    },
    IP,
  );
  await votes.open(SYSTEM, parking.id as string, IP);
  const lift = await votes.create(
    SYSTEM,
    {
      communityId: community.id,
      title: '使用专项维修资金加装电梯（业主共同决定）',
      basis: 'owners',
      secret: true,
      hideResults: true,
      rule: 'art278',
      major: true,
      description: '依《民法典》第二百七十八条：参与表决的业主须占专有部分面积和人数各三分之二以上，经参与表决面积和人数各四分之三以上同意。',
    },
    IP,
  );
  await votes.open(SYSTEM, lift.id as string, IP);

  await new MeetingsService(k).create(
    SYSTEM,
    {
      communityId: community.id,
      title: '2026年第4次居民议事会',
      startsAt: new Date(k.clock.now().getTime() + 7 * 86400_000).toISOString(),
      location: '社区党群服务中心二楼会议室',
      agenda: [
        { title: '电动自行车充电桩', proposalId: p.id },
        { title: '停车管理办法表决情况', voteId: parking.id as string },
      ],
    },
    IP,
  );

  const now = k.clock.now();
  await k.db
    .insertInto('council_feedback')
    .values({
      id: 'fbk_demo_0001',
      community_id: community.id,
      place_path: community.path,
      place_id: null,
      resident_id: others[1].residentId,
      resident_name: others[1].name,
      category: 'environment',
      text: '东门垃圾桶经常满溢，傍晚气味很大，希望增加清运次数。',
      photo_ids: '[]',
      status: 'submitted',
      answer: null,
      answered_by: null,
      answered_at: null,
      work_order_id: null,
      proposal_id: null,
      respond_by: new Date(now.getTime() + 72 * 3600_000).toISOString(),
      overdue: 0,
      rating: null,
      rating_comment: null,
      month: localDate(now, community.time_zone ?? k.config.timeZone).slice(0, 7),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
}
