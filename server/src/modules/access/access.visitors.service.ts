// Visitor passes: a resident invites a visitor (or a guard issues a pass at the gate for a host);
// the visitor gets a link whose page shows a QR code valid only inside the pass's window, at the
// pass's doors, for its number of uses. Every pass, and so every visit, is tied to its host.
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, invalid, notFound, type FieldError } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { maskPhone } from '../../kernel/vault/index.js';
import { localDate } from '../../kernel/clock.js';
import { places, residents, normalisePhone, isMainlandMobile } from '../registry/index.js';
import { AccessRepository, type PassRow } from './access.repository.js';
import { communityKey } from './access.keys.js';
import { QR_MAX_TTL_S, signToken } from './access.qr.js';
import type { Static } from '@sinclair/typebox';
import { onePage, type PassBody, type PassOut, type VisitOut } from './access.schema.js';

export const PASS_MAX_DAYS = 7;

export class AccessVisitorsService {
  readonly repo: AccessRepository;
  constructor(readonly k: Kernel) {
    this.repo = new AccessRepository(k.db);
  }

  view(p: PassRow, actor?: Actor): Static<typeof PassOut> {
    const phone = this.k.vault.decryptNullable(p.phone_enc);
    return {
      id: p.id,
      communityId: p.community_id,
      hostResidentId: p.host_resident_id,
      hostName: p.host_name,
      issuedBy: p.issued_by,
      visitorName: p.visitor_name,
      // the host sees the number they typed; staff see it masked
      phone: phone ? (actor?.residentId === p.host_resident_id ? phone : maskPhone(phone)) : null,
      validFrom: p.valid_from,
      validUntil: p.valid_until,
      doorIds: JSON.parse(p.point_ids) as string[],
      maxUses: p.max_uses,
      uses: p.uses,
      status: p.status,
      link: `/visit/${p.link_code}`,
      createdAt: p.created_at,
    };
  }

