// Cameras: devices of type 'camera' (devices module) with this module's extras — location,
// stream address (stored, never proxied), and the MAC/IP/channel a vendor notification names.
// Health is the device's own online/offline status, which the devices module keeps from its
// heartbeat (last message + offline job); nothing is tracked twice.
import { isIP } from 'node:net';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { invalid, notFound, type FieldError } from '../../kernel/http/errors.js';
import { iso } from '../../kernel/clock.js';
import { getDevice, listDevices, type DeviceInfo } from '../devices/index.js';
import { places } from '../registry/index.js';
import { IncidentsRepository, type CameraRead, type CameraRow } from './incidents.repository.js';
import { isSkewed, validTimeZone } from './camera-time.js';
import type { Static } from '@sinclair/typebox';
import type { CameraBody, CameraListQuery, CameraPage, CameraView } from './incidents.schema.js';

export const CAMERA_TYPE = 'camera';

/**
 * The stream address without its credentials: user:pass in the authority and password-like
 * query parameters become "***". Unparseable addresses are hidden entirely.
 */
export function maskStreamUrl(url: string | null): string | null {
  if (!url) return url;
  try {
    const u = new URL(url);
    if (u.username) u.username = '***';
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|pwd|token|secret|key|auth/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return '***';
  }
}

export function normaliseMac(mac: string): string | null {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  if (hex.length !== 12 || !/^[0-9a-fA-F:.-]+$/.test(mac)) return null;
  return hex.match(/../g)!.join(':');
}

export function validStreamUrl(url: string): boolean {
  try {
    return ['rtsp:', 'rtsps:', 'rtmp:', 'http:', 'https:', 'webrtc:', 'srt:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

export class CamerasService {
  readonly repo: IncidentsRepository;
  constructor(readonly k: Kernel) {
    this.repo = new IncidentsRepository(k.db);
  }

  /** A camera device the actor may read (anything else, or another device type: 404). */
  async reachable(actor: Actor, deviceId: string, action = 'read'): Promise<DeviceInfo> {
    const d = await getDevice(this.k, deviceId);
    if (!d || d.typeCode !== CAMERA_TYPE || !this.k.authz.can(actor, action, 'Camera', { placePath: d.placePath }))
      throw notFound('incidents.camera_not_found');
    return d;
  }

  view(actor: Actor, d: DeviceInfo, c: CameraRead | undefined, names: Map<string, string>): Static<typeof CameraView> {
    const canManage = this.k.authz.can(actor, 'update', 'Camera', { placePath: d.placePath });
    const stream = c?.stream_url ?? null;
    return {
      id: d.id,
      name: d.name,
      communityId: d.communityId,
      placeId: d.placeId,
      placePath: d.placePath,
      placeName: names.get(d.placeId) ?? null,
      health: d.status,
      lastSeenAt: d.lastSeenAt,
      location: c?.location ?? null,
      // roles that cannot manage cameras never see the credentials of the stream
      streamUrl: canManage ? stream : maskStreamUrl(stream),
      streamMasked: !canManage && maskStreamUrl(stream) !== stream,
      mac: c?.mac ?? null,
      ip: c?.ip ?? null,
      channel: c?.channel ?? null,
      timeZone: c?.time_zone ?? null,
      // the camera's clock as its last timed event showed it: seconds ahead (+) or behind (−)
      // Linli's; "skewed" past camera-time.ts SKEW_LIMIT_S, cleared by the next event on time
      clockSkewSeconds: c?.clock_skew_s ?? null,
      clockCheckedAt: c?.clock_checked_at ?? null,
      clockSkewed: isSkewed(c?.clock_skew_s),
      canManage,
    };
  }

  async list(actor: Actor, q: CameraListQuery): Promise<Static<typeof CameraPage>> {
    const all = (await listDevices(this.k, { typeCode: CAMERA_TYPE })).filter((d) => this.k.authz.can(actor, 'read', 'Camera', { placePath: d.placePath }));
    let rows = all;
    if (q.health) rows = rows.filter((d) => d.status === q.health);
    const extras = new Map((await this.repo.cameras(rows.map((d) => d.id))).map((c) => [c.device_id, c]));
    if (q.q?.trim()) {
      const s = q.q.trim().toLowerCase();
      rows = rows.filter((d) => d.name.toLowerCase().includes(s) || (extras.get(d.id)?.location ?? '').toLowerCase().includes(s));
    }
    rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
    const page = rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
    const names = await places.placeNames(
      this.k,
      page.map((d) => d.placeId),
    );
    return {
      items: page.map((d) => this.view(actor, d, extras.get(d.id), names)),
      total: rows.length,
      page: q.page,
      pageSize: q.pageSize,
      totals: { online: all.filter((d) => d.status === 'online').length, offline: all.filter((d) => d.status === 'offline').length },
    };
  }

  async get(actor: Actor, id: string) {
    const d = await this.reachable(actor, id);
    const names = await places.placeNames(this.k, [d.placeId]);
    return this.view(actor, d, await this.repo.camera(d.id), names);
  }

  async update(actor: Actor, id: string, b: CameraBody, ip: string) {
    const d = await this.reachable(actor, id, 'update');
    const cur = await this.repo.camera(d.id);
    const errors: FieldError[] = [];
    const pick = <T>(v: T | undefined, old: T | null | undefined): T | null => (v === undefined ? (old ?? null) : v);
    let mac = pick(b.mac, cur?.mac);
    if (b.mac) {
      mac = normaliseMac(b.mac);
      if (!mac) errors.push({ field: 'mac', code: 'incidents.bad_mac' });
    }
    const addr = pick(b.ip, cur?.ip);
    if (b.ip && !isIP(b.ip)) errors.push({ field: 'ip', code: 'incidents.bad_ip' });
    const stream = pick(b.streamUrl, cur?.stream_url);
    if (b.streamUrl && !validStreamUrl(b.streamUrl)) errors.push({ field: 'streamUrl', code: 'incidents.bad_stream_url' });
    const channel = pick(b.channel, cur?.channel);
    const timeZone = pick(b.timeZone, cur?.time_zone);
    if (b.timeZone && !validTimeZone(b.timeZone)) errors.push({ field: 'timeZone', code: 'incidents.bad_time_zone' });
    if (!errors.length && mac) {
      const clash = (await this.repo.camerasByAddress(mac, null)).find((c) => c.device_id !== d.id && (c.channel ?? null) === (channel ?? null));
      if (clash) errors.push({ field: 'mac', code: 'incidents.mac_taken' });
    }
    if (errors.length) throw invalid(errors);
    const row: CameraRow = {
      device_id: d.id,
      community_id: d.communityId,
      location: pick(b.location, cur?.location)?.trim() || null,
      stream_url: stream?.trim() || null,
      mac: mac || null,
      ip: addr || null,
      channel,
      time_zone: timeZone || null,
      updated_by: actor.userId,
      updated_at: iso(this.k.clock.now()),
    };
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.upsertCamera(row, t);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'incidents.camera.update',
          targetType: 'device',
          targetId: d.id,
          scopePath: d.placePath,
          ip,
          // the audit log keeps the address without its credentials
          detail: { location: row.location, streamUrl: maskStreamUrl(row.stream_url), mac: row.mac, ip: row.ip, channel: row.channel, timeZone: row.time_zone },
        },
        t,
      );
    });
    return this.get(actor, id);
  }
}
