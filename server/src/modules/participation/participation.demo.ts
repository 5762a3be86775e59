// Demo participation for the first demo community (花家地社区): a pinned welcome notice to
// everyone and one for the elderly, an open satisfaction survey, an upcoming volunteer event,
// rewards and honours.
import type { Kernel } from '../../kernel/index.js';
import type { PlaceRow } from '../registry/index.js';
import { NoticesService } from './notices.service.js';
import { SurveysService } from './surveys.service.js';
import { EventsService } from './events.service.js';
import { PointsService } from './points.service.js';
import { RewardsService } from './rewards.service.js';

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

export async function seedDemoParticipation(k: Kernel, community: PlaceRow): Promise<void> {
  const now = k.clock.now().getTime();
  const day = 86400_000;
  const notices = new NoticesService(k);
  await notices.create(
    SYSTEM,
    {
      communityId: community.id,
      title: '欢迎使用邻里社区服务平台',
      pinned: true,
      bodyHtml: '<p>各位居民：</p><p>社区通知、问卷调查、社区活动和<b>积分兑换</b>都可以在手机上办理了。参加活动、填写问卷可获得积分，积分可兑换生活用品。</p>',
    },
    IP,
  );
  await notices.create(
    SYSTEM,
    {
      communityId: community.id,
      title: '65岁以上老人免费体检通知',
      audience: { placeIds: [], tags: ['elderly'] },
      bodyHtml: '<p>社区卫生服务站将于下周二上午为60岁以上老人提供<b>免费体检</b>，请携带身份证和医保卡。</p>',
    },
    IP,
  );

  await new SurveysService(k).create(
    SYSTEM,
    {
      communityId: community.id,
      title: '社区环境满意度调查',
      description: '您的意见将帮助我们改进社区服务，约需 2 分钟。',
      closesAt: new Date(now + 30 * day).toISOString(),
      questions: [
        { id: 'q1', type: 'rating', title: '您对小区整体环境的满意度', required: true, scale: 5 },
        { id: 'q2', type: 'single', title: '您家是否养宠物', required: true, options: ['是', '否'] },
        {
          id: 'q3',
          type: 'multiple',
          title: '您希望增加哪些宠物设施',
          options: ['宠物便便箱', '宠物活动区', '文明养宠宣传'],
          showIf: { questionId: 'q2', anyOf: ['是'] },
          required: true,
        },
        { id: 'q4', type: 'matrix_single', title: '请评价以下服务', options: ['满意', '一般', '不满意'], rows: ['保洁', '绿化', '安保'] },
        { id: 'q5', type: 'ranking', title: '请为以下改造项目排序（最急需的在前）', options: ['加装电梯', '增加停车位', '改造绿地'] },
        { id: 'q6', type: 'textarea', title: '其他意见和建议' },
      ],
    },
    IP,
  );

  await new EventsService(k).create(
    SYSTEM,
    {
      communityId: community.id,
      title: '垃圾分类宣传志愿活动',
      description: '在小区门口向居民宣传垃圾分类知识，志愿服务计入时长和积分。',
      location: '花家地西里东门',
      capacity: 20,
      startsAt: new Date(now + 3 * day).toISOString(),
      endsAt: new Date(now + 3 * day + 3 * 3600_000).toISOString(),
      organiser: { kind: 'volunteer_team', name: '花家地志愿者服务队' },
    },
    IP,
  );

  const rewards = new RewardsService(k, new PointsService(k));
  await rewards.create(SYSTEM, { communityId: community.id, name: '环保购物袋', description: '可折叠环保袋', cost: 20, stock: 50 }, IP);
  await rewards.create(SYSTEM, { communityId: community.id, name: '洗衣液 2kg', cost: 80, stock: 20 }, IP);
  await rewards.createHonour(SYSTEM, { communityId: community.id, name: '热心居民', description: '累计积分达到 50 分', threshold: 50 }, IP);
  await rewards.createHonour(SYSTEM, { communityId: community.id, name: '优秀志愿者', description: '由社区授予' }, IP);
}