  async create(actor: Actor, b: PassBody, ip: string) {
    const now = this.k.clock.now().toISOString();
    const errors: FieldError[] = [];
    const from = new Date(b.validFrom).toISOString();
    const until = new Date(b.validUntil).toISOString();
    if (until <= from || until <= now) errors.push({ field: 'validUntil', code: 'access.window_order' });
    if (Date.parse(until) - Date.parse(from) > PASS_MAX_DAYS * 86_400_000) errors.push({ field: 'validUntil', code: 'access.pass_window_too_long' });
    let phone: string | null = null;
    if (b.phone?.trim()) {
      phone = normalisePhone(b.phone);
      if (!isMainlandMobile(phone)) errors.push({ field: 'phone', code: 'validation.invalid' });
    }
    // the host: the resident themself, or (guards, managers) the resident named
    const asResident = actor.kind === 'resident';
    const hostId = asResident ? actor.residentId : b.hostResidentId;
    if (!hostId) throw invalid([{ field: 'hostResidentId', code: 'access.value_required' }]);
    const host = await residents.get(this.k, hostId);
    const house = host?.status === 'active' ? host.houses[0] : undefined;
    if (!host || !house) {
      if (asResident) throw new AppError(403, 'access.not_resident');
      throw invalid([{ field: 'hostResidentId', code: 'access.resident_not_found' }]);
    }
    if (!this.k.authz.can(actor, 'create', 'VisitorPass', { placePath: house.placePath, residentId: host.id })) throw notFound('access.resident_not_found');
    const pts = await this.repo.pointsByIds(b.pointIds);
    b.pointIds.forEach((id, i) => {
      const p = pts.find((x) => x.id === id);
      // a host can let visitors through the doors they may open themselves
      const ok = p && p.community_id === house.communityId && host.houses.some((h) => h.placePath.startsWith(p.default_scope_path));
      if (!ok) errors.push({ field: `pointIds.${i}`, code: 'access.door_not_allowed' });
    });
    if (errors.length) throw invalid(errors);
    const row: PassRow = {
      id: newId('avp'),
      community_id: house.communityId,
      place_path: house.placePath,
      host_resident_id: host.id,
      host_name: host.name,
      issued_by: asResident ? 'resident' : 'guard',
      issuer_id: actor.userId,
      visitor_name: b.visitorName.trim(),
      phone_enc: this.k.vault.encryptNullable(phone),
      valid_from: from,
      valid_until: until,
      point_ids: JSON.stringify(b.pointIds),
      max_uses: b.maxUses,
      uses: 0,
      status: 'active',
      link_code: crypto.randomBytes(18).toString('base64url'),
      created_at: now,
    };
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insertPass(row, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'access.visitor_pass.create',
          targetType: 'visitor_pass',
          targetId: row.id,
          scopePath: row.place_path,
          subjectResidentId: host.id,
          ip,
          detail: { visitor: row.visitor_name, from, until, doors: b.pointIds, maxUses: b.maxUses },
        },
        t,
      );
    });
    return this.view(row, actor);
  }

  async list(actor: Actor, q: { today?: boolean; limit: number }) {
    const f: { from?: string; until?: string } = {};
    if (q.today) {
      // today in the platform's zone: UTC bounds of the local calendar day
      const tz = this.k.config.timeZone;
      const now = this.k.clock.now();
      const day = localDate(now, tz);
      const offset =
        Date.parse(new Date(now).toLocaleString('en-US', { timeZone: tz })) - Date.parse(new Date(now).toLocaleString('en-US', { timeZone: 'UTC' }));
      const start = Date.parse(`${day}T00:00:00.000Z`) - offset;
      f.from = new Date(start).toISOString();
      f.until = new Date(start + 86_400_000).toISOString();
    }
    const rows = await this.repo.passes(this.k.authz.reach(actor, 'read', 'VisitorPass'), f, q.limit);
    return onePage(rows.map((r) => this.view(r, actor)));
  }

  async revoke(actor: Actor, id: string, ip: string) {
    const p = await this.repo.pass(id);
    if (!p || !this.k.authz.can(actor, 'revoke', 'VisitorPass', { placePath: p.place_path, residentId: p.host_resident_id }))
      throw notFound('access.pass_not_found');
    await this.repo.revokePass(id);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'access.visitor_pass.revoke',
      targetType: 'visitor_pass',
      targetId: id,
      scopePath: p.place_path,
      subjectResidentId: p.host_resident_id,
      ip,
    });
    return this.view((await this.repo.pass(id))!, actor);
  }

  /** The visitor's page (by the secret link): the pass and, inside its window, a fresh QR token. */
  async visit(code: string): Promise<Static<typeof VisitOut>> {
    const p = await this.repo.passByCode(code);
    if (!p) throw notFound('access.pass_not_found');
    const now = this.k.clock.now();
    const at = now.toISOString();
    const state =
      p.status !== 'active' ? 'revoked' : at < p.valid_from ? 'not_yet_valid' : at >= p.valid_until ? 'expired' : p.uses >= p.max_uses ? 'used_up' : 'valid';
    const doors = await this.repo.pointsByIds(JSON.parse(p.point_ids));
    const community = await places.getPlace(this.k, p.community_id);
    let token: string | null = null;
    let expiresAt: string | null = null;
    if (state === 'valid') {
      const { row, priv } = await communityKey(this.k, p.community_id);
      const i = Math.floor(now.getTime() / 1000);
      const e = Math.min(i + QR_MAX_TTL_S, Math.floor(Date.parse(p.valid_until) / 1000));
      token = signToken({ k: row.id, m: p.community_id, c: p.id, s: doors.map((d) => d.id), i, e }, priv);
      expiresAt = new Date(e * 1000).toISOString();
    }
    return {
      visitorName: p.visitor_name,
      hostName: p.host_name.slice(0, 1) + '*'.repeat(Math.max(1, p.host_name.length - 1)),
      community: community?.name ?? '',
      validFrom: p.valid_from,
      validUntil: p.valid_until,
      usesLeft: Math.max(0, p.max_uses - p.uses),
      state,
      doors: doors.map((d) => ({ id: d.id, name: d.name })),
      token,
      expiresAt,
      refreshAfterS: 30,
    };
  }
}
