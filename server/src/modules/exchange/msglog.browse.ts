// The message log in the console: an officer sees the messages of their organisation's clients;
// a supervisor those under agreements (or of organisations) in their scope; a platform-wide grant
// sees every message, refusals of unknown callers included. Verification runs the same check as
// `linli exchange verify`.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { noRows, startsWith } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { witnessFileOf } from '../../kernel/audit/verify.js';
import type { ExchangeOutTables } from './exchange.tables.js';
import type { PartiesService } from './parties.js';
import { verifyMessageLog } from './msglog.js';

export class MessageLogBrowser {
  constructor(
    private k: Kernel,
    private parties: PartiesService,
  ) {}

  async list(actor: Actor, q: { agreementId?: string; outcome?: string; page?: number; pageSize?: number }) {
    const db = tablesOf<ExchangeOutTables>(this.k.db);
    const reach = this.k.authz.reach(actor, 'read', 'ExchangeLog');
    const officerOnly = !actor.grants.some((g) => g.role !== 'department_officer');
    const own = await this.parties.orgOfUser(actor.userId);
    const page = q.page ?? 1;
    const pageSize = Math.min(q.pageSize ?? 20, 100);
    let base = db.selectFrom('exchange_msglog');
    if (officerOnly) base = own ? base.where('exchange_msglog.org_id', '=', own.id) : base.where(noRows());
    else if (!reach.all) {
      const prefixes = reach.prefixes;
      base = base.where((eb) =>
        prefixes.length
          ? eb.or([
              eb(
                'exchange_msglog.agreement_id',
                'in',
                eb
                  .selectFrom('exchange_agreements')
                  .select('exchange_agreements.id')
                  .where((e2) => e2.or(prefixes.map((p) => startsWith('exchange_agreements.scope_path', p)))),
              ),
              eb(
                'exchange_msglog.org_id',
                'in',
                eb
                  .selectFrom('exchange_orgs')
                  .select('exchange_orgs.id')
                  .where((e2) => e2.or(prefixes.map((p) => startsWith('exchange_orgs.place_path', p)))),
              ),
            ])
          : noRows(),
      );
    }
    if (q.agreementId) base = base.where('exchange_msglog.agreement_id', '=', q.agreementId);
    if (q.outcome) base = base.where('exchange_msglog.outcome', '=', q.outcome);
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const rows = await base
      .leftJoin('exchange_clients', 'exchange_clients.id', 'exchange_msglog.client_id')
      .leftJoin('exchange_orgs', 'exchange_orgs.id', 'exchange_msglog.org_id')
      .leftJoin('exchange_agreements', 'exchange_agreements.id', 'exchange_msglog.agreement_id')
      .select([
        'exchange_msglog.seq',
        'exchange_msglog.at',
        'exchange_msglog.client_id',
        'exchange_clients.name as client_name',
        'exchange_orgs.name as org_name',
        'exchange_msglog.agreement_id',
        'exchange_agreements.title as agreement_title',
        'exchange_msglog.operation',
        'exchange_msglog.method',
        'exchange_msglog.path',
        'exchange_msglog.status',
        'exchange_msglog.outcome',
        'exchange_msglog.records',
        'exchange_msglog.request_hash',
        'exchange_msglog.response_hash',
        'exchange_msglog.request_body',
        'exchange_msglog.duration_ms',
        'exchange_msglog.hash',
      ])
      .orderBy('exchange_msglog.seq', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return {
      items: rows.map((r) => ({
        seq: Number(r.seq),
        at: r.at,
        clientId: r.client_id,
        clientName: r.client_name ?? null,
        orgName: r.org_name ?? null,
        agreementId: r.agreement_id,
        agreementTitle: r.agreement_title ?? null,
        operation: r.operation,
        method: r.method,
        path: r.path,
        status: Number(r.status),
        outcome: r.outcome,
        records: Number(r.records),
        requestHash: r.request_hash,
        responseHash: r.response_hash,
        bodiesKept: r.request_body !== null,
        durationMs: Number(r.duration_ms),
        hash: r.hash,
      })),
      total,
      page,
      pageSize,
    };
  }

  async verify() {
    const r = await verifyMessageLog({ db: this.k.db, keys: this.k.checkpoints.keys.publicKeys, witnessFile: witnessFileOf(this.k.config) });
    return { ...r, checkedAt: this.k.clock.now().toISOString() };
  }
}
