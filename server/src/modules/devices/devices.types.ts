// Device types and who may make or change them (docs/security/misc.md, "Device types").
// A type with no scope (scope_path null) is platform-wide: every community sees and uses it, and
// only an actor whose grant covers the whole platform ("/", i.e. a platform admin) may create or
// change it. A community's own type carries the community's path: its property managers create
// and change it, it is listed and usable only inside that community, and elsewhere it does not
// exist (an unknown type, never a hint that another community has one).
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, conflict, invalid, notFound, type FieldError } from '../../kernel/http/errors.js';
import type { Messages } from '../../kernel/http/i18n.js';
import { newId } from '../../kernel/ids.js';
import { places } from '../registry/index.js';
import { DevicesRepository, type DeviceTypeRow, type TelemetryKey } from './devices.repository.js';
import { typeView } from './devices.service.js';
import type { CreateTypeInput, ScopedDeviceTypeView, UpdateTypeInput } from './devices.schema.js';

// property managers may update their community's types (devicesPermissions, devices.policy.ts)
export const deviceTypeMessages: Messages = {
  'devices.type_platform_only': {
    zh: '平台通用设备类型只能由平台管理员创建或修改',
    en: 'Only a platform administrator may create or change a platform-wide device type',
  },
  'devices.type_not_found': { zh: '找不到该设备类型', en: 'No such device type' },
};

/** The whole platform: a record here is reachable only by a grant on "/". */
const PLATFORM = '/';

export const scopedTypeView = (t: DeviceTypeRow): ScopedDeviceTypeView => ({
  ...typeView(t),
  communityId: t.community_id,
  platformWide: !t.scope_path,
});

/** May a device at `placePath` use this type? */
export const typeUsableAt = (t: DeviceTypeRow, placePath: string) => !t.scope_path || placePath.startsWith(t.scope_path);

export class DeviceTypes {
  readonly repo: DevicesRepository;
  constructor(private k: Kernel) {
    this.repo = new DevicesRepository(k.db, k.database.dialect);
  }

  private visible(actor: Actor, t: DeviceTypeRow) {
    return !t.scope_path || this.k.authz.can(actor, 'read', 'DeviceType', { placePath: t.scope_path });
  }

  async list(actor: Actor) {
    const rows = await this.repo.types();
    return { items: rows.filter((t) => this.visible(actor, t)).map(scopedTypeView) };
  }

  async create(actor: Actor, input: CreateTypeInput, ip: string) {
    let scopePath: string | null = null;
    let communityId: string | null = null;
    if (input.communityId) {
      const c = await places.getPlace(this.k, input.communityId);
      if (!c || c.kind !== 'community' || !this.k.authz.can(actor, 'create', 'DeviceType', { placePath: c.path })) throw notFound('devices.place_not_found');
      scopePath = c.path;
      communityId = c.id;
    } else if (!this.k.authz.can(actor, 'create', 'DeviceType', { placePath: PLATFORM })) throw new AppError(403, 'devices.type_platform_only');
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    input.telemetry.forEach((t, i) => {
      if (seen.has(t.key)) errors.push({ field: `telemetry.${i}.key`, code: 'devices.key_duplicate', params: { value: t.key } });
      seen.add(t.key);
      if (t.min != null && t.max != null && t.min > t.max) errors.push({ field: `telemetry.${i}.min`, code: 'devices.range_invalid' });
    });
    if (errors.length) throw invalid(errors);
    // codes stay unique across the platform: telemetry, alarm rules and MQTT topics name a type by its code
    if (await this.repo.typeByCode(input.code)) throw conflict('devices.type_code_taken');
    const keys: TelemetryKey[] = input.telemetry.map((t) => ({
      key: t.key,
      unit: t.unit ?? '',
      min: t.min ?? null,
      max: t.max ?? null,
      zh: t.zh.trim(),
      en: t.en.trim(),
    }));
    const row: DeviceTypeRow = {
      id: newId('dty'),
      code: input.code,
      name_zh: input.nameZh.trim(),
      name_en: input.nameEn.trim(),
      telemetry: JSON.stringify(keys),
      heartbeat_s: input.heartbeatS ?? 120,
      builtin: 0,
      created_by: actor.userId,
      created_at: this.k.clock.now().toISOString(),
      scope_path: scopePath,
      community_id: communityId,
    };
    try {
      await this.k.db.transaction().execute(async (t) => {
        await this.repo.insertType(row, t);
        await this.k.audit.record(
          {
            actorId: actor.userId,
            actorName: actor.name,
            action: 'devices.type.create',
            targetType: 'device_type',
            targetId: row.id,
            scopePath: scopePath ?? undefined,
            ip,
            detail: { code: row.code, keys: keys.map((x) => x.key), communityId },
          },
          t,
        );
      });
    } catch (e) {
      if (await this.repo.typeByCode(input.code)) throw conflict('devices.type_code_taken'); // lost a race on the unique code
      throw e;
    }
    return scopedTypeView(row);
  }

  /** Names and heartbeat; the telemetry keys stay as made (stored readings and alarm rules depend on them). */
  async update(actor: Actor, id: string, input: UpdateTypeInput, ip: string) {
    const t = await this.repo.typeById(id);
    if (!t || !this.visible(actor, t)) throw notFound('devices.type_not_found');
    if (!this.k.authz.can(actor, 'update', 'DeviceType', { placePath: t.scope_path ?? PLATFORM })) {
      if (!t.scope_path) throw new AppError(403, 'devices.type_platform_only');
      throw notFound('devices.type_not_found');
    }
    const patch: { name_zh?: string; name_en?: string; heartbeat_s?: number } = {};
    if (input.nameZh !== undefined) patch.name_zh = input.nameZh.trim();
    if (input.nameEn !== undefined) patch.name_en = input.nameEn.trim();
    if (input.heartbeatS !== undefined) patch.heartbeat_s = input.heartbeatS;
    if (Object.keys(patch).length) {
      await this.k.db.transaction().execute(async (tx) => {
        await this.repo.updateType(id, patch, tx);
        await this.k.audit.record(
          {
            actorId: actor.userId,
            actorName: actor.name,
            action: 'devices.type.update',
            targetType: 'device_type',
            targetId: id,
            scopePath: t.scope_path ?? undefined,
            ip,
            detail: { fields: Object.keys(patch) },
          },
          tx,
        );
      });
    }
    return scopedTypeView({ ...t, ...patch });
  }

  /** Refuse a device placed (or moved) where its type does not apply, as an unknown type. */
  async assertUsable(typeIdOrCode: { id?: string; code?: string }, placeId: string) {
    const t = typeIdOrCode.id ? await this.repo.typeById(typeIdOrCode.id) : await this.repo.typeByCode(typeIdOrCode.code!);
    if (!t?.scope_path) return; // unknown (the service answers) or platform-wide
    const p = await places.getPlace(this.k, placeId);
    if (p && !typeUsableAt(t, p.path))
      throw invalid([{ field: typeIdOrCode.code ? 'typeCode' : 'placeId', code: 'devices.type_unknown', params: { value: t.code } }]);
  }
}
