// The decision: which door, which credential, when → allow or deny with a reason code and how
// long to open. Every decision is logged once per controller event id: a retried request gets the
// stored answer back and neither logs nor opens twice.
import type { Kernel } from '../../kernel/index.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { residents } from '../registry/index.js';
import { userOfResident } from '../identity/index.js';
import { t as tr } from '../../kernel/http/i18n.js';
import { AccessRepository, type CredentialRow, type PassRow, type PointRow } from './access.repository.js';
import { AccessLogRepository, type LogRow } from './access.log.repository.js';
import { cardFromReader } from './access.cards.js';
import { decodeToken, verifyToken } from './access.qr.js';
import { evaluate, localTime, type Holder } from './access.schedule.js';
import { communitySnapshot } from './access.snapshot.js';
import { valueIndex } from './access.credentials.service.js';

export const ACCESS_DECIDED = 'access.decision.made';

export interface DecisionInput {
  eventId: string;
  doorId: string;
  credentialType: 'card' | 'fingerprint' | 'qr' | 'pin';
  value?: string;
  token?: string;
  at?: string;
  direction?: 'in' | 'out';
}

export interface Decision {
  eventId: string;
  doorId: string;
  result: 'allow' | 'deny';
  reason: string;
  openSeconds: number;
  at: string;
  holderName: string | null;
}

const ROLLBACK = Symbol('duplicate event');

export const decisionView = (l: LogRow): Decision => ({ eventId: l.event_id, doorId: l.point_id, result: l.result, reason: l.reason, openSeconds: l.open_seconds, at: l.at, holderName: l.holder_name });

interface Resolved {
  credential?: CredentialRow;
  pass?: PassRow;
  nonce?: { n: string; e: number };
  deny?: string;
}

export class AccessDecider {
  readonly repo: AccessRepository;
  readonly log: AccessLogRepository;
  /** Called after a denial is logged (the module wires repeated-denial alerts here). */
  onDenial: ((p: PointRow) => Promise<void>) | null = null;
  constructor(readonly k: Kernel) {
    this.repo = new AccessRepository(k.db);
    this.log = new AccessLogRepository(k.db);
  }

  /** The door, if it is this controller's (anything else is 404: a controller sees only its doors). */
  async pointOf(controllerId: string, doorId: string): Promise<PointRow> {
    const p = await this.repo.point(doorId);
    if (!p || p.controller_id !== controllerId) throw notFound('access.point_not_found');
    return p;
  }

  /** Find the credential (or visitor pass) a request presents. `verifyQr` false for offline uploads (already decided). */
  async resolve(p: PointRow, b: DecisionInput, nowS: number, verifyQr = true): Promise<Resolved> {
    const value = (b.value ?? '').trim();
    if (b.credentialType === 'qr') {
      const token = (b.token ?? value).trim();
      const d = decodeToken(token);
      if (!d) return { deny: 'qr_malformed' };
      const key = await this.repo.keyById(d.payload.k);
      if (!key || key.community_id !== p.community_id) return { deny: 'qr_wrong_key' };
      if (verifyQr) {
        const v = verifyToken(token, { keyId: key.id, communityId: key.community_id, publicKey: key.public_key, pointId: p.id, nowS });
        if (typeof v === 'string') return { deny: v };
      }
      const nonce = { n: d.payload.n, e: d.payload.e };
      if (d.payload.c.startsWith('avp_')) {
        const pass = await this.repo.pass(d.payload.c);
        return pass && pass.community_id === p.community_id ? { pass, nonce } : { deny: 'unknown_credential' };
      }
      const c = await this.repo.credential(d.payload.c);
      return c && c.type === 'qr' && c.community_id === p.community_id ? { credential: c, nonce } : { deny: 'unknown_credential' };
    }
    let normalised: string | null = value || null;
    if (b.credentialType === 'card') normalised = cardFromReader(value);
    if (!normalised) return { deny: 'bad_credential' };
    const c = await this.repo.credentialByValue(p.community_id, b.credentialType, valueIndex(this.k, p.community_id, b.credentialType, normalised));
    return c ? { credential: c } : { deny: 'unknown_credential' };
  }

  async holderOf(residentId: string, communityId: string, scopePath: string) {
    const r = await residents.get(this.k, residentId);
    const snap = await communitySnapshot(this.k, communityId);
    return holderFrom(r, residentId, communityId, scopePath, snap.groupsOfResident.get(residentId) ?? []);
  }

