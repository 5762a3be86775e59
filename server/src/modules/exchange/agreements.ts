// Sharing agreements: provider → consumer, one dataset, exact fields, purpose and legal basis,
// places, validity dates and a daily volume limit. Drafted by an officer (or a supervisor), approved
// or rejected by a government supervisor who did not draft it, suspended, resumed or revoked at
// once (the exchange API reads the status on every request). Every step is audited.
//   pending → approved | rejected;  approved → suspended → approved;  pending | approved | suspended → revoked
import type { Selectable } from 'kysely';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { localDate } from '../../kernel/time.js';
import { noRows, startsWith } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { places } from '../registry/index.js';
import type { AgreementStatus, ExchangeOutDb, ExchangeOutTables } from './exchange.tables.js';
import { datasetOf } from './exchange.datasets.js';
import type { PartiesService } from './parties.js';

export interface AgreementView {
  id: string;
  title: string;
  providerOrgId: string;
  providerOrgName: string;
  consumerOrgId: string;
  consumerOrgName: string;
  consumerClientId: string | null;
  dataset: string;
  fields: string[];
  purpose: string;
  legalBasis: string;
  placeIds: string[];
  placeNames: string[];
  validFrom: string;
  validTo: string;
  dailyLimit: number;
  logBodies: boolean;
  status: AgreementStatus;
  draftedBy: string;
  draftedByName: string;
  decidedByName: string | null;
  decidedAt: string | null;
  statusNote: string | null;
  usedToday: number;
  createdAt: string;
  updatedAt: string;
}

export interface AgreementDraft {
  title: string;
  providerOrgId: string;
  consumerOrgId: string;
  consumerClientId?: string | null;
  dataset: string;
  fields: string[];
  purpose: string;
  legalBasis: string;
  placeIds: string[];
  validFrom: string;
  validTo: string;
  dailyLimit: number;
  logBodies?: boolean;
}

export type AgreementRow = Selectable<ExchangeOutTables['exchange_agreements']>;

type Verb = 'approve' | 'reject' | 'suspend' | 'resume' | 'revoke';
const transitions: Record<Verb, { from: AgreementStatus[]; to: AgreementStatus; permission: string }> = {
  approve: { from: ['pending'], to: 'approved', permission: 'approve' },
  reject: { from: ['pending'], to: 'rejected', permission: 'approve' },
  suspend: { from: ['approved'], to: 'suspended', permission: 'suspend' },
  resume: { from: ['suspended'], to: 'approved', permission: 'suspend' },
  revoke: { from: ['pending', 'approved', 'suspended'], to: 'revoked', permission: 'suspend' },
};
export const agreementVerbs = Object.keys(transitions) as Verb[];

const field = (f: string, code: string, params: Record<string, unknown> = {}) => new AppError(422, 'validation.failed', {}, [{ field: f, code, params }]);

export class AgreementsService {
  readonly db: ExchangeOutDb;
  constructor(
    private k: Kernel,
    private parties: PartiesService,
  ) {
    this.db = tablesOf<ExchangeOutTables>(k.db);
  }

  /** A row by id, unscoped (the exchange API checks the caller against it). */
  async row(id: string): Promise<AgreementRow | undefined> {
    return this.db.selectFrom('exchange_agreements').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(actor: Actor, q: { status?: AgreementStatus; mine?: boolean; page?: number; pageSize?: number }) {
    const reach = this.k.authz.reach(actor, 'read', 'Agreement');
    const officerOnly = !actor.grants.some((g) => g.role !== 'department_officer');
    const own = await this.parties.orgOfUser(actor.userId);
    const page = q.page ?? 1;
    const pageSize = Math.min(q.pageSize ?? 20, 100);
    let base = this.db.selectFrom('exchange_agreements');
    if (!reach.all) base = base.where((eb) => (reach.prefixes.length ? eb.or(reach.prefixes.map((p) => startsWith('scope_path', p))) : noRows()));
    if (officerOnly || q.mine) {
      // an officer sees the agreements of their organisation (as provider or consumer) and their own drafts
      base = base.where((eb) =>
        eb.or([eb('drafted_by', '=', actor.userId), ...(own ? [eb('provider_org_id', '=', own.id), eb('consumer_org_id', '=', own.id)] : [])]),
      );
    }
    if (q.status) base = base.where('status', '=', q.status);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await base
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: await this.views(rows), total, page, pageSize };
  }

