// Offline operation. A controller pulls a versioned allow-list for its doors (in full, or the
// changes since version N) and decides alone while its network is down; later it uploads what it
// decided, idempotent by event id. An offline "allow" for a credential that had already been
// revoked raises an alert to the guards and property managers of that place.
//
// Exact deltas: the server keeps the last list it computed for each controller, entry by entry,
// with the version at which each entry last changed (removed entries stay as tombstones). A sync
// computes the list afresh, writes the differences under a new version, and answers with the
// entries whose version is above N. So applying the delta to the list of version N gives exactly
// the fresh list, whatever changed in between (credentials, rules, schedules, move-outs).
//
// Entries hold no credential in clear: `match` = SHA-256 of "controllerId:type:value", which the
// controller computes from what its reader reads. Phone QR codes need no entries: the list carries
// the community's public key and controllers verify tokens themselves. Rules are evaluated when
// the list is computed (a controller that syncs every few minutes follows schedule changes then).
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { usersCovering } from '../identity/index.js';
import { residents } from '../registry/index.js';
import { AccessDecider, holderFrom } from './access.decide.js';
import { communitySnapshot } from './access.snapshot.js';
import { AccessLogRepository, type LogRow } from './access.log.repository.js';
import { logSettled } from './access.logthread.js';
import { evaluate, localTime } from './access.schedule.js';
import { publicKeyOf } from './access.keys.js';
import { systemActor } from '../../kernel/authz/index.js';
import type { Static } from '@sinclair/typebox';
import type { AllowListOut, OfflineBody, OfflineOut } from './access.schema.js';

export interface ListEntry {
  key: string; // credential id
  type: string;
  match: string;
  doors: string[];
  validFrom: string | null;
  validUntil: string | null;
}

export const matchHash = (controllerId: string, type: string, value: string) =>
  crypto.createHash('sha256').update(`${controllerId}:${type}:${value}`).digest('hex');

export class AccessOffline {
  readonly decider: AccessDecider;
  readonly log: AccessLogRepository;
  constructor(readonly k: Kernel) {
    this.decider = new AccessDecider(k);
    this.log = new AccessLogRepository(k.db, logSettled(k));
  }

  /** The list as it should be now for this controller's doors. */
  async computeEntries(controllerId: string): Promise<Map<string, ListEntry>> {
    const out = new Map<string, ListEntry>();
    const points = (await this.decider.repo.pointsOfController(controllerId)).filter((p) => p.enabled);
    const communities = [...new Set(points.map((p) => p.community_id))];
    const now = this.k.clock.now();
    const at = now.toISOString();
    for (const cid of communities) {
      const pts = points.filter((p) => p.community_id === cid);
      const snap = await communitySnapshot(this.k, cid);
      const local = localTime(now, snap.timeZone);
      const people = new Map<string, Awaited<ReturnType<typeof residents.get>>>();
      for (const c of await this.decider.repo.credentialsOfCommunity(cid)) {
        if (c.type === 'qr' || !c.value_enc) continue;
        if (c.valid_until && c.valid_until <= at) continue;
        if (!people.has(c.resident_id)) people.set(c.resident_id, await residents.get(this.k, c.resident_id));
        const r = people.get(c.resident_id)!;
        const doors: string[] = [];
        for (const p of pts) {
          const h = holderFrom(r, c.resident_id, cid, p.default_scope_path, snap.groupsOfResident.get(c.resident_id) ?? []);
          const ev = evaluate(snap.rules, h.holder, {
            at,
            local,
            doorGroupIds: snap.groupsOfPoint.get(p.id) ?? [],
            schedules: snap.schedules,
            defaultAllowed: h.defaultAllowed,
          });
          if (ev.allow && (h.lives || ev.reason === 'rule_allow')) doors.push(p.id);
        }
        if (!doors.length) continue;
        const value = this.k.vault.decrypt(c.value_enc);
        out.set(c.id, { key: c.id, type: c.type, match: matchHash(controllerId, c.type, value), doors, validFrom: c.valid_from, validUntil: c.valid_until });
      }
    }
    return out;
  }

  /** Bring the stored snapshot up to date; returns the current version. */
  async sync(controllerId: string): Promise<number> {
    const fresh = await this.computeEntries(controllerId);
    return this.k.db.transaction().execute(async (t) => {
      const version = await this.log.listVersion(controllerId, t);
      const next = version + 1;
      const stored = new Map((await this.log.entries(controllerId, t)).map((e) => [e.entry_key, e]));
      let changed = 0;
      for (const [key, e] of fresh) {
        const body = JSON.stringify(e);
        const old = stored.get(key);
        if (old && !old.deleted && old.body === body) continue;
        changed++;
        await this.log.putEntry(t, controllerId, key, body, next, !!old);
      }
      for (const [key, old] of stored) {
        if (old.deleted || fresh.has(key)) continue;
        changed++;
        await this.log.deleteEntry(t, controllerId, key, next);
      }
      if (!changed && version > 0) return version;
      const at = this.k.clock.now().toISOString();
      await this.log.setListVersion(t, controllerId, version, next, at);
      return next;
    });
  }

