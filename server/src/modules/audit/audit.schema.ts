// Request and response schemas of the audit routes.
import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

const strict = { additionalProperties: false } as const;
const NS = Type.Union([Type.String(), Type.Null()]);

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 50 })),
  action: Type.Optional(Type.String({ maxLength: 80 })),
  targetId: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object(
  {
    seq: Type.Integer(),
    at: Type.String(),
    actorId: NS,
    actorName: NS,
    action: Type.String(),
    targetType: Type.String(),
    targetId: NS,
    scopePath: NS,
    ip: NS,
    detail: Type.Unknown({ description: 'what the action recorded (JSON)' }),
  },
  strict,
);
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditPage = Paged(AuditEntry);
