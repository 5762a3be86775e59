import { Type, type Static } from '@sinclair/typebox';
import { roles } from '../../kernel/authz/index.js';

export const LoginBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const ResidentLoginBody = Type.Object({ phone: Type.String({ minLength: 1, maxLength: 30 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const OtpRequestBody = Type.Object({ phone: Type.String({ minLength: 1, maxLength: 30 }) }, { additionalProperties: false });
export const OtpVerifyBody = Type.Object({ phone: Type.String({ minLength: 1, maxLength: 30 }), code: Type.String({ minLength: 4, maxLength: 10 }) }, { additionalProperties: false });
export const PasswordBody = Type.Object({ currentPassword: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
export const CreateUserBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 40 }), displayName: Type.String({ minLength: 1, maxLength: 50 }), password: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
export const GrantBody = Type.Object({ role: Type.Union(roles.map((r) => Type.Literal(r))), placeId: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, { additionalProperties: false });
export { TokenBody } from './identity.tokens.js';
export const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const UserGrantParam = Type.Object({ id: Type.String({ maxLength: 64 }), grantId: Type.String({ maxLength: 64 }) });
export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});
export type ListQuery = Static<typeof ListQuery>;