  /** GET /allow-list: full (no `since`, or a `since` this server never issued) or the changes since `since`. */
  async allowList(controllerId: string, since?: number): Promise<Static<typeof AllowListOut>> {
    const points = await this.decider.repo.pointsOfController(controllerId);
    const version = await this.sync(controllerId);
    const full = since === undefined || since > version;
    const rows = full ? (await this.log.entries(controllerId)).filter((e) => !e.deleted) : await this.log.entriesSince(controllerId, since);
    rows.sort((a, b) => (a.entry_key < b.entry_key ? -1 : 1));
    const communityId = points[0]?.community_id;
    return {
      version,
      full,
      since: full ? null : since,
      entries: rows.filter((e) => !e.deleted).map((e) => JSON.parse(e.body) as ListEntry),
      removed: full ? [] : rows.filter((e) => e.deleted).map((e) => e.entry_key),
      doors: points.map((p) => ({ id: p.id, name: p.name, direction: p.direction, openSeconds: p.open_seconds, enabled: !!p.enabled })),
      qrKey: communityId ? await publicKeyOf(this.k, communityId) : null,
    };
  }

  /** Decisions a controller made while offline, stored once per event id. */
  async upload(controllerId: string, b: OfflineBody): Promise<Static<typeof OfflineOut>> {
    let stored = 0;
    let duplicates = 0;
    const alerts: string[] = [];
    const rejected: { eventId: string; code: string }[] = [];
    for (const d of b.decisions) {
      if (await this.log.byEvent(controllerId, d.eventId)) {
        duplicates++;
        continue;
      }
      let p;
      try {
        p = await this.decider.pointOf(controllerId, d.doorId);
      } catch (e) {
        if (e instanceof AppError) {
          rejected.push({ eventId: d.eventId, code: e.code });
          continue;
        }
        throw e;
      }
      const res = d.credentialId ? { credential: await this.decider.repo.credential(d.credentialId) } : await this.decider.resolve(p, d, 0, false);
      const cred = res.credential && res.credential.community_id === p.community_id ? res.credential : undefined;
      const pass = 'pass' in res ? res.pass : undefined;
      const at = new Date(d.at).toISOString();
      const row: LogRow = {
        id: newId('alg'),
        community_id: p.community_id,
        place_path: p.place_path,
        point_id: p.id,
        point_name: p.name,
        controller_id: controllerId,
        event_id: d.eventId,
        at,
        recorded_at: this.k.clock.now().toISOString(),
        credential_type: d.credentialType,
        credential_id: cred?.id ?? null,
        resident_id: cred?.resident_id ?? pass?.host_resident_id ?? null,
        visitor_pass_id: pass?.id ?? null,
        holder_name: pass?.visitor_name ?? null,
        direction: p.direction === 'both' ? (d.direction ?? 'in') : p.direction,
        result: d.result,
        reason: 'offline',
        open_seconds: d.result === 'allow' ? p.open_seconds : 0,
        offline: 1,
      };
      if (!(await this.log.insert(row))) {
        duplicates++;
        continue;
      }
      stored++;
      if (d.result === 'allow' && cred?.revoked_at && cred.revoked_at <= at) {
        alerts.push(d.eventId);
        await this.alertRevoked(row, cred.resident_id);
      }
    }
    return { stored, duplicates, alerts, rejected };
  }

  private async alertRevoked(row: LogRow, residentId: string) {
    const r = await residents.get(this.k, residentId);
    const params = { door: row.point_name, holder: r?.name ?? residentId, at: row.at };
    const users = await usersCovering(this.k, row.place_path, ['security_guard', 'property_manager']);
    await this.k.notify.send(
      users.map((u) => u.userId),
      {
        kind: 'access.offline_revoked',
        code: 'access.notify.offline_revoked_title',
        bodyCode: 'access.notify.offline_revoked_body',
        params,
        link: `/access/log?pointId=${row.point_id}`,
      },
    );
    const sys = systemActor('access.offline-upload');
    await this.k.audit.record({
      actorId: sys.userId,
      actorName: sys.name,
      action: 'access.offline_revoked_used',
      targetType: 'access_log',
      targetId: row.id,
      scopePath: row.place_path,
      subjectResidentId: residentId,
      detail: { eventId: row.event_id, at: row.at },
    });
  }
}
