// Request and response schemas of the points, rewards, honours and component-settings routes.
import { Type, type Static } from '@sinclair/typebox';
import { Str } from './notices.schema.js';

export const IdParam = Type.Object({ id: Str(64, 1) });
export const CommunityQuery = Type.Object({ communityId: Str(64, 1) });

export const AdjustBody = Type.Object(
  { residentId: Str(64, 1), delta: Type.Integer({ minimum: -100_000, maximum: 100_000 }), reason: Str(200, 1) },
  { additionalProperties: false },
);
export const RuleBody = Type.Object(
  {
    communityId: Str(64, 1),
    component: Str(40, 1),
    action: Str(40, 1),
    points: Type.Integer({ minimum: 0, maximum: 10_000 }),
    dailyCap: Type.Integer({ minimum: 0, maximum: 100_000 }),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export const RewardBody = Type.Object(
  {
    communityId: Str(64, 1),
    name: Str(80, 1),
    description: Type.Optional(Str(500)),
    cost: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    stock: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export const HonourBody = Type.Object(
  {
    communityId: Str(64, 1),
    name: Str(40, 1),
    description: Type.Optional(Str(300)),
    threshold: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10_000_000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export const SettingBody = Type.Object(
  { communityId: Str(64, 1), component: Str(40, 1), key: Str(40, 1), value: Type.Union([Type.Boolean(), Type.Number(), Str(200)]) },
  { additionalProperties: false },
);
export const AwardBody = Type.Object({ residentId: Str(64, 1) }, { additionalProperties: false });
export const OptOutBody = Type.Object({ optOut: Type.Boolean() }, { additionalProperties: false });

// ---------- responses ----------
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const Labels = Type.Object({ zh: Type.String(), en: Type.String() }, { additionalProperties: false });
const SettingValue = Type.Union([Type.Boolean(), Type.Number(), Type.String()]);
const SettingType = Type.Union([Type.Literal('boolean'), Type.Literal('number'), Type.Literal('string')]);

export const ComponentList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          labels: Labels,
          actions: Type.Array(
            Type.Object(
              {
                name: Type.String(),
                labels: Labels,
                points: Type.Optional(Type.Object({ default: Type.Integer(), dailyCap: Type.Optional(Type.Integer()) }, { additionalProperties: false })),
              },
              { additionalProperties: false },
            ),
          ),
          settings: Type.Record(Type.String(), Type.Object({ type: SettingType, default: SettingValue, labels: Labels }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SettingsView = Type.Object(
  {
    communityId: Type.String(),
    items: Type.Array(
      Type.Object(
        {
          component: Type.String(),
          labels: Labels,
          settings: Type.Array(
            Type.Object({ key: Type.String(), type: SettingType, default: SettingValue, labels: Labels, value: SettingValue }, { additionalProperties: false }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SettingsView = Static<typeof SettingsView>;

export const PointsSummary = Type.Object(
  {
    residentId: Type.String(),
    balance: Type.Integer(),
    earned: Type.Integer(),
    ledger: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          component: Type.String(),
          action: Type.String(),
          ref: Type.String(),
          delta: Type.Integer(),
          reason: NullableStr,
          at: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    honours: Type.Array(
      Type.Object(
        { id: Type.String(), name: Type.String(), description: Type.String(), threshold: Type.Union([Type.Integer(), Type.Null()]), awardedAt: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PointsSummary = Static<typeof PointsSummary>;

export const Leaderboard = Type.Object(
  {
    buildingId: NullableStr,
    optedOut: Type.Boolean(),
    items: Type.Array(Type.Object({ rank: Type.Integer(), name: Type.String(), earned: Type.Integer(), me: Type.Boolean() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type Leaderboard = Static<typeof Leaderboard>;

/** Balances are a capped list (the 200 who earned most), not paged. */
export const BalanceList = Type.Object(
  {
    items: Type.Array(
      Type.Object({ residentId: Type.String(), name: Type.String(), balance: Type.Integer(), earned: Type.Integer() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type BalanceList = Static<typeof BalanceList>;

export const RuleList = Type.Object(
  {
    communityId: Type.String(),
    items: Type.Array(
      Type.Object(
        {
          component: Type.String(),
          action: Type.String(),
          labels: Labels,
          points: Type.Integer(),
          dailyCap: Type.Integer(),
          enabled: Type.Boolean(),
          custom: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RuleList = Static<typeof RuleList>;

export const RewardView = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    name: Type.String(),
    description: Type.String(),
    cost: Type.Integer(),
    stock: Type.Integer(),
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RewardView = Static<typeof RewardView>;
export const RedemptionView = Type.Object(
  {
    id: Type.String(),
    rewardId: Type.String(),
    residentId: Type.String(),
    cost: Type.Integer(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('fulfilled')]),
    createdAt: Type.String(),
    fulfilledAt: NullableStr,
  },
  { additionalProperties: false },
);
export type RedemptionView = Static<typeof RedemptionView>;
export const HonourView = Type.Object(
  { id: Type.String(), communityId: Type.String(), name: Type.String(), description: Type.String(), threshold: Type.Union([Type.Integer(), Type.Null()]) },
  { additionalProperties: false },
);
export type HonourView = Static<typeof HonourView>;
export const AwardResult = Type.Object(
  { honourId: Type.String(), residentId: Type.String(), awarded: Type.Literal(true), fresh: Type.Boolean() },
  { additionalProperties: false },
);
export type AwardResult = Static<typeof AwardResult>;

// the catalogue, redemptions and honours are per community and small: lists, not pages
export const RewardList = Type.Object({ items: Type.Array(RewardView) }, { additionalProperties: false });
export const RedemptionList = Type.Object({ items: Type.Array(RedemptionView) }, { additionalProperties: false });
export const HonourList = Type.Object({ items: Type.Array(HonourView) }, { additionalProperties: false });
