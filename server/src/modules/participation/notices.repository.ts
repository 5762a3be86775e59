// The only code that touches the notice tables.
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Database, Db, Tx } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { ParticipationTables } from './participation.tables.js';
import { insertMany, like, escapeLike, startsWith } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';

export type NoticeRow = Selectable<ParticipationTables['pt_notices']>;

const norm = (r: NoticeRow): NoticeRow => ({ ...r, pinned: Number(r.pinned), recipients: Number(r.recipients) });

/** The kernel's handle (or a transaction of it) seen through participation's tables. */
const own = (db: Db | Tx) => tablesOf<ParticipationTables>(db);

export class NoticesRepository {
  constructor(private database: Database) {}
  private get db(): Db {
    return this.database.db;
  }
  private get own() {
    return own(this.database.db);
  }

  async insert(r: NoticeRow) {
    await this.own.insertInto('pt_notices').values(r).execute();
  }
  async byId(id: string) {
    const r = await this.own.selectFrom('pt_notices').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? norm(r) : undefined;
  }
  async update(id: string, patch: Partial<NoticeRow>) {
    await this.own.updateTable('pt_notices').set(patch).where('id', '=', id).execute();
  }
  async due(now: string) {
    return (await this.own.selectFrom('pt_notices').select('id').where('status', '=', 'scheduled').where('publish_at', '<=', now).execute()).map((r) => r.id);
  }
  async withAttachment(fileId: string) {
    return (
      await this.own
        .selectFrom('pt_notices')
        .selectAll()
        .where(like('attachments', `%"${escapeLike(fileId)}"%`))
        .execute()
    ).map(norm);
  }

  /** Move a scheduled notice to published and write its recipients, once (the status guard). */
  async publish(id: string, now: string, recipients: { resident_id: string; building_id: string | null }[]): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const res = await own(tx)
        .updateTable('pt_notices')
        .set({ status: 'published', published_at: now, recipients: recipients.length })
        .where('id', '=', id)
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      await insertMany(
        this.database,
        tx,
        'pt_notice_recipients',
        recipients.map((r) => ({ notice_id: id, resident_id: r.resident_id, building_id: r.building_id, read_at: null })),
      );
      return true;
    });
  }

  async listStaff(reach: Reachable, communityPath: string | null, limit: number, offset: number) {
    let q = this.own.selectFrom('pt_notices');
    if (!reach.all) q = q.where((eb) => (reach.prefixes.length ? eb.or(reach.prefixes.map((p) => startsWith('place_path', p))) : sql<boolean>`1 = 0`));
    if (communityPath) q = q.where(startsWith('place_path', communityPath));
    const items = (await q.selectAll().orderBy('pinned', 'desc').orderBy('publish_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute()).map(
      norm,
    );
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }

  async readCounts(ids: string[]) {
    if (!ids.length) return new Map<string, number>();
    const rows = await this.own
      .selectFrom('pt_notice_recipients')
      .select(['notice_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('notice_id', 'in', ids)
      .where('read_at', 'is not', null)
      .groupBy('notice_id')
      .execute();
    return new Map(rows.map((r) => [r.notice_id, Number(r.n)]));
  }

  /** A resident's published, unexpired notices, pinned first. */
  async listForResident(residentId: string, now: string, limit: number, offset: number) {
    const q = this.own
      .selectFrom('pt_notice_recipients as r')
      .innerJoin('pt_notices as n', 'n.id', 'r.notice_id')
      .where('r.resident_id', '=', residentId)
      .where('n.status', '=', 'published')
      .where((eb) => eb.or([eb('n.expires_at', 'is', null), eb('n.expires_at', '>', now)]));
    const items = await q
      .selectAll('n')
      .select('r.read_at')
      .orderBy('n.pinned', 'desc')
      .orderBy('n.published_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirst())?.c ?? 0);
    return { items: items.map((r) => ({ ...norm(r), read_at: r.read_at })), total };
  }

  recipient(noticeId: string, residentId: string) {
    return this.own.selectFrom('pt_notice_recipients').selectAll().where('notice_id', '=', noticeId).where('resident_id', '=', residentId).executeTakeFirst();
  }

  /** Set the read receipt; true when this call was the first read. */
  async markRead(noticeId: string, residentId: string, now: string): Promise<boolean> {
    const res = await this.own
      .updateTable('pt_notice_recipients')
      .set({ read_at: now })
      .where('notice_id', '=', noticeId)
      .where('resident_id', '=', residentId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async readByBuilding(noticeId: string) {
    const rows = await this.own
      .selectFrom('pt_notice_recipients')
      .select(['building_id', (eb) => eb.fn.countAll<number>().as('total'), sql<number>`sum(case when read_at is null then 0 else 1 end)`.as('read')])
      .where('notice_id', '=', noticeId)
      .groupBy('building_id')
      .execute();
    return rows.map((r) => ({ buildingId: r.building_id, total: Number(r.total), read: Number(r.read) }));
  }
}
