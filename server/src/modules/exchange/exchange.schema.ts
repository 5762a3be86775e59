// Request and response schemas of the records-out half of the exchange module.
import { Type, type Static } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const IdParam = Type.Object({ id: Id }, { additionalProperties: false });

// ---------- parties ----------
export const OrgKind = Type.Union([
  Type.Literal('police'),
  Type.Literal('civil_affairs'),
  Type.Literal('health'),
  Type.Literal('street_office'),
  Type.Literal('property'),
]);
export const OrgView = Type.Object(
  { id: Type.String(), code: Type.String(), name: Type.String(), kind: OrgKind, placeId: Type.String(), placePath: Type.String(), createdAt: Type.String() },
  { additionalProperties: false },
);
export const OrgList = Type.Object({ items: Type.Array(OrgView), mine: Type.Union([OrgView, Type.Null()]) }, { additionalProperties: false });
export const OrgBody = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 40, description: 'member code (e.g. unified social credit code)' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: OrgKind,
    placeId: Id,
  },
  { additionalProperties: false },
);
export const OfficerBody = Type.Object({ userId: Id }, { additionalProperties: false });
export const Ok = Type.Object({ ok: Type.Boolean() }, { additionalProperties: false });

const KeyStatus = Type.Union([Type.Literal('active'), Type.Literal('retired'), Type.Literal('revoked')]);
export const KeyView = Type.Object(
  {
    keyId: Type.String(),
    publicKey: Type.String(),
    status: KeyStatus,
    createdAt: Type.String(),
    retiredAt: Type.Union([Type.String(), Type.Null()]),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export const ClientView = Type.Object(
  {
    id: Type.String(),
    orgId: Type.String(),
    orgCode: Type.String(),
    orgName: Type.String(),
    subsystemCode: Type.String(),
    identifier: Type.String({ description: 'organisation code / subsystem code' }),
    name: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    hasEncryptionKey: Type.Boolean(),
    keys: Type.Array(KeyView),
    createdAt: Type.String(),
  },
  { additionalProperties: false },
);
export const ClientList = Type.Object({ items: Type.Array(ClientView) }, { additionalProperties: false });
export const Jwk = Type.Object(
  {
    kty: Type.String(),
    crv: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
    n: Type.Optional(Type.String()),
    e: Type.Optional(Type.String()),
  },
  { additionalProperties: false, description: 'public JWK (X25519, P-256 or RSA) bulk exports are encrypted to' },
);
export const ClientBody = Type.Object(
  {
    subsystemCode: Type.String({ minLength: 2, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    publicKey: Type.String({ minLength: 40, maxLength: 2000, description: 'Ed25519 public key: base64 SPKI DER or PEM' }),
    encryptionKey: Type.Optional(Jwk),
  },
  { additionalProperties: false },
);
export const KeyBody = Type.Object({ publicKey: Type.String({ minLength: 40, maxLength: 2000 }) }, { additionalProperties: false });
export const KeyParams = Type.Object({ id: Id, keyId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const EncryptionKeyBody = Type.Object({ encryptionKey: Jwk }, { additionalProperties: false });

// ---------- datasets and agreements ----------
export const DatasetList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          code: Type.String(),
          zh: Type.String(),
          en: Type.String(),
          fields: Type.Array(
            Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), personal: Type.Boolean() }, { additionalProperties: false }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const AgreementStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('suspended'),
  Type.Literal('revoked'),
]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const AgreementView = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    providerOrgId: Type.String(),
    providerOrgName: Type.String(),
    consumerOrgId: Type.String(),
    consumerOrgName: Type.String(),
    consumerClientId: Nullable(Type.String()),
    dataset: Type.String(),
    fields: Type.Array(Type.String()),
    purpose: Type.String(),
    legalBasis: Type.String(),
    placeIds: Type.Array(Type.String()),
    placeNames: Type.Array(Type.String()),
    validFrom: Type.String(),
    validTo: Type.String(),
    dailyLimit: Type.Integer(),
    logBodies: Type.Boolean(),
    status: AgreementStatus,
    draftedBy: Type.String(),
    draftedByName: Type.String(),
    decidedByName: Nullable(Type.String()),
    decidedAt: Nullable(Type.String()),
    statusNote: Nullable(Type.String()),
    usedToday: Type.Integer(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { additionalProperties: false },
);
export const AgreementPage = Paged(AgreementView);
export const AgreementQuery = Type.Object(
  {
    status: Type.Optional(AgreementStatus),
    mine: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export const AgreementBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    providerOrgId: Id,
    consumerOrgId: Id,
    consumerClientId: Type.Optional(Type.Union([Id, Type.Null()])),
    dataset: Type.String({ minLength: 1, maxLength: 60 }),
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 50 }),
    purpose: Type.String({ minLength: 1, maxLength: 500 }),
    legalBasis: Type.String({ minLength: 1, maxLength: 500 }),
    placeIds: Type.Array(Id, { minItems: 1, maxItems: 100 }),
    validFrom: Day,
    validTo: Day,
    dailyLimit: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    logBodies: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const DecisionParams = Type.Object(
  {
    id: Id,
    verb: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('suspend'), Type.Literal('resume'), Type.Literal('revoke')]),
  },
  { additionalProperties: false },
);
export const DecisionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

// ---------- message log ----------
export const MessageView = Type.Object(
  {
    seq: Type.Integer(),
    at: Type.String(),
    clientId: Nullable(Type.String()),
    clientName: Nullable(Type.String()),
    orgName: Nullable(Type.String()),
    agreementId: Nullable(Type.String()),
    agreementTitle: Nullable(Type.String()),
    operation: Type.String(),
    method: Type.String(),
    path: Type.String(),
    status: Type.Integer(),
    outcome: Type.String(),
    records: Type.Integer(),
    requestHash: Type.String(),
    responseHash: Type.String(),
    bodiesKept: Type.Boolean(),
    durationMs: Type.Integer(),
    hash: Type.String(),
  },
  { additionalProperties: false },
);
export const MessagePage = Paged(MessageView);
export const MessageQuery = Type.Object(
  {
    agreementId: Type.Optional(Id),
    outcome: Type.Optional(Type.String({ maxLength: 60 })),
    page: Type.Optional(Type.Integer({ minimum: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export const VerifyView = Type.Object(
  {
    ok: Type.Boolean(),
    entries: Type.Integer(),
    checkpoints: Type.Integer(),
    lastCheckpoint: Type.Integer(),
    unanchored: Type.Integer(),
    problems: Type.Array(Type.Object({ code: Type.String(), seq: Type.Optional(Type.Integer()), message: Type.String() }, { additionalProperties: false })),
    checkedAt: Type.String(),
  },
  { additionalProperties: false },
);

// ---------- the signed exchange API ----------
export const PlatformKeys = Type.Object(
  {
    keys: Type.Array(
      Type.Object(
        { keyId: Type.String(), algorithm: Type.Literal('Ed25519'), publicKey: Type.String(), active: Type.Boolean() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const FieldValue = Type.Union([Type.String(), Type.Null(), Type.Array(Type.String())]);
export const Record_ = Type.Record(Type.String(), FieldValue, { description: 'the agreed fields only, by standard field code' });
const IdNumber = Type.String({ minLength: 15, maxLength: 18 });
export const LookupBody = Type.Object({ agreementId: Id, idNumber: IdNumber }, { additionalProperties: false });
export const LookupView = Type.Object({ agreementId: Type.String(), record: Record_ }, { additionalProperties: false });
export const BatchBody = Type.Object({ agreementId: Id, idNumbers: Type.Array(IdNumber, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });
export const BatchView = Type.Object(
  {
    agreementId: Type.String(),
    items: Type.Array(
      Type.Object(
        { index: Type.Integer({ description: 'position in the request' }), found: Type.Boolean(), record: Type.Optional(Record_) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const ChangesQuery = Type.Object(
  { agreementId: Id, cursor: Type.Optional(Type.String({ maxLength: 400 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);
export const ChangesView = Type.Object(
  {
    agreementId: Type.String(),
    items: Type.Array(Type.Object({ ref: Type.String(), updatedAt: Type.String(), record: Record_ }, { additionalProperties: false })),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export const ExportBody = Type.Object({ agreementId: Id }, { additionalProperties: false });
export const ExportView = Type.Object(
  {
    agreementId: Type.String(),
    count: Type.Integer(),
    jwe: Type.String({ description: 'JWE compact serialisation, encrypted to the client’s encryption key' }),
  },
  { additionalProperties: false },
);

export type AgreementBodyT = Static<typeof AgreementBody>;
