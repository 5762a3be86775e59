// Notices (通知公告): rich text sanitised on save, attachments, an audience of places and tags,
// scheduled publication (a kernel job publishes due notices), pinning, expiry, delivery to the
// audience's inboxes and read receipts with the read rate per building.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { conflict, invalid, notFound } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/http/i18n.js';
import { iso } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { places } from '../registry/index.js';
import { NoticesRepository, type NoticeRow } from './notices.repository.js';
import type { Static } from '@sinclair/typebox';
import {
  MAX_ATTACHMENT_BYTES,
  type NoticePage,
  type ReadReceipt,
  type AttachmentView,
  type NoticeCreateBody,
  type NoticeStats,
  type NoticeView,
  type NoticeListQuery,
  type NoticePatchBody,
} from './notices.schema.js';
import {
  audiencePaths,
  audienceResidents,
  communityFor,
  parseJson,
  residentOf,
  sanitiseHtml,
  timeField,
  usersOfResidents,
  type Audience,
} from './participation.common.js';
import { PARTICIPATION_ACTION, type ParticipationAction } from './components.js';
import { componentSettings } from './settings.service.js';

export const NOTICES_PUBLISH_JOB = 'participation.notices.publish';

export class NoticesService {
  readonly repo: NoticesRepository;
  constructor(readonly k: Kernel) {
    this.repo = new NoticesRepository(k.database);
  }

  private now() {
    return iso(this.k.clock.now());
  }

  private view(n: NoticeRow, extra: Partial<NoticeView> = {}): NoticeView {
    const a = parseJson<Audience>(n.audience, { placeIds: [], tags: [] });
    return {
      id: n.id,
      communityId: n.community_id,
      title: n.title,
      bodyHtml: n.body_html,
      audience: a,
      attachments: parseJson<{ id: string; name: string; mime: string; size: number }[]>(n.attachments, []).map((f) => ({
        ...f,
        url: `/api/v1/notices/files/${f.id}`,
      })),
      status: n.status,
      pinned: !!n.pinned,
      publishAt: n.publish_at,
      expiresAt: n.expires_at,
      publishedAt: n.published_at,
      expired: !!n.expires_at && n.expires_at <= this.now(),
      recipients: n.recipients,
      ...extra,
    };
  }

  /** A notice the actor may see: staff in scope; residents only those delivered to them. */
  private async reachable(actor: Actor, id: string): Promise<{ n: NoticeRow; readAt?: string | null }> {
    const n = await this.repo.byId(id);
    if (!n) throw notFound('notices.not_found');
    if (actor.residentId && actor.kind === 'resident') {
      const rec = n.status === 'published' && (!n.expires_at || n.expires_at > this.now()) ? await this.repo.recipient(id, actor.residentId) : undefined;
      if (!rec || !this.k.authz.can(actor, 'read', 'Notice', { placePath: n.place_path, residentId: actor.residentId })) throw notFound('notices.not_found');
      return { n, readAt: rec.read_at };
    }
    if (!this.k.authz.can(actor, 'read', 'Notice', { placePath: n.place_path })) throw notFound('notices.not_found');
    return { n };
  }

  async uploadAttachment(actor: Actor, name: string, data: Buffer): Promise<AttachmentView> {
    const f = await this.k.files.save({ name, data, ownerId: actor.userId, accept: ['image', 'pdf'], maxBytes: MAX_ATTACHMENT_BYTES });
    return { id: f.id, name: f.name, mime: f.mime, size: f.size, url: `/api/v1/notices/files/${f.id}` };
  }

  /** An attachment: its uploader, or anyone who may see a notice that carries it. */
  async attachment(actor: Actor, fileId: string) {
    const meta = await this.k.files.get(fileId);
    if (!meta) throw notFound('participation.file_not_found');
    let ok = meta.ownerId === actor.userId;
    for (const n of ok ? [] : await this.repo.withAttachment(fileId)) {
      try {
        await this.reachable(actor, n.id);
        ok = true;
        break;
      } catch {
        /* not this one */
      }
    }
    const f = ok ? await this.k.files.read(fileId) : null;
    if (!f) throw notFound('participation.file_not_found');
    return f;
  }

