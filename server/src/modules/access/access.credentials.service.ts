// Credentials of residents: IC cards (number or Wiegand 26/34), fingerprint template references
// (made by the controller at enrolment; only the reference is kept, encrypted), temporary PINs and
// the phone QR credential every resident can get themselves (so no door depends on biometrics).
import type { Kernel } from '../../kernel/index.js';
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import { AppError, invalid, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { places, residents } from '../registry/index.js';
import { AccessRepository, type CredentialRow } from './access.repository.js';
import { maskCard, normaliseCard } from './access.cards.js';
import { communityKey, publicKeyOf } from './access.keys.js';
import { QR_MAX_TTL_S, signToken } from './access.qr.js';
import type { Static } from '@sinclair/typebox';
import { onePage, type CredentialBody, type CredentialOut, type MyAccessOut, type QrOut } from './access.schema.js';
import { decisionImage } from './access.image.js';

export const PIN_MAX_DAYS = 30;

export const credentialView = (c: CredentialRow): Static<typeof CredentialOut> => ({
  id: c.id,
  residentId: c.resident_id,
  communityId: c.community_id,
  type: c.type,
  label: c.label,
  cardFormat: c.card_format,
  status: c.status,
  validFrom: c.valid_from,
  validUntil: c.valid_until,
  revokedAt: c.revoked_at,
  revokeReason: c.revoke_reason,
  createdAt: c.created_at,
});

/** Blind index of a credential value, separated by type and community. */
export const valueIndex = (k: Kernel, communityId: string, type: string, normalised: string) =>
  k.vault.blindIndex(`access.${type}`, `${communityId}:${normalised}`);

export class AccessCredentialsService {
  readonly repo: AccessRepository;
  constructor(readonly k: Kernel) {
    this.repo = new AccessRepository(k.db);
  }

  private at() {
    return this.k.clock.now().toISOString();
  }

  /** The resident and the community the credential is for, if the actor may act on them. */
  private async holder(actor: Actor, residentId: string, action: string, communityId?: string) {
    const r = await residents.get(this.k, residentId);
    const cid = communityId ?? r?.houses[0]?.communityId ?? r?.communityId;
    const c = cid ? await places.getPlace(this.k, cid) : null;
    if (!r || !c || !this.k.authz.can(actor, action, 'AccessCredential', { placePath: c.path, residentId: r.id })) throw notFound('access.resident_not_found');
    return { r, c };
  }

  async list(actor: Actor, residentId: string) {
    const rows = await this.repo.credentialsOf(residentId);
    const visible = rows.filter((c) => this.k.authz.can(actor, 'read', 'AccessCredential', { placePath: c.place_path, residentId: c.resident_id }));
    if (!visible.length) await this.holder(actor, residentId, 'read'); // 404 for someone out of reach
    return onePage(visible.map(credentialView));
  }

  async issue(actor: Actor, b: CredentialBody, ip: string): Promise<Static<typeof CredentialOut>> {
    const { r, c } = await this.holder(actor, b.residentId, 'issue', b.communityId);
    const value = (b.value ?? '').trim();
    if (!value) throw invalid([{ field: 'value', code: 'access.value_required' }]);
    const now = this.at();
    let normalised = value;
    let label = '';
    let enc: string | null = null;
    let format: string | null = null;
    const validUntil = b.validUntil ? new Date(b.validUntil).toISOString() : null;
    let card: { facilityCode: number; cardNumber: number; form: string } | undefined; // how the number was understood, shown to staff
    if (b.type === 'card') {
      format = b.cardFormat ?? 'w26';
      const p = normaliseCard(value, format as 'w26' | 'w34');
      if (typeof p === 'string') throw invalid([{ field: 'value', code: p }]);
      normalised = p.number;
      card = { facilityCode: p.facility, cardNumber: p.card, form: p.form };
      label = maskCard(p.number);
      enc = this.k.vault.encrypt(p.number);
    } else if (b.type === 'pin') {
      if (!/^\d{6,8}$/.test(value)) throw invalid([{ field: 'value', code: 'access.pin_format' }]);
      const max = new Date(this.k.clock.now().getTime() + PIN_MAX_DAYS * 86_400_000).toISOString();
      if (!validUntil || validUntil > max || validUntil <= now) throw invalid([{ field: 'validUntil', code: 'access.pin_needs_expiry' }]);
      label = '******';
      enc = this.k.vault.encrypt(value); // kept so an offline controller's allow-list can carry its hash
    } else {
      // the controller's own reference to the template it keeps (slot / id); an image never fits
      if (!/^[A-Za-z0-9._:-]{4,128}$/.test(value)) throw invalid([{ field: 'value', code: 'access.fingerprint_ref' }]);
      label = 'fp…' + value.slice(-4);
      enc = this.k.vault.encrypt(value);
    }
    const bidx = valueIndex(this.k, c.id, b.type, normalised);
    const existing = await this.repo.credentialByValue(c.id, b.type, bidx);
    if (existing && existing.status === 'active') throw invalid([{ field: 'value', code: 'access.value_taken' }]);
    if (b.validFrom && validUntil && validUntil <= new Date(b.validFrom).toISOString()) throw invalid([{ field: 'validUntil', code: 'access.window_order' }]);
    const row: CredentialRow = {
      id: newId('acr'),
      community_id: c.id,
      place_path: c.path,
      resident_id: r.id,
      type: b.type,
      value_bidx: bidx,
      value_enc: enc,
      label,
      card_format: format,
      status: 'active',
      valid_from: b.validFrom ? new Date(b.validFrom).toISOString() : null,
      valid_until: validUntil,
      revoked_at: null,
      revoke_reason: null,
      created_at: now,
      created_by: actor.userId,
    };
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insertCredential(row, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'access.credential.issue',
          targetType: 'credential',
          targetId: row.id,
          scopePath: c.path,
          subjectResidentId: r.id,
          ip,
          detail: { type: row.type, label },
        },
        t,
      );
    });
    await decisionImage(this.k).changed({ communityId: c.id, credentials: [row.id] });
    return card ? { ...credentialView(row), card } : credentialView(row);
  }

  async revoke(actor: Actor, id: string, reason: string | undefined, ip: string) {
    const c = await this.repo.credential(id);
    if (!c || !this.k.authz.can(actor, 'revoke', 'AccessCredential', { placePath: c.place_path, residentId: c.resident_id }))
      throw notFound('access.credential_not_found');
    if (c.status === 'revoked') throw new AppError(409, 'access.revoked');
    await this.repo.revokeCredentials([id], this.at(), reason?.trim() || 'staff');
    // every node's decision image drops it before this answers (here) or on the event (elsewhere)
    await decisionImage(this.k).changed({ communityId: c.community_id, credentials: [id] });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'access.credential.revoke',
      targetType: 'credential',
      targetId: id,
      scopePath: c.place_path,
      subjectResidentId: c.resident_id,
      ip,
      detail: { reason: reason ?? null },
    });
    return credentialView((await this.repo.credential(id))!);
  }

  /** Move-out: a resident who no longer lives in a community loses its credentials there. */
  async revokeOnMoveOut(residentId: string) {
    const r = await residents.get(this.k, residentId);
    const stillIn = new Set((r?.houses ?? []).map((h) => h.communityId));
    const gone = (await this.repo.credentialsOf(residentId)).filter((c) => c.status === 'active' && !stillIn.has(c.community_id));
    const ids = gone.map((c) => c.id);
    if (!ids.length) return 0;
    await this.repo.revokeCredentials(ids, this.at(), 'moved_out');
    for (const cid of new Set(gone.map((c) => c.community_id)))
      await decisionImage(this.k).changed({ communityId: cid, credentials: gone.filter((c) => c.community_id === cid).map((c) => c.id) });
    // done for the registry's move-out, as an explicit, audited system actor
    const sys = systemActor('access.move-out');
    await this.k.audit.record({
      actorId: sys.userId,
      actorName: sys.name,
      action: 'access.credential.revoke_moved_out',
      targetType: 'resident',
      targetId: residentId,
      subjectResidentId: residentId,
      detail: { credentials: ids },
    });
    return ids.length;
  }

  // ----- the resident's own phone QR -----
  /** The resident's communities (where they live now); a resident who moved out has none. */
  async myHome(actor: Actor) {
    const r = actor.residentId ? await residents.get(this.k, actor.residentId) : null;
    if (!r || r.status !== 'active' || !r.houses.length) throw new AppError(403, 'access.not_resident');
    return r;
  }

  private async qrCredential(residentId: string, communityId: string, path: string) {
    const mine = (await this.repo.credentialsOf(residentId)).find((c) => c.type === 'qr' && c.status === 'active' && c.community_id === communityId);
    if (mine) return mine;
    const row: CredentialRow = {
      id: newId('acr'),
      community_id: communityId,
      place_path: path,
      resident_id: residentId,
      type: 'qr',
      value_bidx: null,
      value_enc: null,
      label: 'QR',
      card_format: null,
      status: 'active',
      valid_from: null,
      valid_until: null,
      revoked_at: null,
      revoke_reason: null,
      created_at: this.at(),
      created_by: null,
    };
    await this.repo.insertCredential(row);
    await decisionImage(this.k).changed({ communityId, credentials: [row.id] });
    return row;
  }

  /** A fresh signed token (≤ 60 s) for the resident's QR code; scope = one door or every door. */
  async myQr(actor: Actor, pointId?: string): Promise<Static<typeof QrOut>> {
    const r = await this.myHome(actor);
    let communityId = r.houses[0].communityId;
    if (pointId) {
      const p = await this.repo.point(pointId);
      if (!p || !r.houses.some((h) => h.communityId === p.community_id)) throw notFound('access.point_not_found');
      communityId = p.community_id;
    }
    const c = await places.getPlace(this.k, communityId);
    const cred = await this.qrCredential(r.id, communityId, c!.path);
    const { row, priv } = await communityKey(this.k, communityId);
    const i = Math.floor(this.k.clock.now().getTime() / 1000);
    const token = signToken({ k: row.id, m: communityId, c: cred.id, s: pointId ? [pointId] : ['*'], i, e: i + QR_MAX_TTL_S }, priv);
    return { token, credentialId: cred.id, expiresAt: new Date((i + QR_MAX_TTL_S) * 1000).toISOString(), refreshAfterS: 30 };
  }

  async mine(actor: Actor): Promise<Static<typeof MyAccessOut>> {
    const r = await this.myHome(actor);
    const creds = (await this.repo.credentialsOf(r.id)).filter((c) => c.status === 'active');
    const pts = [];
    for (const h of r.houses)
      for (const p of await this.repo.points({ all: true, prefixes: [], residentId: null }, h.communityId))
        if (h.placePath.startsWith(p.default_scope_path)) pts.push(p);
    return {
      residentId: r.id,
      name: r.name,
      credentials: creds.map(credentialView),
      doors: [...new Map(pts.map((p) => [p.id, { id: p.id, name: p.name, kind: p.kind }])).values()],
      publicKey: await publicKeyOf(this.k, r.houses[0].communityId),
    };
  }
}
