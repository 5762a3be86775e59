// Request and response schemas of the records-in routes (sources, profiles, imports, reviews,
// provenance, quality).
import { Type } from '@sinclair/typebox';
import { Paged } from '../../kernel/http/contract.js';

const strict = { additionalProperties: false } as const;
const S = Type.String();
const NS = Type.Union([Type.String(), Type.Null()]);
const Int = Type.Integer({ minimum: 0 });
const NNum = Type.Union([Type.Number(), Type.Null()]);
const lit = <const T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));

export const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const Department = lit(['police', 'civil_affairs', 'health', 'street_office', 'property']);
export const Paging = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
};

const Field = Type.String({ maxLength: 200 });
export const ProfileDefinition = Type.Object(
  {
    columns: Type.Record(Type.String({ maxLength: 40 }), Field, { description: 'standard field → the department’s column or JSON key' }),
    addressColumns: Type.Optional(Type.Array(Field, { maxItems: 10 })),
    codes: Type.Optional(
      Type.Object(
        {
          gender: Type.Optional(Type.Record(Field, Type.String({ maxLength: 10 }))),
          ethnicity: Type.Optional(Type.Record(Field, Type.String({ maxLength: 10 }))),
          tags: Type.Optional(Type.Record(Field, Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 }))),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const Source = Type.Object({ id: S, orgId: NS, department: Department, name: S, placeId: S, createdAt: S }, strict);
export const SourceList = Type.Object({ items: Type.Array(Source) }, strict);
export const CreateSourceBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    department: Department,
    placeId: Type.String({ maxLength: 64 }),
    orgId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    profile: Type.Optional(ProfileDefinition),
  },
  strict,
);

export const Profile = Type.Object({ id: S, sourceId: S, version: Int, definition: ProfileDefinition, note: NS, createdAt: S }, strict);
export const ProfileList = Type.Object({ items: Type.Array(Profile) }, strict);
export const CreateProfileBody = Type.Object(
  { definition: ProfileDefinition, note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) },
  strict,
);

export const PushBody = Type.Object(
  {
    records: Type.Array(Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Null()])), {
      maxItems: 1000,
      description: 'records in the department’s own keys and codes; the source’s profile maps them',
    }),
  },
  strict,
);

export const Import = Type.Object(
  {
    id: S,
    sourceId: S,
    profileVersion: Int,
    via: lit(['upload', 'push']),
    fileName: NS,
    encoding: NS,
    status: lit(['done', 'failed']),
    total: Int,
    rejected: Int,
    linked: Int,
    review: Int,
    newCount: Int,
    createdAt: S,
  },
  strict,
);
export const ImportList = Paged(Import);
export const ImportQuery = Type.Object({ sourceId: Type.Optional(Type.String({ maxLength: 64 })), ...Paging }, strict);

const FieldError = Type.Object({ field: S, code: S, params: Type.Optional(Type.Record(S, Type.Unknown())), message: Type.Optional(S) });
export const MaskedRecord = Type.Object(
  {
    name: S,
    idNumberMasked: NS,
    gender: NS,
    birthDate: NS,
    ethnicity: NS,
    phoneMasked: NS,
    address: NS,
    tags: Type.Array(S),
  },
  strict,
);
export const RejectedRows = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          row: Int,
          errors: Type.Array(FieldError),
          record: MaskedRecord,
          cells: Type.Record(S, S, { description: 'the row as sent, ID and phone numbers masked' }),
        },
        strict,
      ),
    ),
  },
  strict,
);

const Levels = Type.Object({ name: S, birthDate: S, gender: S, phone: S, address: S }, strict);
export const Review = Type.Object(
  {
    id: S,
    status: lit(['pending', 'same', 'different']),
    sourceId: S,
    sourceName: S,
    importId: S,
    row: Int,
    weight: Type.Number(),
    levels: Levels,
    record: MaskedRecord,
    candidate: Type.Union([
      Type.Object({ id: S, name: S, idNumberMasked: S, gender: S, birthDate: NS, ethnicity: NS, phoneMasked: NS, address: NS }, strict),
      Type.Null(),
    ]),
    decidedBy: NS,
    decidedAt: NS,
    createdAt: S,
  },
  strict,
);
export const ReviewList = Paged(Review);
export const ReviewQuery = Type.Object({ status: Type.Optional(lit(['pending', 'same', 'different'])), ...Paging }, strict);
export const DecideBody = Type.Object({ decision: lit(['same', 'different']) }, strict);

const AssertionView = Type.Object(
  { attribute: S, value: S, sourceId: S, sourceName: S, department: Department, recordId: S, assertedAt: S, current: Type.Boolean() },
  strict,
);
export const Provenance = Type.Object(
  {
    residentId: S,
    assertions: Type.Array(AssertionView),
    conflicts: Type.Array(
      Type.Object(
        {
          attribute: S,
          values: Type.Array(AssertionView),
          settledBy: Type.Literal('precedence'),
          precedence: Type.Array(Department),
          settled: Type.Object({ value: S, sourceId: S, sourceName: S }, strict),
        },
        strict,
      ),
    ),
  },
  strict,
);
export const ConflictList = Type.Object({ items: Type.Array(Type.Object({ residentId: S, attribute: S, values: Int }, strict)) }, strict);

const Figures = Type.Object({ records: Int, completeness: NNum, validity: NNum, duplicates: Int, matchRate: NNum }, strict);
export const Quality = Type.Object(
  {
    sourceId: S,
    latest: Figures,
    year: Figures,
    trend: Type.Array(Type.Object({ month: S, records: Int, completeness: NNum, validity: NNum, duplicates: Int, matchRate: NNum }, strict)),
  },
  strict,
);