  async create(actor: Actor, b: NoticeCreateBody, ip: string) {
    const c = await communityFor(this.k, actor, b.communityId, 'create', 'Notice');
    const audience: Audience = { placeIds: b.audience?.placeIds ?? [], tags: b.audience?.tags ?? [] };
    await audiencePaths(this.k, c, audience);
    const files = [];
    for (const [i, id] of (b.attachmentIds ?? []).entries()) {
      const f = await this.k.files.get(id);
      if (!f || f.ownerId !== actor.userId || !['image', 'pdf'].includes(f.kind))
        throw invalid([{ field: `attachmentIds.${i}`, code: 'participation.bad_file' }]);
      files.push({ id: f.id, name: f.name, mime: f.mime, size: f.size });
    }
    const bodyHtml = sanitiseHtml(b.bodyHtml);
    if (!bodyHtml.trim()) throw invalid([{ field: 'bodyHtml', code: 'validation.required' }]);
    const now = this.now();
    const publishAt = timeField(b.publishAt, 'publishAt') ?? now;
    const days = Number((await componentSettings(this.k, c.id, 'notices')).defaultExpiryDays) || 0;
    const expiresAt =
      b.expiresAt === undefined && days > 0 ? new Date(Date.parse(publishAt) + days * 86400_000).toISOString() : timeField(b.expiresAt, 'expiresAt');
    if (expiresAt && expiresAt <= publishAt) throw invalid([{ field: 'expiresAt', code: 'participation.bad_time' }]);
    const row: NoticeRow = {
      id: newId('ntc'),
      community_id: c.id,
      place_path: c.path,
      title: b.title.trim(),
      body_html: bodyHtml,
      audience: JSON.stringify(audience),
      attachments: JSON.stringify(files),
      status: 'scheduled',
      pinned: b.pinned ? 1 : 0,
      publish_at: publishAt,
      expires_at: expiresAt,
      published_at: null,
      recipients: 0,
      created_by: actor.userId,
      created_at: now,
    };
    await this.repo.insert(row);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.notice.create',
      targetType: 'notice',
      targetId: row.id,
      scopePath: c.path,
      ip,
      detail: { title: row.title, publishAt, audience },
    });
    if (publishAt <= now) await this.publish(row.id);
    return this.view((await this.repo.byId(row.id))!);
  }

  /** Deliver a due notice: recipients written in batches, then one inbox message per account. */
  async publish(id: string): Promise<number> {
    const n = await this.repo.byId(id);
    if (!n || n.status !== 'scheduled') return 0;
    const a = parseJson<Audience>(n.audience, { placeIds: [], tags: [] });
    const paths = await audiencePaths(this.k, { path: n.place_path }, a);
    const people = await audienceResidents(this.k, paths, a.tags);
    const ok = await this.repo.publish(
      id,
      this.now(),
      people.map((p) => ({ resident_id: p.residentId, building_id: p.buildingId })),
    );
    if (!ok) return 0;
    const users = await usersOfResidents(
      this.k,
      people.map((p) => p.residentId),
    );
    const plain = n.body_html
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 120);
    await this.k.notify.send(users, {
      kind: 'participation.notice',
      code: 'notices.notify_title',
      params: { title: n.title, text: plain },
      link: `/portal/participation/notices/${n.id}`,
    });
    return people.length;
  }

  async publishDue(): Promise<number> {
    let total = 0;
    for (const id of await this.repo.due(this.now())) total += await this.publish(id);
    return total;
  }

  async list(actor: Actor, q: NoticeListQuery): Promise<Static<typeof NoticePage>> {
    const offset = (q.page - 1) * q.pageSize;
    if (actor.kind === 'resident' && actor.residentId) {
      const { items, total } = await this.repo.listForResident(actor.residentId, this.now(), q.pageSize, offset);
      return { items: items.map((n) => ({ ...this.view(n), read: !!n.read_at })), total, page: q.page, pageSize: q.pageSize };
    }
    let communityPath: string | null = null;
    if (q.communityId) communityPath = (await places.getPlace(this.k, q.communityId))?.path ?? '/nowhere/';
    const { items, total } = await this.repo.listStaff(this.k.authz.reach(actor, 'read', 'Notice'), communityPath, q.pageSize, offset);
    const reads = await this.repo.readCounts(items.map((n) => n.id));
    return {
      items: items.map((n) => this.view(n, { readCount: reads.get(n.id) ?? 0, readRate: n.recipients ? (reads.get(n.id) ?? 0) / n.recipients : 0 })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async get(actor: Actor, id: string) {
    const { n, readAt } = await this.reachable(actor, id);
    if (readAt !== undefined) return this.view(n, { read: !!readAt });
    return this.view(n, await this.stats(actor, id));
  }

  /** The resident's read receipt; the first read is a verified action (points). */
  async read(actor: Actor, id: string): Promise<Static<typeof ReadReceipt>> {
    const me = await residentOf(this.k, actor);
    const { n } = await this.reachable(actor, id);
    const now = this.now();
    if (await this.repo.markRead(id, me.residentId, now)) {
      await this.k.events.publish<ParticipationAction>(PARTICIPATION_ACTION, {
        communityId: n.community_id,
        residentId: me.residentId,
        component: 'notices',
        action: 'read',
        ref: n.id,
        at: now,
      });
    }
    return { id, read: true };
  }

  async stats(actor: Actor, id: string, _lang?: Lang): Promise<NoticeStats> {
    const { n } = await this.reachable(actor, id);
    const rows = await this.repo.readByBuilding(id);
    const names = await places.placeNames(
      this.k,
      rows.map((r) => r.buildingId).filter((x): x is string => !!x),
    );
    const read = rows.reduce((s, r) => s + r.read, 0);
    return {
      recipients: n.recipients,
      readCount: read,
      readRate: n.recipients ? read / n.recipients : 0,
      byBuilding: rows.map((r) => ({
        buildingId: r.buildingId,
        buildingName: r.buildingId ? (names.get(r.buildingId) ?? r.buildingId) : null,
        recipients: r.total,
        read: r.read,
        readRate: r.total ? r.read / r.total : 0,
      })),
    };
  }

  async patch(actor: Actor, id: string, b: NoticePatchBody, ip: string) {
    const { n } = await this.reachable(actor, id);
    if (!this.k.authz.can(actor, 'edit', 'Notice', { placePath: n.place_path })) throw notFound('notices.not_found');
    if (n.status === 'withdrawn') throw conflict('notices.withdrawn');
    const patch: Partial<NoticeRow> = {};
    if (b.pinned !== undefined) patch.pinned = b.pinned ? 1 : 0;
    if (b.expiresAt !== undefined) patch.expires_at = timeField(b.expiresAt, 'expiresAt');
    // an empty patch changes nothing: 200 with the record as it is (like the other PATCH routes), no audit entry
    if (!Object.keys(patch).length) return this.view(n);
    await this.repo.update(id, patch);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.notice.update',
      targetType: 'notice',
      targetId: id,
      scopePath: n.place_path,
      ip,
      detail: { ...b },
    });
    return this.view((await this.repo.byId(id))!);
  }

  async withdraw(actor: Actor, id: string, ip: string) {
    const { n } = await this.reachable(actor, id);
    if (!this.k.authz.can(actor, 'edit', 'Notice', { placePath: n.place_path })) throw notFound('notices.not_found');
    if (n.status !== 'withdrawn') {
      await this.repo.update(id, { status: 'withdrawn' });
      await this.k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'participation.notice.withdraw',
        targetType: 'notice',
        targetId: id,
        scopePath: n.place_path,
        ip,
      });
    }
    return this.view((await this.repo.byId(id))!);
  }
}
