// The decision: which door, which credential, when → allow or deny with a reason code and how
// long to open. Every decision is logged once per controller event id: a retried request gets the
// stored answer back and neither logs nor opens twice.
// Reads come from the node's decision image (access.image.ts); the one write per decision (log row,
// anti-passback state, a visitor pass's use) is a transaction whose unique key (controller, event
// id) is the arbiter between retries on any node. A recent-event memory answers a retry that
// comes back to the same node without touching the database.
import type { Kernel } from '../../kernel/index.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { residents } from '../registry/index.js';
import { userOfResident } from '../identity/index.js';
import { AccessRepository, type CredentialRow, type PassRow, type PointRow } from './access.repository.js';
import { AccessLogRepository, type LogRow } from './access.log.repository.js';
import { accessLogQueue, logSettled } from './access.logthread.js';
import { cardFromReader } from './access.cards.js';
import { decodeToken, verifyToken } from './access.qr.js';
import { evaluate, localTime, type Holder } from './access.schedule.js';
import { communitySnapshot } from './access.snapshot.js';
import { valueIndex } from './access.credentials.service.js';
import { decisionImage, type DecisionImage } from './access.image.js';
import { storedDecisionSqlite, writeDecisionSqlite, type WriteOutcome } from './access.write.js';

import { ACCESS_DECIDED, type Decision } from './access.events.js';
export { ACCESS_DECIDED, type Decision };

export interface DecisionInput {
  eventId: string;
  doorId: string;
  credentialType: 'card' | 'fingerprint' | 'qr' | 'pin';
  value?: string;
  token?: string;
  at?: string;
  direction?: 'in' | 'out';
}

const ROLLBACK = Symbol('duplicate event');

export const decisionView = (l: LogRow): Decision => ({
  eventId: l.event_id,
  doorId: l.point_id,
  result: l.result,
  reason: l.reason,
  openSeconds: l.open_seconds,
  at: l.at,
  holderName: l.holder_name,
});

interface Resolved {
  credential?: CredentialRow;
  pass?: PassRow;
  nonce?: { n: string; e: number };
  deny?: string;
}

/**
 * Decisions this node answered lately, by controller and event id (same-node retries), filled
 * from the log at start (rememberLogged). On a SQLite file this is how a retry is recognised
 * before its row is queued (access.logthread.ts): 20,000 decisions are 20 s at 1,000 a second,
 * and a controller retries within its timeout (≤ 5 s). An older retry is decided again; the log
 * keeps the first row (unique key).
 */
const RECENT_MAX = 20_000;
/** How far back rememberLogged reads the log at start. */
const RECENT_AT_START_MS = 10 * 60_000;
const recentByKernel = new WeakMap<Kernel, Map<string, Decision>>();

export class AccessDecider {
  readonly repo: AccessRepository;
  readonly log: AccessLogRepository;
  readonly image: DecisionImage;
  private readonly recent: Map<string, Decision>;
  /** Called after a denial is logged (the module wires repeated-denial alerts here). */
  onDenial: ((p: PointRow) => Promise<void>) | null = null;
  constructor(readonly k: Kernel) {
    this.repo = new AccessRepository(k.db);
    this.log = new AccessLogRepository(k.db, logSettled(k));
    this.image = decisionImage(k);
    let r = recentByKernel.get(k);
    if (!r) recentByKernel.set(k, (r = new Map()));
    this.recent = r;
  }

  private remember(controllerId: string, d: Decision) {
    if (this.recent.size >= RECENT_MAX) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(`${controllerId}\u0000${d.eventId}`, d);
  }

  /** Remember the decisions logged in the last minutes (at start: a retry across a restart gets its stored answer). */
  async rememberLogged(): Promise<void> {
    const since = new Date(this.k.clock.now().getTime() - RECENT_AT_START_MS).toISOString();
    const rows = await this.log.latest(since, RECENT_MAX);
    for (let i = rows.length - 1; i >= 0; i--) this.remember(rows[i].controller_id, decisionView(rows[i]));
  }

