import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { withIdempotency } from '../../kernel/http/idempotency.js';
import { components } from './components.js';
import type { PointsService } from './points.service.js';
import type { RewardsService } from './rewards.service.js';
import { SettingsService } from './settings.service.js';
import * as S from './points.schema.js';
import { IdParam, CommunityQuery, AdjustBody, RuleBody, RewardBody, HonourBody, SettingBody, AwardBody } from './points.schema.js';

const tags = ['participation'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });
export function registerPointsRoutes(app: App, k: Kernel, points: PointsService, rewards: RewardsService) {
  app.get(
    '/api/v1/participation/components',
    {
      config: { auth: 'user' },
      schema: { tags, summary: 'Declared participation components: actions with default points, settings', response: { 200: S.ComponentList } },
    },
    async () => ({
      items: components().map((c) => ({ name: c.name, labels: c.labels, actions: c.actions, settings: c.settings })),
    }),
  );

  const settings = new SettingsService(k);
  app.get(
    '/api/v1/participation/settings',
    {
      config: can('read', 'ParticipationSetting'),
      schema: {
        tags,
        summary: "A community's component settings (declared defaults unless set)",
        querystring: CommunityQuery,
        response: { 200: S.SettingsView },
      },
    },
    async (req) => settings.list(requireActor(req), req.query.communityId),
  );
  app.put(
    '/api/v1/participation/settings',
    {
      config: can('edit', 'ParticipationSetting'),
      schema: { tags, summary: 'Set a component setting for a community', body: SettingBody, response: { 200: S.SettingsView } },
    },
    async (req) => settings.set(requireActor(req), req.body, req.ip),
  );

  app.get(
    '/api/v1/points/me',
    { config: can('read', 'Points'), schema: { tags: ['portal', ...tags], summary: 'My points, ledger and honours', response: { 200: S.PointsSummary } } },
    async (req) => points.mine(requireActor(req)),
  );
  app.get(
    '/api/v1/points/leaderboard',
    {
      config: can('read', 'Points'),
      schema: { tags: ['portal', ...tags], summary: "My building's leaderboard (residents who did not opt out)", response: { 200: S.Leaderboard } },
    },
    async (req) => points.leaderboard(requireActor(req)),
  );
  app.put(
    '/api/v1/points/leaderboard/opt-out',
    {
      config: can('optout', 'Points'),
      schema: { tags: ['portal', ...tags], summary: 'Leave (or rejoin) the leaderboard', body: S.OptOutBody, response: { 200: S.Leaderboard } },
    },
    async (req) => points.setOptOut(requireActor(req), req.body.optOut),
  );
  app.get(
    '/api/v1/points/balances',
    { config: can('adjust', 'Points'), schema: { tags, summary: 'Residents with points in scope (most earned first)', response: { 200: S.BalanceList } } },
    async (req) => points.balances(requireActor(req)),
  );
  app.get(
    '/api/v1/points/residents/:id',
    {
      config: can('adjust', 'Points'),
      schema: { tags, summary: "A resident's points, ledger and honours", params: IdParam, response: { 200: S.PointsSummary } },
    },
    async (req) => points.ofResident(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/points/adjust',
    {
      config: can('adjust', 'Points'),
      schema: { tags, summary: 'Grant or deduct points with a reason (audited)', body: AdjustBody, response: { 200: S.PointsSummary } },
    },
    async (req) => points.adjust(requireActor(req), req.body, req.ip),
  );
  app.get(
    '/api/v1/points/rules',
    {
      config: can('read', 'PointRule'),
      schema: { tags, summary: "A community's points rules (defaults from the manifests)", querystring: CommunityQuery, response: { 200: S.RuleList } },
    },
    async (req) => points.rules(requireActor(req), req.query.communityId),
  );
  app.put(
    '/api/v1/points/rules',
    { config: can('edit', 'PointRule'), schema: { tags, summary: 'Set a rule for a community', body: RuleBody, response: { 200: S.RuleList } } },
    async (req) => points.setRule(requireActor(req), req.body, req.ip),
  );

  app.get('/api/v1/rewards', { config: can('read', 'Reward'), schema: { tags, summary: 'Rewards catalogue', response: { 200: S.RewardList } } }, async (req) =>
    rewards.list(requireActor(req)),
  );
  app.post(
    '/api/v1/rewards',
    { config: can('create', 'Reward'), schema: { tags, summary: 'Add a reward', body: RewardBody, response: { 201: S.RewardView } } },
    async (req, reply) => reply.status(201).send(await rewards.create(requireActor(req), req.body, req.ip)),
  );
  app.post(
    '/api/v1/rewards/:id/redeem',
    {
      config: can('redeem', 'Reward'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'Redeem points for a reward (Idempotency-Key required)',
        params: IdParam,
        response: { 201: S.RedemptionView },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await rewards.redeemable(actor, req.params.id);
      return withIdempotency(k, req, reply, async () => ({ status: 201, body: await rewards.redeem(actor, req.params.id, req.ip) }));
    },
  );
  app.get(
    '/api/v1/redemptions',
    { config: can('read', 'Reward'), schema: { tags, summary: 'Redemptions (residents: their own)', response: { 200: S.RedemptionList } } },
    async (req) => rewards.redemptions(requireActor(req)),
  );
  app.post(
    '/api/v1/redemptions/:id/fulfil',
    { config: can('fulfil', 'Reward'), schema: { tags, summary: 'Hand out a redeemed reward', params: IdParam, response: { 200: S.RedemptionView } } },
    async (req) => rewards.fulfil(requireActor(req), req.params.id, req.ip),
  );

  app.get(
    '/api/v1/honours',
    { config: can('read', 'Honour'), schema: { tags, summary: 'Honours of the community', response: { 200: S.HonourList } } },
    async (req) => rewards.honours(requireActor(req)),
  );
  app.post(
    '/api/v1/honours',
    {
      config: can('create', 'Honour'),
      schema: { tags, summary: 'Create an honour (with a points threshold, or awarded by staff)', body: HonourBody, response: { 201: S.HonourView } },
    },
    async (req, reply) => reply.status(201).send(await rewards.createHonour(requireActor(req), req.body, req.ip)),
  );
  app.post(
    '/api/v1/honours/:id/award',
    {
      config: can('award', 'Honour'),
      schema: { tags, summary: 'Award an honour to a resident', params: IdParam, body: AwardBody, response: { 200: S.AwardResult } },
    },
    async (req) => rewards.award(requireActor(req), req.params.id, req.body.residentId, req.ip),
  );
}