  /** Online decision (POST /decisions, MQTT). */
  async decide(controllerId: string, b: DecisionInput): Promise<Decision> {
    const stored = await this.log.byEvent(controllerId, b.eventId);
    if (stored) return decisionView(stored);
    const p = await this.pointOf(controllerId, b.doorId);
    const now = this.k.clock.now();
    const at = now.toISOString(); // online: the server's clock decides; the controller's time is not trusted
    const direction = p.direction === 'both' ? (b.direction ?? 'in') : p.direction;
    const base = { p, b, at, direction };
    if (!p.enabled) return this.record(base, { result: 'deny', reason: 'door_disabled' });
    const res = await this.resolve(p, b, Math.floor(now.getTime() / 1000));
    if (res.deny) return this.record(base, { result: 'deny', reason: res.deny });
    if (res.nonce && !(await this.repo.claimNonce(res.nonce.n, new Date(res.nonce.e * 1000 + 60_000).toISOString()))) {
      // a concurrent retry of this very event may have claimed it: then its stored answer is ours
      const again = await this.log.byEvent(controllerId, b.eventId);
      if (again) return decisionView(again);
      return this.record({ ...base, res }, { result: 'deny', reason: 'qr_replayed' });
    }
    if (res.pass) return this.decidePass(base, res.pass);
    const c = res.credential!;
    if (c.status !== 'active') return this.record({ ...base, res }, { result: 'deny', reason: 'revoked' });
    if (c.valid_from && at < c.valid_from) return this.record({ ...base, res }, { result: 'deny', reason: 'not_yet_valid' });
    if (c.valid_until && at >= c.valid_until) return this.record({ ...base, res }, { result: 'deny', reason: 'expired' });
    const h = await this.holderOf(c.resident_id, p.community_id, p.default_scope_path);
    const snap = await communitySnapshot(this.k, p.community_id);
    const doorGroupIds = snap.groupsOfPoint.get(p.id) ?? [];
    const ev = evaluate(snap.rules, h.holder, { at, local: localTime(now, snap.timeZone), doorGroupIds, schedules: snap.schedules, defaultAllowed: h.defaultAllowed });
    // moved out and no rule naming them: the default never applies, and "everyone" means people who live here
    const verdict = !h.lives && ev.reason !== 'rule_allow' ? { allow: false, reason: ev.allow ? 'not_resident' : ev.reason } : ev;
    if (!verdict.allow) return this.record({ ...base, res, holderName: h.name }, { result: 'deny', reason: verdict.reason });
    return this.record({ ...base, res, holderName: h.name, apbHolder: c.resident_id, doorGroupIds }, { result: 'allow', reason: verdict.reason });
  }

  private async decidePass(base: Base, pass: PassRow) {
    const { p, at } = base;
    const res = { pass };
    const holderName = pass.visitor_name;
    if (pass.status !== 'active') return this.record({ ...base, res, holderName }, { result: 'deny', reason: 'pass_revoked' });
    if (at < pass.valid_from) return this.record({ ...base, res, holderName }, { result: 'deny', reason: 'pass_not_yet_valid' });
    if (at >= pass.valid_until) return this.record({ ...base, res, holderName }, { result: 'deny', reason: 'pass_expired' });
    if (!(JSON.parse(pass.point_ids) as string[]).includes(p.id)) return this.record({ ...base, res, holderName }, { result: 'deny', reason: 'qr_wrong_door' });
    if (pass.uses >= pass.max_uses) return this.record({ ...base, res, holderName }, { result: 'deny', reason: 'pass_used_up' });
    const d = await this.record({ ...base, res, holderName, takeUse: pass.id, apbHolder: pass.id, doorGroupIds: (await communitySnapshot(this.k, p.community_id)).groupsOfPoint.get(p.id) ?? [] }, { result: 'allow', reason: 'visitor' });
    if (d.result === 'allow' && d.eventId === base.b.eventId) void this.tellHost(pass, p).catch((err) => this.k.log.error({ err }, 'access: visitor notification failed'));
    return d;
  }

  private async tellHost(pass: PassRow, p: PointRow) {
    const userId = await userOfResident(this.k, pass.host_resident_id);
    if (!userId) return;
    const params = { visitor: pass.visitor_name, door: p.name, host: pass.host_name };
    await this.k.notify.send([userId], { kind: 'access.visitor', title: tr('zh-CN', 'access.notify.visitor_title', params), body: tr('zh-CN', 'access.notify.visitor_body', params), link: '/portal/access' });
  }

