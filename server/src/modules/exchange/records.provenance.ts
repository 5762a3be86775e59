// Provenance: every attribute a source asserts about a resident is kept with the source and the
// time, never overwritten. When sources disagree (a phone, an address) the conflict is listed
// with each source's value, and the declared per-attribute precedence says which one stands.
// Welfare tags from civil affairs reach the registry through its index.ts as a system actor.
import type { Kernel } from '../../kernel/index.js';
import { systemActor } from '../../kernel/authz/index.js';
import { newId } from '../../kernel/ids.js';
import { maskIdNumber, maskPhone } from '../../kernel/vault/index.js';
import { ResidentsService, linkableResidents } from '../registry/index.js';
import type { MappedRecord } from './mapping.js';
import { addressTokens, normaliseName } from './resolve.js';
import { RecordsRepository, type AssertionRow, type SourceRow } from './records.repository.js';
import type { Department } from './records.tables.js';

export type Attribute = 'name' | 'birthDate' | 'gender' | 'ethnicity' | 'phone' | 'address';
export const attributes: Attribute[] = ['name', 'birthDate', 'gender', 'ethnicity', 'phone', 'address'];

/**
 * Which department's word stands when sources disagree, first = strongest. The household
 * register (police) is the authority for identity and the registered address; civil affairs and
 * health visit people and know their phone best. Within one department the latest assertion wins.
 */
export const precedence: Record<Attribute | 'tags', Department[]> = {
  name: ['police', 'civil_affairs', 'health', 'street_office', 'property'],
  birthDate: ['police', 'civil_affairs', 'health', 'street_office', 'property'],
  gender: ['police', 'civil_affairs', 'health', 'street_office', 'property'],
  ethnicity: ['police', 'civil_affairs', 'health', 'street_office', 'property'],
  address: ['police', 'street_office', 'civil_affairs', 'property', 'health'],
  phone: ['civil_affairs', 'health', 'street_office', 'property', 'police'],
  // welfare tags: only civil affairs grants them
  tags: ['civil_affairs'],
};

/** Welfare tags a civil-affairs source may set on a resident. */
export const welfareTags = ['low_income', 'extreme_poverty', 'disabled', 'elderly_allowance'];

/** The comparable form of a value: equal meaning, equal key (address tokens, simplified names). */
function canonical(attribute: string, value: string): string {
  if (attribute === 'name') return normaliseName(value);
  if (attribute === 'address') return [...addressTokens(value)].sort().join(' ');
  return value;
}

export function assertionsOf(k: Kernel, src: SourceRow, recordId: string, residentId: string, placePath: string, v: MappedRecord, at: string): AssertionRow[] {
  const out: AssertionRow[] = [];
  const add = (attribute: string, value: string | null) => {
    if (value == null || value === '') return;
    out.push({
      id: newId('xas'),
      resident_id: residentId,
      place_path: placePath,
      attribute,
      value_enc: k.vault.encrypt(value),
      value_key: k.vault.blindIndex('exchange_value', `${attribute}\0${canonical(attribute, value)}`),
      source_id: src.id,
      record_id: recordId,
      asserted_at: at,
      current: 1,
    });
  };
  for (const a of attributes) add(a, v[a]);
  if (src.department === 'civil_affairs') for (const t of v.tags.filter((x) => welfareTags.includes(x))) add(`tag:${t}`, '1');
  return out;
}

const show = (attribute: string, value: string) => (attribute === 'phone' ? maskPhone(value) : attribute === 'idNumber' ? maskIdNumber(value) : value);

export interface SourceInfo {
  id: string;
  name: string;
  department: Department;
}

/** The winner among current assertions of one attribute: the department first in precedence, then the latest. */
export function settle<T extends { department: Department; assertedAt: string }>(attribute: Attribute, values: T[]): T | null {
  const order = precedence[attribute];
  const rank = (d: Department) => (order.indexOf(d) < 0 ? order.length : order.indexOf(d));
  return [...values].sort((a, b) => rank(a.department) - rank(b.department) || b.assertedAt.localeCompare(a.assertedAt))[0] ?? null;
}

export async function provenanceOf(k: Kernel, repo: RecordsRepository, residentId: string, sources: Map<string, SourceInfo>) {
  const rows = await repo.assertions(residentId);
  const view = (r: AssertionRow) => {
    const s = sources.get(r.source_id);
    return {
      attribute: r.attribute,
      value: show(r.attribute, k.vault.decrypt(r.value_enc)),
      sourceId: r.source_id,
      sourceName: s?.name ?? '',
      department: (s?.department ?? 'street_office') as Department,
      recordId: r.record_id,
      assertedAt: r.asserted_at,
      current: r.current === 1,
    };
  };
  const all = rows.map(view);
  const conflicts = [];
  for (const attribute of attributes) {
    const current = rows.filter((r) => r.current === 1 && r.attribute === attribute);
    if (new Set(current.map((r) => r.value_key)).size < 2) continue;
    const values = current.map(view);
    const winner = settle(attribute, values)!;
    conflicts.push({
      attribute,
      values,
      settledBy: 'precedence' as const,
      precedence: precedence[attribute],
      settled: { value: winner.value, sourceId: winner.sourceId, sourceName: winner.sourceName },
    });
  }
  return { residentId, assertions: all, conflicts };
}

/**
 * Set the welfare tags civil affairs asserts on the registry record (added, never removed here),
 * through the registry's own service as a system actor, so the change is validated and audited
 * like any edit. Returns the residents whose tags changed.
 */
export async function applyWelfareTags(k: Kernel, byResident: Map<string, string[]>, importId: string): Promise<string[]> {
  if (!byResident.size) return [];
  const current = new Map((await linkableResidents.byIds(k, [...byResident.keys()])).map((r) => [r.id, r.tags]));
  const svc = new ResidentsService(k);
  const actor = systemActor(`exchange.welfare ${importId}`);
  const changed: string[] = [];
  for (const [id, tags] of byResident) {
    const have = current.get(id);
    if (!have) continue;
    const next = [...new Set([...have, ...tags])];
    if (next.length === have.length) continue;
    await svc.update(actor, id, { tags: next }, '127.0.0.1');
    changed.push(id);
  }
  return changed;
}

/**
 * Which source asserted a welfare tag of each resident (the latest current assertion), for
 * billing's waivers: a waiver given for `low_income` names the civil-affairs roll it came from.
 */
const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export async function tagSources(repo: RecordsRepository, residentIds: string[]) {
  const rows = (await Promise.all(chunks([...new Set(residentIds)], 500).map((part) => repo.currentAssertions(part)))).flat();
  const out = new Map<string, Map<string, { sourceId: string; sourceName: string; assertedAt: string }>>();
  const srcIds = [...new Set(rows.map((r) => r.source_id))];
  const names = new Map<string, string>();
  for (const id of srcIds) names.set(id, (await repo.source(id))?.name ?? '');
  for (const r of rows) {
    if (!r.attribute.startsWith('tag:')) continue;
    const tag = r.attribute.slice(4);
    const m = out.get(r.resident_id) ?? new Map();
    const prev = m.get(tag);
    if (!prev || prev.assertedAt < r.asserted_at) m.set(tag, { sourceId: r.source_id, sourceName: names.get(r.source_id) ?? '', assertedAt: r.asserted_at });
    out.set(r.resident_id, m);
  }
  return out;
}

/** For billing (through index.ts): resident → welfare tag → the source that asserted it. */
export function welfareTagSources(k: Kernel, residentIds: string[]) {
  return tagSources(new RecordsRepository(k), residentIds);
}