  /** The door, if it is this controller's (anything else is 404: a controller sees only its doors). */
  async pointOf(controllerId: string, doorId: string): Promise<PointRow> {
    const p = await this.image.point(doorId);
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
      const key = await this.image.keyById(d.payload.k);
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
      const c = await this.image.credential(p.community_id, d.payload.c);
      return c && c.type === 'qr' && c.community_id === p.community_id ? { credential: c, nonce } : { deny: 'unknown_credential' };
    }
    let normalised: string | null = value || null;
    if (b.credentialType === 'card') normalised = cardFromReader(value);
    if (!normalised) return { deny: 'bad_credential' };
    const c = await this.image.credentialByValue(p.community_id, b.credentialType, valueIndex(this.k, p.community_id, b.credentialType, normalised));
    return c ? { credential: c } : { deny: 'unknown_credential' };
  }

  async holderOf(residentId: string, communityId: string, scopePath: string) {
    const r = await this.image.holder(communityId, residentId);
    const snap = await communitySnapshot(this.k, communityId);
    return holderFrom(r, residentId, communityId, scopePath, snap.groupsOfResident.get(residentId) ?? []);
  }

  /** Online decision (POST /decisions, MQTT). */
  async decide(controllerId: string, b: DecisionInput): Promise<Decision> {
    const recent = this.recent.get(`${controllerId}\u0000${b.eventId}`);
    if (recent) return recent;
    const p = await this.image.point(b.doorId);
    if (!p || p.controller_id !== controllerId) {
      // a retry of an event answered before the door moved to another controller keeps its answer
      const stored = await this.log.byEvent(controllerId, b.eventId);
      if (stored) return decisionView(stored);
      throw notFound('access.point_not_found');
    }
    // A retry that reaches another node is decided again, but its log insert meets the stored row
    // (unique key) and the transaction, with any pass use or anti-passback change, is rolled back:
    // the stored answer is returned (record).
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
    const ev = evaluate(snap.rules, h.holder, {
      at,
      local: localTime(now, snap.timeZone),
      doorGroupIds,
      schedules: snap.schedules,
      defaultAllowed: h.defaultAllowed,
    });
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
    const d = await this.record(
      {
        ...base,
        res,
        holderName,
        takeUse: pass.id,
        apbHolder: pass.id,
        doorGroupIds: (await communitySnapshot(this.k, p.community_id)).groupsOfPoint.get(p.id) ?? [],
      },
      { result: 'allow', reason: 'visitor' },
    );
    // only the request that logged the entry tells the host (a retry gets the stored answer)
    if (d.result === 'allow' && fresh.has(d)) void this.tellHost(pass, p).catch((err) => this.k.log.error({ err }, 'access: visitor notification failed'));
    return d;
  }

  private async tellHost(pass: PassRow, p: PointRow) {
    const userId = await userOfResident(this.k, pass.host_resident_id);
    if (!userId) return;
    const params = { visitor: pass.visitor_name, door: p.name, host: pass.host_name };
    await this.k.notify.send([userId], {
      kind: 'access.visitor',
      code: 'access.notify.visitor_title',
      bodyCode: 'access.notify.visitor_body',
      params,
      link: '/portal/access',
    });
  }

  /** Log the decision: queued for the writer thread, or written with the use of a pass and anti-passback state in one transaction. */
  private async record(
    x: Base & { res?: Resolved; holderName?: string | null; takeUse?: string; apbHolder?: string; doorGroupIds?: string[] },
    v: { result: 'allow' | 'deny'; reason: string },
  ): Promise<Decision> {
    const { p, b, at, direction } = x;
    const { result, reason } = v;
    const row: LogRow = {
      id: newId('alg'),
      community_id: p.community_id,
      place_path: p.place_path,
      point_id: p.id,
      point_name: p.name,
      controller_id: p.controller_id,
      event_id: b.eventId,
      at,
      recorded_at: this.k.clock.now().toISOString(),
      credential_type: b.credentialType,
      credential_id: x.res?.credential?.id ?? null,
      resident_id: x.res?.credential?.resident_id ?? x.res?.pass?.host_resident_id ?? null,
      visitor_pass_id: x.res?.pass?.id ?? null,
      holder_name: x.holderName ?? null,
      direction,
      result,
      reason,
      open_seconds: 0,
      offline: 0,
    };
    // read before the transaction: on SQLite a query outside an open transaction waits for it
    const apb = result === 'allow' && x.apbHolder && x.doorGroupIds?.length ? (await communitySnapshot(this.k, p.community_id)).antiPassbackGroups : null;
    const apbGroups = apb ? x.doorGroupIds!.filter((g) => apb.has(g)).map((id) => ({ id })) : [];
    const sqlite = this.k.database.sqlite;
    const apbIds = apbGroups.map((g) => g.id);
    const queue = sqlite && !apbIds.length && !x.takeUse ? accessLogQueue(this.k) : null;
    let outcome: WriteOutcome;
    if (queue) {
      // a SQLite file, and the row changes no other state: answer now, the writer thread commits
      // it (access.logthread.ts). A concurrent retry of this event gets the answer remembered by
      // the first (nothing between here and remember() below awaits). A single node has logged
      // nothing it does not remember (rememberLogged at start); with other nodes (an event bus
      // between them) a retry that went to another node first is looked up in the log.
      const known = this.recent.get(`${p.controller_id}\u0000${b.eventId}`);
      if (known) return known;
      const stored = this.k.config.natsUrl ? storedDecisionSqlite(sqlite!, p.controller_id, b.eventId) : undefined;
      if (stored) return decisionView(stored);
      row.open_seconds = result === 'allow' ? p.open_seconds : 0;
      queue.push(row);
      outcome = 'written';
    } else {
      // SQLite: one synchronous transaction on the raw handle (access.write.ts); otherwise, or while
      // another writer has the turn at the write lock (kernel/db/sqlite-turns.ts: a Kysely
      // transaction, a writer thread), one Kysely transaction, which waits for its turn
      outcome =
        sqlite && !this.k.database.turns?.busy
          ? writeDecisionSqlite(sqlite, row, { apbGroups: apbIds, apbHolder: x.apbHolder ?? null, takeUse: x.takeUse ?? null, openSeconds: p.open_seconds })
          : 'busy';
      if (outcome === 'busy') outcome = (await this.writeKysely(row, apbIds, x.apbHolder ?? null, x.takeUse ?? null, p.open_seconds)) ? 'written' : 'duplicate';
    }
    const written = outcome === 'written';
    if (!written) {
      const stored = await this.log.byEvent(p.controller_id, b.eventId);
      if (!stored) throw new AppError(409, 'http.conflict');
      const d = decisionView(stored);
      this.remember(p.controller_id, d);
      return d;
    }
    if (row.result === 'deny' && this.onDenial) void this.onDenial(p).catch((err) => this.k.log.error({ err }, 'access: denial alert failed'));
    void this.k.events
      .publish(ACCESS_DECIDED, {
        ...decisionView(row),
        communityId: p.community_id,
        placePath: p.place_path,
        pointName: p.name,
        visitorPassId: row.visitor_pass_id,
      })
      .catch(() => {});
    const d = decisionView(row);
    fresh.add(d);
    this.remember(p.controller_id, d);
    return d;
  }

  /** The same write through Kysely (PostgreSQL; SQLite while another transaction is open). false: the event was logged before. */
  private async writeKysely(row: LogRow, apbGroups: string[], apbHolder: string | null, takeUse: string | null, openSeconds: number): Promise<boolean> {
    try {
      await this.k.db.transaction().execute(async (t) => {
        let result = row.result;
        let reason = row.reason;
        if (result === 'allow' && apbGroups.length && apbHolder) {
          for (const g of apbGroups) {
            const last = await this.repo.apb(g, apbHolder, t);
            if (last && last.direction === row.direction) {
              result = 'deny';
              reason = 'anti_passback';
            }
          }
          if (result === 'allow') for (const g of apbGroups) await this.repo.setApb(g, apbHolder, row.direction, row.at, t);
        }
        if (result === 'allow' && takeUse) {
          if (!(await this.repo.takeUse(takeUse, t))) {
            result = 'deny';
            reason = 'pass_used_up';
          }
        }
        row.result = result;
        row.reason = reason;
        row.open_seconds = result === 'allow' ? openSeconds : 0;
        if (!(await this.log.insert(row, t))) throw ROLLBACK;
      });
      return true;
    } catch (e) {
      if (e !== ROLLBACK) throw e;
      return false;
    }
  }
}

/** Decisions that this request logged (not a stored answer to a retry). */
const fresh = new WeakSet<Decision>();

interface Base {
  p: PointRow;
  b: DecisionInput;
  at: string;
  direction: 'in' | 'out';
}

type ResidentInfo = Awaited<ReturnType<typeof residents.get>>;

/** The holder as the rules see them, from the registry's answer (pure, so lists can reuse one lookup). */
export function holderFrom(r: ResidentInfo, residentId: string, communityId: string, scopePath: string, groupIds: string[]) {
  const houses = (r?.houses ?? []).filter((h) => h.communityId === communityId);
  const holder: Holder = {
    residentId,
    householdIds: houses.map((h) => h.householdId).filter((x): x is string => !!x),
    roles: houses.map((h) => h.role),
    groupIds,
  };
  return {
    name: r?.name ?? null,
    lives: r?.status === 'active' && houses.length > 0,
    defaultAllowed: r?.status === 'active' && houses.some((h) => h.placePath.startsWith(scopePath)),
    holder,
  };
}