  /** Write the log row (and the use of a pass, and anti-passback state) in one transaction. */
  private async record(x: Base & { res?: Resolved; holderName?: string | null; takeUse?: string; apbHolder?: string; doorGroupIds?: string[] }, v: { result: 'allow' | 'deny'; reason: string }): Promise<Decision> {
    const { p, b, at, direction } = x;
    let result = v.result;
    let reason = v.reason;
    const row: LogRow = {
      id: newId('alg'), community_id: p.community_id, place_path: p.place_path, point_id: p.id, point_name: p.name, controller_id: p.controller_id, event_id: b.eventId,
      at, recorded_at: this.k.clock.now().toISOString(), credential_type: b.credentialType, credential_id: x.res?.credential?.id ?? null,
      resident_id: x.res?.credential?.resident_id ?? x.res?.pass?.host_resident_id ?? null, visitor_pass_id: x.res?.pass?.id ?? null, holder_name: x.holderName ?? null,
      direction, result, reason, open_seconds: 0, offline: 0,
    };
    // read before the transaction: on SQLite a query outside an open transaction waits for it
    const apb = result === 'allow' && x.apbHolder && x.doorGroupIds?.length && direction !== 'both' ? (await communitySnapshot(this.k, p.community_id)).antiPassbackGroups : null;
    const apbGroups = apb ? x.doorGroupIds!.filter((g) => apb.has(g)).map((id) => ({ id })) : [];
    try {
      await this.k.db.transaction().execute(async (t) => {
        if (apbGroups.length && x.apbHolder) {
          for (const g of apbGroups) {
            const last = await t.selectFrom('access_apb').select('direction').where('group_id', '=', g.id).where('holder', '=', x.apbHolder).executeTakeFirst();
            if (last && last.direction === direction) {
              result = 'deny';
              reason = 'anti_passback';
            }
          }
          if (result === 'allow') for (const g of apbGroups) await t.insertInto('access_apb').values({ group_id: g.id, holder: x.apbHolder, direction, at }).onConflict((oc) => oc.columns(['group_id', 'holder']).doUpdateSet({ direction, at })).execute();
        }
        if (result === 'allow' && x.takeUse) {
          const u = await t.updateTable('access_visitor_passes').set((eb) => ({ uses: eb('uses', '+', 1) })).where('id', '=', x.takeUse).whereRef('uses', '<', 'max_uses').executeTakeFirst();
          if (Number(u.numUpdatedRows) !== 1) {
            result = 'deny';
            reason = 'pass_used_up';
          }
        }
        row.result = result;
        row.reason = reason;
        row.open_seconds = result === 'allow' ? p.open_seconds : 0;
        if (!(await this.log.insert(row, t))) throw ROLLBACK;
      });
    } catch (e) {
      if (e !== ROLLBACK) throw e;
      const stored = await this.log.byEvent(p.controller_id, b.eventId);
      if (!stored) throw new AppError(409, 'http.conflict');
      return decisionView(stored);
    }
    if (row.result === 'deny' && this.onDenial) void this.onDenial(p).catch((err) => this.k.log.error({ err }, 'access: denial alert failed'));
    void this.k.events.publish(ACCESS_DECIDED, { ...decisionView(row), communityId: p.community_id, placePath: p.place_path, pointName: p.name, visitorPassId: row.visitor_pass_id }).catch(() => {});
    return decisionView(row);
  }
}

interface Base {
  p: PointRow;
  b: DecisionInput;
  at: string;
  direction: string;
}

type ResidentInfo = Awaited<ReturnType<typeof residents.get>>;

/** The holder as the rules see them, from the registry's answer (pure, so lists can reuse one lookup). */
export function holderFrom(r: ResidentInfo, residentId: string, communityId: string, scopePath: string, groupIds: string[]) {
  const houses = (r?.houses ?? []).filter((h) => h.communityId === communityId);
  const holder: Holder = { residentId, householdIds: houses.map((h) => h.householdId).filter((x): x is string => !!x), roles: houses.map((h) => h.role), groupIds };
  return { name: r?.name ?? null, lives: r?.status === 'active' && houses.length > 0, defaultAllowed: r?.status === 'active' && houses.some((h) => h.placePath.startsWith(scopePath)), holder };
}
