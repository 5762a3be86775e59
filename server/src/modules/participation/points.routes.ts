import { Type } from '@sinclair/typebox';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { withIdempotency } from '../../kernel/http/idempotency.js';
import { components } from './components.js';
import type { PointsService } from './points.service.js';
import type { RewardsService } from './rewards.service.js';
import { SettingsService } from './settings.service.js';

const tags = ['participation'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });
const Str = (max: number, min = 0) => Type.String({ maxLength: max, minLength: min });
const IdParam = Type.Object({ id: Str(64, 1) });
const CommunityQuery = Type.Object({ communityId: Str(64, 1) });

const AdjustBody = Type.Object(
  { residentId: Str(64, 1), delta: Type.Integer({ minimum: -100_000, maximum: 100_000 }), reason: Str(200, 1) },
  { additionalProperties: false },
);
const RuleBody = Type.Object(
  { communityId: Str(64, 1), component: Str(40, 1), action: Str(40, 1), points: Type.Integer({ minimum: 0, maximum: 10_000 }), dailyCap: Type.Integer({ minimum: 0, maximum: 100_000 }), enabled: Type.Boolean() },
  { additionalProperties: false },
);
const RewardBody = Type.Object(
  { communityId: Str(64, 1), name: Str(80, 1), description: Type.Optional(Str(500)), cost: Type.Integer({ minimum: 1, maximum: 1_000_000 }), stock: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
const HonourBody = Type.Object(
  { communityId: Str(64, 1), name: Str(40, 1), description: Type.Optional(Str(300)), threshold: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10_000_000 }), Type.Null()])) },
  { additionalProperties: false },
);
const SettingBody = Type.Object(
  { communityId: Str(64, 1), component: Str(40, 1), key: Str(40, 1), value: Type.Union([Type.Boolean(), Type.Number(), Str(200)]) },
  { additionalProperties: false },
);
const AwardBody = Type.Object({ residentId: Str(64, 1) }, { additionalProperties: false });

export function registerPointsRoutes(app: App, k: Kernel, points: PointsService, rewards: RewardsService) {
  app.get('/api/v1/participation/components', { config: { auth: 'user' }, schema: { tags, summary: 'Declared participation components: actions with default points, settings' } }, async () => ({
    items: components().map((c) => ({ name: c.name, labels: c.labels, actions: c.actions, settings: c.settings })),
  }));

  const settings = new SettingsService(k);
  app.get('/api/v1/participation/settings', { config: can('read', 'ParticipationSetting'), schema: { tags, summary: "A community's component settings (declared defaults unless set)", querystring: CommunityQuery } }, async (req) =>
    settings.list(requireActor(req), req.query.communityId));
  app.put('/api/v1/participation/settings', { config: can('edit', 'ParticipationSetting'), schema: { tags, summary: 'Set a component setting for a community', body: SettingBody } }, async (req) =>
    settings.set(requireActor(req), req.body, req.ip));

  app.get('/api/v1/points/me', { config: can('read', 'Points'), schema: { tags: ['portal', ...tags], summary: 'My points, ledger and honours' } }, async (req) => points.mine(requireActor(req)));
  app.get('/api/v1/points/leaderboard', { config: can('read', 'Points'), schema: { tags: ['portal', ...tags], summary: "My building's leaderboard (residents who did not opt out)" } }, async (req) => points.leaderboard(requireActor(req)));
  app.put('/api/v1/points/leaderboard/opt-out', { config: can('optout', 'Points'), schema: { tags: ['portal', ...tags], summary: 'Leave (or rejoin) the leaderboard', body: Type.Object({ optOut: Type.Boolean() }, { additionalProperties: false }) } }, async (req) =>
    points.setOptOut(requireActor(req), req.body.optOut));
  app.get('/api/v1/points/balances', { config: can('adjust', 'Points'), schema: { tags, summary: 'Residents with points in scope (most earned first)' } }, async (req) => points.balances(requireActor(req)));
  app.get('/api/v1/points/residents/:id', { config: can('adjust', 'Points'), schema: { tags, summary: "A resident's points, ledger and honours", params: IdParam } }, async (req) => points.ofResident(requireActor(req), req.params.id));
  app.post('/api/v1/points/adjust', { config: can('adjust', 'Points'), schema: { tags, summary: 'Grant or deduct points with a reason (audited)', body: AdjustBody } }, async (req) =>
    points.adjust(requireActor(req), req.body, req.ip));
  app.get('/api/v1/points/rules', { config: can('read', 'PointRule'), schema: { tags, summary: "A community's points rules (defaults from the manifests)", querystring: CommunityQuery } }, async (req) =>
    points.rules(requireActor(req), req.query.communityId));
  app.put('/api/v1/points/rules', { config: can('edit', 'PointRule'), schema: { tags, summary: 'Set a rule for a community', body: RuleBody } }, async (req) =>
    points.setRule(requireActor(req), req.body, req.ip));

  app.get('/api/v1/rewards', { config: can('read', 'Reward'), schema: { tags, summary: 'Rewards catalogue' } }, async (req) => rewards.list(requireActor(req)));
  app.post('/api/v1/rewards', { config: can('create', 'Reward'), schema: { tags, summary: 'Add a reward', body: RewardBody } }, async (req, reply) =>
    reply.status(201).send(await rewards.create(requireActor(req), req.body, req.ip)));
  app.post('/api/v1/rewards/:id/redeem', { config: can('redeem', 'Reward'), schema: { tags: ['portal', ...tags], summary: 'Redeem points for a reward (Idempotency-Key required)', params: IdParam } }, async (req, reply) => {
    const actor = requireActor(req);
    await rewards.redeemable(actor, req.params.id);
    return withIdempotency(k, req, reply, async () => ({ status: 201, body: await rewards.redeem(actor, req.params.id, req.ip) }));
  });
  app.get('/api/v1/redemptions', { config: can('read', 'Reward'), schema: { tags, summary: 'Redemptions (residents: their own)' } }, async (req) => rewards.redemptions(requireActor(req)));
  app.post('/api/v1/redemptions/:id/fulfil', { config: can('fulfil', 'Reward'), schema: { tags, summary: 'Hand out a redeemed reward', params: IdParam } }, async (req) =>
    rewards.fulfil(requireActor(req), req.params.id, req.ip));

  app.get('/api/v1/honours', { config: can('read', 'Honour'), schema: { tags, summary: 'Honours of the community' } }, async (req) => rewards.honours(requireActor(req)));
  app.post('/api/v1/honours', { config: can('create', 'Honour'), schema: { tags, summary: 'Create an honour (with a points threshold, or awarded by staff)', body: HonourBody } }, async (req, reply) =>
    reply.status(201).send(await rewards.createHonour(requireActor(req), req.body, req.ip)));
  app.post('/api/v1/honours/:id/award', { config: can('award', 'Honour'), schema: { tags, summary: 'Award an honour to a resident', params: IdParam, body: AwardBody } }, async (req) =>
    rewards.award(requireActor(req), req.params.id, req.body.residentId, req.ip));
}
