// Request and response schemas of the NGSI-LD open-data routes (normalized representation, ETSI GS
// CIM 009 §4.5). Query parameters are declared as strings and checked by ngsi.query.ts, so a bad
// one is an NGSI-LD BadRequestData (400), not the house's 422.
import { Type } from '@sinclair/typebox';

const Property = Type.Object(
  { type: Type.Literal('Property'), value: Type.Unknown(), unitCode: Type.Optional(Type.String()), observedAt: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
const Relationship = Type.Object(
  { type: Type.Literal('Relationship'), object: Type.Union([Type.String(), Type.Array(Type.String())]) },
  { additionalProperties: false },
);
const GeoProperty = Type.Object(
  { type: Type.Literal('GeoProperty'), value: Type.Object({ type: Type.String(), coordinates: Type.Unknown() }) },
  { additionalProperties: false },
);

export const NgsiEntitySchema = Type.Object(
  {
    id: Type.String({ description: 'urn:ngsi-ld:<Type>:<id>' }),
    type: Type.Union([Type.Literal('Building'), Type.Literal('Device')]),
    '@context': Type.Optional(Type.Array(Type.String(), { description: 'only in application/ld+json answers' })),
  },
  { additionalProperties: Type.Union([Property, Relationship, GeoProperty]), description: 'an NGSI-LD entity, normalized' },
);

export const NgsiEntityList = Type.Array(NgsiEntitySchema);

/** ProblemDetails as NGSI-LD answers them (§5.5.2), with the house's status and code. */
export const NgsiProblem = Type.Object(
  {
    type: Type.String({ description: 'https://uri.etsi.org/ngsi-ld/errors/<kind>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String(),
  },
  { additionalProperties: false },
);

const q = (description: string) => Type.Optional(Type.String({ description }));
export const EntitiesQuery = Type.Object(
  {
    type: q('entity types, comma-separated (Building, Device, or their Smart Data Models IRIs)'),
    id: q('entity ids, comma-separated'),
    idPattern: q('a regular expression the id matches (no nested quantifiers, back-references or lookaround)'),
    attrs: q('attribute names, comma-separated: entities with at least one of them, projected onto them'),
    q: q('NGSI-LD query language: ==, !=, <, >, <=, >=, ~=, !~=, ; (and), | (or), parentheses'),
    limit: q('page size, default 20, at most 1000; 0 only with count=true'),
    offset: q('entities to skip'),
    count: q('true: the number of matching entities in the NGSILD-Results-Count header'),
    options: q('count (same as count=true); keyValues and concise are refused (only the normalized representation)'),
    format: q('normalized (the only representation served)'),
    georel: q('geo-query relation: accepted with geometry and coordinates, and matches nothing (no entity has a location)'),
    geometry: q('geo-query geometry'),
    coordinates: q('geo-query coordinates'),
  },
  { additionalProperties: true },
);

export const EntityParams = Type.Object({ entityId: Type.String({ description: 'urn:ngsi-ld:<Type>:<id>' }) });
export const EntityQuery = Type.Object(
  { attrs: q('attribute names, comma-separated: only these attributes'), options: q('keyValues and concise are refused'), format: q('normalized') },
  { additionalProperties: true },
);