  /** An agreement the actor may see (404 otherwise). */
  async get(actor: Actor, id: string, action = 'read'): Promise<AgreementView> {
    const r = await this.scoped(actor, id, action);
    return (await this.views([r]))[0];
  }

  private async scoped(actor: Actor, id: string, action: string): Promise<AgreementRow> {
    const r = await this.row(id);
    if (!r || !this.k.authz.can(actor, action, 'Agreement', { placePath: r.scope_path })) throw notFound('exchange.agreement_not_found');
    const officerOnly = !actor.grants.some((g) => g.role !== 'department_officer');
    if (officerOnly) {
      const own = await this.parties.orgOfUser(actor.userId);
      if (r.drafted_by !== actor.userId && own?.id !== r.provider_org_id && own?.id !== r.consumer_org_id) throw notFound('exchange.agreement_not_found');
    }
    return r;
  }

  async draft(actor: Actor, b: AgreementDraft, ip: string | null): Promise<AgreementView> {
    const provider = await this.parties.org(b.providerOrgId);
    if (!provider) throw field('providerOrgId', 'exchange.org_not_found');
    const consumer = await this.parties.org(b.consumerOrgId);
    if (!consumer) throw field('consumerOrgId', 'exchange.org_not_found');
    if (provider.id === consumer.id) throw field('consumerOrgId', 'exchange.same_party');
    // the drafter must be able to draft on the provider's records; an officer only for their own organisation
    if (!this.k.authz.can(actor, 'draft', 'Agreement', { placePath: provider.placePath })) throw notFound('exchange.org_not_found');
    const officerOnly = !actor.grants.some((g) => g.role !== 'department_officer');
    if (officerOnly) {
      const own = await this.parties.orgOfUser(actor.userId);
      if (!own || (own.id !== provider.id && own.id !== consumer.id)) throw new AppError(403, 'exchange.not_your_org');
    }
    if (b.consumerClientId) {
      const c = await this.db.selectFrom('exchange_clients').select(['org_id']).where('id', '=', b.consumerClientId).executeTakeFirst();
      if (!c || c.org_id !== consumer.id) throw field('consumerClientId', 'exchange.client_not_found');
    }
    const ds = datasetOf(b.dataset);
    if (!ds) throw field('dataset', 'exchange.unknown_dataset');
    const fields = [...new Set(b.fields)];
    const unknown = fields.filter((f) => !ds.fields.some((x) => x.code === f));
    if (!fields.length || unknown.length) throw field('fields', 'exchange.unknown_fields', { fields: unknown.join(', ') });
    if (!b.purpose.trim()) throw field('purpose', 'validation.required');
    if (!b.legalBasis.trim()) throw field('legalBasis', 'validation.required');
    if (b.validTo < b.validFrom) throw field('validTo', 'exchange.bad_validity');
    const ids = [...new Set(b.placeIds)];
    if (!ids.length) throw field('placeIds', 'validation.required');
    const paths: string[] = [];
    for (const id of ids) {
      const p = await places.getPlace(this.k, id);
      // places of the agreement lie within the provider's area
      if (!p || !p.path.startsWith(provider.placePath)) throw field('placeIds', 'exchange.place_outside_provider');
      paths.push(p.path);
    }
    const now = this.now();
    const row: AgreementRow = {
      id: newId('agr'),
      title: b.title.trim(),
      provider_org_id: provider.id,
      consumer_org_id: consumer.id,
      consumer_client_id: b.consumerClientId ?? null,
      dataset: ds.code,
      fields: JSON.stringify(fields),
      purpose: b.purpose.trim(),
      legal_basis: b.legalBasis.trim(),
      place_ids: JSON.stringify(ids),
      place_paths: JSON.stringify(paths),
      scope_path: provider.placePath,
      valid_from: b.validFrom,
      valid_to: b.validTo,
      daily_limit: b.dailyLimit,
      log_bodies: b.logBodies ? 1 : 0,
      status: 'pending',
      drafted_by: actor.userId,
      drafted_by_name: actor.name,
      decided_by: null,
      decided_by_name: null,
      decided_at: null,
      status_note: null,
      created_at: now,
      updated_at: now,
    };
    await this.k.database.db.transaction().execute(async (t) => {
      await tablesOf<ExchangeOutTables>(t).insertInto('exchange_agreements').values(row).execute();
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'exchange.agreement.draft',
          targetType: 'exchange_agreement',
          targetId: row.id,
          scopePath: row.scope_path,
          ip,
          detail: { title: row.title, provider: provider.name, consumer: consumer.name, fields, purpose: row.purpose },
        },
        t,
      );
    });
    return (await this.views([row]))[0];
  }

  async decide(actor: Actor, id: string, verb: Verb, note: string | undefined, ip: string | null): Promise<AgreementView> {
    const tr = transitions[verb];
    const r = await this.scoped(actor, id, 'read');
    if (!this.k.authz.can(actor, tr.permission, 'Agreement', { placePath: r.scope_path })) throw new AppError(403, 'auth.forbidden');
    if ((verb === 'approve' || verb === 'reject') && r.drafted_by === actor.userId) throw new AppError(403, 'exchange.own_draft');
    if (!tr.from.includes(r.status)) throw new AppError(409, 'exchange.illegal_transition', { from: r.status, action: verb });
    const now = this.now();
    await this.k.database.db.transaction().execute(async (t) => {
      const res = await tablesOf<ExchangeOutTables>(t)
        .updateTable('exchange_agreements')
        .set({
          status: tr.to,
          updated_at: now,
          status_note: note?.trim() || null,
          ...(verb === 'approve' || verb === 'reject' ? { decided_by: actor.userId, decided_by_name: actor.name, decided_at: now } : {}),
        })
        .where('id', '=', r.id)
        .where('status', '=', r.status)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new AppError(409, 'exchange.illegal_transition', { from: r.status, action: verb });
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: `exchange.agreement.${verb}`,
          targetType: 'exchange_agreement',
          targetId: r.id,
          scopePath: r.scope_path,
          ip,
          detail: { from: r.status, to: tr.to, note: note?.trim() || null },
        },
        t,
      );
    });
    return this.get(actor, id);
  }

  async views(rows: AgreementRow[]): Promise<AgreementView[]> {
    if (!rows.length) return [];
    const orgs = new Map((await this.parties.allOrgs()).map((o) => [o.id, o.name]));
    const placeIds = rows.flatMap((r) => JSON.parse(r.place_ids) as string[]);
    const names = await places.placeNames(this.k, placeIds);
    const day = this.today();
    const usage = await this.db
      .selectFrom('exchange_usage')
      .select(['agreement_id', 'records'])
      .where('day', '=', day)
      .where(
        'agreement_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const used = new Map(usage.map((u) => [u.agreement_id, Number(u.records)]));
    return rows.map((r) => {
      const ids = JSON.parse(r.place_ids) as string[];
      return {
        id: r.id,
        title: r.title,
        providerOrgId: r.provider_org_id,
        providerOrgName: orgs.get(r.provider_org_id) ?? r.provider_org_id,
        consumerOrgId: r.consumer_org_id,
        consumerOrgName: orgs.get(r.consumer_org_id) ?? r.consumer_org_id,
        consumerClientId: r.consumer_client_id,
        dataset: r.dataset,
        fields: JSON.parse(r.fields) as string[],
        purpose: r.purpose,
        legalBasis: r.legal_basis,
        placeIds: ids,
        placeNames: ids.map((i) => names.get(i) ?? i),
        validFrom: r.valid_from,
        validTo: r.valid_to,
        dailyLimit: Number(r.daily_limit),
        logBodies: !!Number(r.log_bodies),
        status: r.status,
        draftedBy: r.drafted_by,
        draftedByName: r.drafted_by_name,
        decidedByName: r.decided_by_name,
        decidedAt: r.decided_at,
        statusNote: r.status_note,
        usedToday: used.get(r.id) ?? 0,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
    });
  }

  /** Today in the platform's time zone (validity dates and daily volume are counted by it). */
  today(): string {
    return localDay(this.k);
  }

  private now() {
    return this.k.clock.now().toISOString();
  }
}

export function localDay(k: Kernel): string {
  return localDate(k.clock.now(), k.config.timeZone);
}
