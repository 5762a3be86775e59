// NGSI-LD open data: the JSON-LD @context of the answers and content negotiation (ETSI GS CIM 009
// §6.3.4–6.3.6). Linli does no JSON-LD expansion of its own: entity types and attribute names are
// the short terms of the Smart Data Models context, and every answer says which context they are
// terms of — in the body for application/ld+json, in a Link header for application/json.

/** The NGSI-LD core context, as the Smart Data Models examples cite it (ngsi.samples/). */
export const CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld';
/** The Smart Data Models' combined context: Building, Device and every other model's terms. */
export const SDM_CONTEXT = 'https://smart-data-models.github.io/data-models/context.jsonld';
/** The body's @context of application/ld+json answers. */
export const BODY_CONTEXT = [SDM_CONTEXT, CORE_CONTEXT];
export const JSONLD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';
/** The Link header of application/json answers (one context; the core context is implied, §6.3.5). */
export const LINK_HEADER = `<${SDM_CONTEXT}>; rel="${JSONLD_CONTEXT_REL}"; type="application/ld+json"`;

/** The entity types served, with the IRIs their short names expand to in the SDM context. */
export const ENTITY_TYPES = {
  Building: 'https://smartdatamodels.org/dataModel.Building/Building',
  Device: 'https://smartdatamodels.org/dataModel.Device/Device',
} as const;
export type EntityType = keyof typeof ENTITY_TYPES;

/** A type named in a query (short term or expanded IRI) as one of ours, or null (no entity has it). */
export function entityType(name: string): EntityType | null {
  for (const [short, iri] of Object.entries(ENTITY_TYPES)) if (name === short || name === iri) return short as EntityType;
  return null;
}

export type Produced = 'application/json' | 'application/ld+json';

/**
 * The media type to answer with for an Accept header, or null when it names nothing we produce
 * (406). No Accept, or any type, is application/json (§6.3.6). Hand-written: a dozen lines, and
 * @fastify/accepts would add a dependency for two candidates.
 */
export function negotiate(accept: string | undefined): Produced | null {
  if (!accept || !accept.trim()) return 'application/json';
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    return { range: range.trim(), q: Number.isFinite(q) ? q : 0 };
  });
  const weight = (type: Produced): { q: number; specificity: number } => {
    let best = { q: 0, specificity: -1 };
    for (const r of ranges) {
      const specificity = r.range === type ? 2 : r.range === 'application/*' ? 1 : r.range === '*/*' ? 0 : -1;
      if (specificity > best.specificity) best = { q: r.q, specificity };
    }
    return best;
  };
  const json = weight('application/json');
  const ld = weight('application/ld+json');
  if (json.q <= 0 && ld.q <= 0) return null;
  if (ld.q > json.q) return 'application/ld+json';
  if (json.q > ld.q) return 'application/json';
  // equal weight: the one named explicitly, else plain JSON
  return ld.specificity > json.specificity ? 'application/ld+json' : 'application/json';
}
