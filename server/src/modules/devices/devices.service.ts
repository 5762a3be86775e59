// Devices: types (profiles), placement, credentials, and the read side of telemetry.
import crypto from 'node:crypto';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { newId } from '../../kernel/ids.js';
import { invalid, notFound, badRequest, type FieldError } from '../../kernel/http/errors.js';
import { places } from '../registry/index.js';
import { DevicesRepository, parseKeys, type DeviceRow, type DeviceTypeRow, type DeviceWithType } from './devices.repository.js';
import type { CreateDeviceInput, DeviceListInput, DeviceTypeView, DeviceView, TelemetryInput, UpdateDeviceInput } from './devices.schema.js';

const PLACEABLE = new Set(['community', 'estate', 'building', 'unit', 'house']);
const MAX_POINTS = 10_000;
const HOUR = 3_600_000;

export function typeView(t: DeviceTypeRow): DeviceTypeView {
  return {
    id: t.id,
    code: t.code,
    nameZh: t.name_zh,
    nameEn: t.name_en,
    builtin: !!t.builtin,
    heartbeatS: Number(t.heartbeat_s),
    telemetry: parseKeys(t.telemetry),
    createdAt: t.created_at,
  };
}

export function deviceView(d: DeviceWithType, placeName: string | null = null): DeviceView {
  return {
    id: d.id,
    name: d.name,
    typeCode: d.type_code,
    typeName: d.type_name_zh,
    typeNameEn: d.type_name_en,
    communityId: d.community_id,
    placeId: d.place_id,
    placePath: d.place_path,
    placeName,
    publicArea: d.public_area,
    status: d.status,
    lastSeenAt: d.last_seen_at,
    rejectedCount: Number(d.rejected_count),
    lastError: d.last_error,
    lastErrorAt: d.last_error_at,
    throttledUntil: d.throttled_until,
    secretRotatedAt: d.secret_rotated_at,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

export function newSecret(): string {
  return crypto.randomBytes(24).toString('base64url');
}

import { hashSecret } from './secrets.js';
import { digestHa1 } from './digest.js';

export { hashSecret };

/** ms since the epoch from "1700000000000" or an ISO time. */
function parseTime(v: string | undefined, field: string, errors: FieldError[]): number | null {
  if (v === undefined || v === '') return null;
  const n = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) {
    errors.push({ field, code: 'devices.time_invalid' });
    return null;
  }
  return n;
}

export class DevicesService {
  readonly repo: DevicesRepository;
  /** Called after a device changes so the ingest cache drops it. */
  onChange: (deviceId: string) => void = () => undefined;

  constructor(private k: Kernel) {
    this.repo = new DevicesRepository(k.db, k.database.dialect);
  }

  private at() {
    return this.k.clock.now().toISOString();
  }

  async reachable(actor: Actor, action: string, id: string): Promise<DeviceWithType> {
    const d = await this.repo.byId(id);
    if (!d || !this.k.authz.can(actor, action, 'Device', { placePath: d.place_path })) throw notFound('devices.not_found');
    return d;
  }

  private async placeFor(actor: Actor, action: string, placeId: string) {
    const p = await places.getPlace(this.k, placeId);
    if (!p || !this.k.authz.can(actor, action, 'Device', { placePath: p.path })) throw notFound('devices.place_not_found');
    if (!PLACEABLE.has(p.kind) || !p.community_id) throw invalid([{ field: 'placeId', code: 'devices.place_kind' }]);
    return p;
  }

  // ----- devices -----
  async list(actor: Actor, q: DeviceListInput) {
    let placePath: string | undefined;
    if (q.placeId) {
      const p = await places.getPlace(this.k, q.placeId);
      placePath = p?.path ?? '/nonexistent/';
    }
    const { rows, total, totals } = await this.repo.list(
      {
        reach: this.k.authz.reach(actor, 'read', 'Device'),
        placePath,
        typeCode: q.typeCode,
        status: q.status,
        communityId: q.communityId,
        q: q.q?.trim() || undefined,
      },
      q.pageSize,
      (q.page - 1) * q.pageSize,
    );
    const names = await places.placeNames(
      this.k,
      rows.map((r) => r.place_id),
    );
    return { items: rows.map((r) => deviceView(r, names.get(r.place_id) ?? null)), total, page: q.page, pageSize: q.pageSize, totals };
  }

  async get(actor: Actor, id: string) {
    const d = await this.reachable(actor, 'read', id);
    const type = await this.repo.typeById(d.type_id);
    const keys = parseKeys(d.telemetry);
    const latest = new Map((await this.repo.latest(id)).map((l) => [l.key, l]));
    const names = await places.placeNames(this.k, [d.place_id]);
    return {
      ...deviceView(d, names.get(d.place_id) ?? null),
      type: type ? typeView(type) : null,
      latest: keys
        .filter((x) => latest.has(x.key))
        .map((x) => {
          const l = latest.get(x.key)!;
          const value = Number(l.value);
          return {
            key: x.key,
            value,
            ts: Number(l.ts),
            unit: x.unit,
            zh: x.zh,
            en: x.en,
            min: x.min,
            max: x.max,
            outOfRange: (x.min != null && value < x.min) || (x.max != null && value > x.max),
          };
        }),
    };
  }

  /** Create without authorization (seed, tests, demo); returns the row and the plain secret. */
  async insertDevice(input: { typeCode: string; placeId: string; name: string; publicArea?: string | null }, audit?: (t: Tx, row: DeviceRow) => Promise<void>) {
    const type = await this.repo.typeByCode(input.typeCode);
    if (!type) throw invalid([{ field: 'typeCode', code: 'devices.type_unknown', params: { value: input.typeCode } }]);
    const p = await places.getPlace(this.k, input.placeId);
    if (!p || !PLACEABLE.has(p.kind) || !p.community_id) throw invalid([{ field: 'placeId', code: 'devices.place_kind' }]);
    const secret = newSecret();
    const at = this.at();
    const id = newId('dev');
    const row: DeviceRow = {
      id,
      type_id: type.id,
      community_id: p.community_id,
      place_id: p.id,
      place_path: p.path,
      public_area: input.publicArea?.trim() || null,
      name: input.name.trim(),
      secret_hash: await hashSecret(secret),
      digest_ha1_enc: this.k.vault.encrypt(digestHa1(id, secret)),
      secret_rotated_at: at,
      status: 'offline',
      last_seen_at: null,
      rejected_count: 0,
      last_error: null,
      last_error_at: null,
      throttled_until: null,
      created_at: at,
      updated_at: at,
    };
    // lookups above, writes below: on SQLite a query outside an open transaction would wait for it
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insert(row, t);
      if (audit) await audit(t, row);
    });
    this.onChange(row.id);
    return { row, secret };
  }

  async create(actor: Actor, input: CreateDeviceInput, ip: string) {
    if (!input.name.trim()) throw invalid([{ field: 'name', code: 'devices.name_required' }]);
    const p = await this.placeFor(actor, 'create', input.placeId);
    const { row, secret } = await this.insertDevice({ ...input, placeId: p.id }, (t, r) =>
      this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'devices.device.create',
          targetType: 'device',
          targetId: r.id,
          scopePath: r.place_path,
          ip,
          detail: { typeCode: input.typeCode, name: r.name, placeId: p.id },
        },
        t,
      ),
    );
    return { ...deviceView((await this.repo.byId(row.id))!, p.name), secret };
  }

  async update(actor: Actor, id: string, input: UpdateDeviceInput, ip: string) {
    const d = await this.reachable(actor, 'update', id);
    const patch: Partial<DeviceRow> = { updated_at: this.at() };
    if (input.name !== undefined) {
      if (!input.name.trim()) throw invalid([{ field: 'name', code: 'devices.name_required' }]);
      patch.name = input.name.trim();
    }
    if (input.publicArea !== undefined) patch.public_area = input.publicArea?.trim() || null;
    if (input.placeId !== undefined && input.placeId !== d.place_id) {
      const p = await this.placeFor(actor, 'update', input.placeId);
      Object.assign(patch, { place_id: p.id, place_path: p.path, community_id: p.community_id! });
    }
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.update(id, patch, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'devices.device.update',
          targetType: 'device',
          targetId: id,
          scopePath: patch.place_path ?? d.place_path,
          ip,
          detail: { fields: Object.keys(patch).filter((x) => x !== 'updated_at'), from: patch.place_path ? d.place_path : undefined },
        },
        t,
      );
    });
    this.onChange(id);
    const fresh = (await this.repo.byId(id))!;
    return deviceView(fresh, (await places.placeNames(this.k, [fresh.place_id])).get(fresh.place_id) ?? null);
  }

  async rotateSecret(actor: Actor, id: string, ip: string) {
    const d = await this.reachable(actor, 'rotate', id);
    const secret = newSecret();
    const at = this.at();
    const secretHash = await hashSecret(secret);
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.update(
        id,
        { secret_hash: secretHash, digest_ha1_enc: this.k.vault.encrypt(digestHa1(id, secret)), secret_rotated_at: at, updated_at: at },
        t,
      );
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'devices.device.rotate_secret',
          targetType: 'device',
          targetId: id,
          scopePath: d.place_path,
          ip,
        },
        t,
      );
    });
    this.onChange(id);
    return { id, secret, secretRotatedAt: at };
  }

  async rejects(actor: Actor, id: string) {
    const d = await this.reachable(actor, 'read', id);
    const rows = await this.repo.rejects(id);
    return {
      rejectedCount: Number(d.rejected_count),
      lastError: d.last_error,
      lastErrorAt: d.last_error_at,
      throttledUntil: d.throttled_until,
      byReason: rows.map((r) => ({ reason: r.reason, count: Number(r.count), lastAt: r.last_at, lastDetail: r.last_detail })),
    };
  }

  async telemetry(actor: Actor, id: string, q: TelemetryInput) {
    const d = await this.reachable(actor, 'read', id);
    const errors: FieldError[] = [];
    const nowMs = this.k.clock.now().getTime();
    const to = parseTime(q.to, 'to', errors) ?? nowMs;
    const from = parseTime(q.from, 'from', errors) ?? to - 24 * HOUR;
    if (errors.length) throw invalid(errors);
    if (from >= to) throw invalid([{ field: 'from', code: 'devices.time_invalid' }]);
    if (to - from > 400 * 24 * HOUR) throw badRequest('devices.range_too_long');
    const span = to - from;
    const resolution = q.resolution ?? (span <= 2 * HOUR ? 'raw' : span <= 48 * HOUR ? '1m' : '1h');
    const keys = parseKeys(d.telemetry);
    const wanted = q.key ? keys.filter((x) => x.key === q.key) : keys;
    if (q.key && !wanted.length) throw invalid([{ field: 'key', code: 'validation.invalid' }]);
    const series = [];
    for (const x of wanted) {
      // buckets that start inside [from, to): align `from` down to the bucket so the first partial bucket shows
      const size = resolution === '1m' ? 60_000 : resolution === '1h' ? HOUR : 1;
      const start = Math.floor(from / size) * size;
      const rows =
        resolution === 'raw'
          ? await this.repo.raw(id, [x.key], from, to, MAX_POINTS)
          : await this.repo.rollup(resolution === '1m' ? 'telemetry_1m' : 'telemetry_1h', id, [x.key], start, to, MAX_POINTS);
      series.push({
        key: x.key,
        unit: x.unit,
        zh: x.zh,
        en: x.en,
        points: rows.map((r) => ({ ts: r.ts, min: r.min, max: r.max, avg: r.count ? r.sum / r.count : null, count: r.count })),
      });
    }
    return { deviceId: id, from, to, resolution, series };
  }
}
