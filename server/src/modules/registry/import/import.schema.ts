// Request and response schemas of the bulk import routes.
import { Type, type Static } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;
const S = Type.String();
const NS = Type.Union([Type.String(), Type.Null()]);
const Int = Type.Integer({ minimum: 0 });
const Kind = Type.Union([Type.Literal('residents'), Type.Literal('houses')]);

export const NEW_PLACES_LISTED = 1000;

export const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const RunBody = Type.Object(
  {
    mapping: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    fixed: Type.Optional(
      Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), {
        description: 'one value for the whole file, for a place level the file has no column for: estate, building or unit (e.g. { "estate": "花家地西里" })',
      }),
    ),
    dryRun: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export const UploadFields = {
  kind: Kind,
  communityId: Type.String({ maxLength: 64 }),
};

export const Uploaded = Type.Object(
  {
    id: S,
    kind: Kind,
    fileName: S,
    headers: Type.Array(S),
    sample: Type.Array(Type.Array(S), { description: 'the first rows, cells in header order' }),
    totalRows: Int,
    mapping: Type.Record(S, NS, { description: 'suggested: target field → file header' }),
    fields: Type.Array(Type.Object({ name: S, zh: S, en: S, required: Type.Boolean() }, strict)),
  },
  strict,
);
export type Uploaded = Static<typeof Uploaded>;

export const ImportView = Type.Object(
  {
    id: S,
    kind: Kind,
    communityId: S,
    fileName: S,
    status: Type.Union([Type.Literal('uploaded'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
    dryRun: Type.Boolean(),
    totalRows: Int,
    processedRows: Int,
    imported: Int,
    unchanged: Int,
    rejected: Int,
    error: NS,
    reportUrl: Type.Union([S, Type.Null()], { description: 'the rejected rows (xlsx), when there are any' }),
    createdAt: S,
    finishedAt: NS,
    newPlaces: Type.Array(
      Type.Object({ kind: Type.Union([Type.Literal('estate'), Type.Literal('building'), Type.Literal('unit'), Type.Literal('house')]), path: S }, strict),
      {
        description: `the places the run created (a dry run: would create), full path from the community, in file order; at most ${NEW_PLACES_LISTED}`,
      },
    ),
    newPlaceCounts: Type.Object({ estate: Int, building: Int, unit: Int, house: Int }, { ...strict, description: 'all of them, by kind' }),
  },
  strict,
);
export type ImportView = Static<typeof ImportView>;
