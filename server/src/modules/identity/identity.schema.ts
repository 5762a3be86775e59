import { Type, type Static, type TProperties, type TSchema } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';
import { roles } from '../../kernel/authz/index.js';

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const ResidentLoginBody = Type.Object(
  { phone: Type.String({ minLength: 1, maxLength: 30 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const OtpRequestBody = Type.Object({ phone: Type.String({ minLength: 1, maxLength: 30 }) }, { additionalProperties: false });
export const OtpVerifyBody = Type.Object(
  { phone: Type.String({ minLength: 1, maxLength: 30 }), code: Type.String({ minLength: 4, maxLength: 10 }) },
  { additionalProperties: false },
);
export const PasswordBody = Type.Object(
  { currentPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 40 }),
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    password: Type.String({ maxLength: 200 }),
  },
  { additionalProperties: false },
);
export const GrantBody = Type.Object(
  { role: Type.Union(roles.map((r) => Type.Literal(r))), placeId: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
  { additionalProperties: false },
);
export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;
export const TokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: TOKEN_MAX_DAYS, default: TOKEN_DEFAULT_DAYS })),
  },
  { additionalProperties: false },
);
export const TokenIdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const UserGrantParam = Type.Object({ id: Type.String({ maxLength: 64 }), grantId: Type.String({ maxLength: 64 }) });
export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});
export type ListQuery = Static<typeof ListQuery>;

// ----- answers -----
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Obj = <P extends TProperties>(p: P) => Type.Object(p, { additionalProperties: false });
const RoleSchema = Type.Union(roles.map((r) => Type.Literal(r)));
const Kind = Type.Union([Type.Literal('staff'), Type.Literal('resident')]);

export const NoContent = Type.Null({ description: 'No content' });
export const GrantView = Obj({
  id: Type.String(),
  role: RoleSchema,
  placeId: Nullable(Type.String()),
  placeName: Nullable(Type.String()),
  scopePath: Type.String(),
});
export const Me = Obj({
  id: Type.String(),
  kind: Kind,
  name: Type.String(),
  username: Nullable(Type.String()),
  residentId: Nullable(Type.String()),
  lang: Type.String(),
  grants: Type.Array(GrantView),
  permissions: Type.Array(Type.Tuple([Type.String(), Type.String()])),
});
export type Me = Static<typeof Me>;
export const SignedIn = Obj({ user: Me, csrfToken: Type.String() });
/** null when signed in with an API token (no session, no CSRF token). */
export const MeAnswer = Obj({ user: Me, csrfToken: Nullable(Type.String()) });
export const OtpSent = Obj({ sent: Type.Boolean(), expiresInSeconds: Type.Number(), resendInSeconds: Type.Number() });
export const SessionList = Obj({
  items: Type.Array(
    Obj({
      id: Type.String(),
      createdAt: Type.String(),
      lastSeenAt: Type.String(),
      expiresAt: Type.String(),
      ip: Nullable(Type.String()),
      userAgent: Nullable(Type.String()),
      current: Type.Boolean(),
    }),
  ),
});
export const UserView = Obj({
  id: Type.String(),
  kind: Kind,
  username: Nullable(Type.String()),
  displayName: Type.String(),
  disabled: Type.Boolean(),
  grants: Type.Array(GrantView),
});
export const UserList = Paged(UserView);
export const GrantAdded = Obj({ id: Type.String(), role: RoleSchema, placeId: Nullable(Type.String()), scopePath: Type.String() });
export const GrantableRoles = Obj({ items: Type.Array(RoleSchema) });
export const TokenList = Obj({
  items: Type.Array(
    Obj({
      id: Type.String(),
      name: Type.String(),
      createdAt: Type.String(),
      expiresAt: Nullable(Type.String()),
      lastUsedAt: Nullable(Type.String()),
      expired: Type.Boolean(),
    }),
  ),
});
export const TokenCreated = Obj({ id: Type.String(), token: Type.String(), expiresAt: Type.String() });
export const SmsOutbox = Obj({ items: Type.Array(Obj({ id: Type.String(), toPhoneMasked: Type.String(), text: Type.String(), createdAt: Type.String() })) });
