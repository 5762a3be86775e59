// Alarm lifecycle (list, acknowledge, clear) and rule management. Records outside the actor's
// scope are 404; every change is audited in the transaction that makes it.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { newId } from '../../kernel/ids.js';
import { conflict, forbidden, invalid, notFound, type FieldError } from '../../kernel/http/errors.js';
import { places } from '../registry/index.js';
import { deviceTypeKeys, getDevice } from '../devices/index.js';
import type { AlarmEngine } from './alarms.engine.js';
import { AlarmsRepository, type AlarmRow, type RuleRow } from './alarms.repository.js';
import { keyFields, severities, validateDefinition, validateSchedule, type Definition, type Severity } from './alarms.rules.js';
import type { Static } from '@sinclair/typebox';
import type { AlarmPage, AlarmQuery, AlarmView, CreateRuleBody, RulePage, RuleQuery, RuleView, UpdateRuleBody } from './alarms.schema.js';
import { ALARM_ACKNOWLEDGED, ALARM_CLEARED, RULES_CHANGED, type AlarmAcknowledged, type AlarmCleared, type RulesChanged } from './alarms.events.js';

export function ruleView(r: RuleRow): Static<typeof RuleView> {
  return {
    id: r.id,
    deviceTypeCode: r.device_type_code,
    deviceId: r.device_id,
    code: r.code,
    name: r.name,
    enabled: !!r.enabled,
    definition: JSON.parse(r.definition),
    schedule: r.schedule ? JSON.parse(r.schedule) : null,
    createWorkOrder: !!r.create_work_order,
    workOrderCategory: r.work_order_category,
    placePath: r.place_path,
    builtIn: !!r.built_in,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function alarmView(a: AlarmRow, rule: RuleRow | undefined): Static<typeof AlarmView> {
  return {
    id: a.id,
    ruleId: a.rule_id,
    ruleCode: rule?.code ?? null,
    ruleName: rule?.name ?? null,
    deviceId: a.device_id,
    deviceName: a.device_name ?? a.device_id,
    deviceTypeCode: a.device_type_code,
    communityId: a.community_id,
    placePath: a.place_path,
    severity: a.severity,
    status: a.status,
    startedAt: a.started_at,
    lastValue: a.last_value,
    details: JSON.parse(a.details),
    acknowledgedAt: a.acknowledged_at,
    acknowledgedBy: a.acknowledged_by,
    acknowledgedByName: a.acknowledged_by_name,
    ackNote: a.ack_note,
    clearedAt: a.cleared_at,
    clearedBy: a.cleared_by,
    clearedByName: a.cleared_by_name,
    clearReason: a.clear_reason,
    createWorkOrder: !!rule?.create_work_order,
    workOrderCategory: rule?.work_order_category ?? null,
    createdAt: a.created_at,
    updatedAt: a.updated_at,
  };
}

export class AlarmsService {
  readonly repo: AlarmsRepository;
  constructor(
    private k: Kernel,
    private engine: AlarmEngine,
  ) {
    this.repo = engine.repo;
  }

  private async views(rows: AlarmRow[]) {
    const rules = new Map((await this.repo.rulesByIds([...new Set(rows.map((r) => r.rule_id))])).map((r) => [r.id, r]));
    return rows.map((a) => alarmView(a, rules.get(a.rule_id)));
  }

  /** An alarm the actor may act on; anything else is 404. */
  private async reachable(actor: Actor, action: string, id: string): Promise<AlarmRow> {
    const a = await this.repo.alarmById(id);
    if (!a || !this.k.authz.can(actor, 'read', 'Alarm', { placePath: a.place_path })) throw notFound('alarms.alarm_not_found');
    if (action !== 'read' && !this.k.authz.can(actor, action, 'Alarm', { placePath: a.place_path })) throw notFound('alarms.alarm_not_found');
    return a;
  }

  async list(actor: Actor, q: AlarmQuery): Promise<Static<typeof AlarmPage>> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let placePath: string | undefined;
    if (q.placeId) {
      const p = await places.getPlace(this.k, q.placeId);
      // an unknown place (or one outside the scope) simply matches nothing in scope
      placePath = p?.path ?? `/__none__/${q.placeId}/`;
    }
    const reach = this.k.authz.reach(actor, 'read', 'Alarm');
    const r = await this.repo.listAlarms({
      reach,
      filter: { status: q.status, severity: q.severity, deviceId: q.deviceId, placePath },
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const bySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
    let active = 0;
    let acknowledged = 0;
    for (const c of r.counts) {
      bySeverity[c.severity] = (bySeverity[c.severity] ?? 0) + c.n;
      if (c.status === 'active') active += c.n;
      else if (c.status === 'acknowledged') acknowledged += c.n;
    }
    return { items: await this.views(r.items), total: r.total, page, pageSize, totals: { open: active + acknowledged, active, acknowledged, bySeverity } };
  }

  async get(actor: Actor, id: string) {
    return (await this.views([await this.reachable(actor, 'read', id)]))[0];
  }

  async acknowledge(actor: Actor, id: string, note: string | undefined, ip: string) {
    const a = await this.reachable(actor, 'acknowledge', id);
    if (a.status !== 'active') throw conflict(a.status === 'cleared' ? 'alarms.already_cleared' : 'alarms.not_active');
    const now = this.k.clock.now().toISOString();
    await this.k.db.transaction().execute(async (trx) => {
      const ok = await this.repo.updateOpen(
        a.id,
        {
          status: 'acknowledged',
          acknowledged_at: now,
          acknowledged_by: actor.userId,
          acknowledged_by_name: actor.name,
          ack_note: note ?? null,
          updated_at: now,
        },
        trx,
        'active',
      );
      if (!ok) throw conflict('alarms.not_active');
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'alarms.alarm.acknowledge',
          targetType: 'Alarm',
          targetId: a.id,
          scopePath: a.place_path,
          ip,
          detail: { note: note ?? null },
        },
        trx,
      );
    });
    this.engine.alarmAcknowledged(a);
    await this.k.events.publish(ALARM_ACKNOWLEDGED, {
      alarmId: a.id,
      deviceId: a.device_id,
      ruleId: a.rule_id,
      communityId: a.community_id,
      placePath: a.place_path,
      by: actor.userId,
      at: now,
    } satisfies AlarmAcknowledged);
    return this.get(actor, id);
  }

  async clear(actor: Actor, id: string, reason: string, ip: string) {
    const a = await this.reachable(actor, 'clear', id);
    if (a.status === 'cleared') throw conflict('alarms.already_cleared');
    const now = this.k.clock.now().toISOString();
    await this.k.db.transaction().execute(async (trx) => {
      const ok = await this.repo.updateOpen(
        a.id,
        { status: 'cleared', open_key: null, cleared_at: now, cleared_by: actor.userId, cleared_by_name: actor.name, clear_reason: reason, updated_at: now },
        trx,
      );
      if (!ok) throw conflict('alarms.already_cleared');
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'alarms.alarm.clear',
          targetType: 'Alarm',
          targetId: a.id,
          scopePath: a.place_path,
          ip,
          detail: { reason, manual: true },
        },
        trx,
      );
    });
    this.engine.alarmCleared(a);
    await this.k.events.publish(ALARM_CLEARED, {
      alarmId: a.id,
      deviceId: a.device_id,
      ruleId: a.rule_id,
      communityId: a.community_id,
      placePath: a.place_path,
      reason,
      by: actor.userId,
      at: now,
    } satisfies AlarmCleared);
    return this.get(actor, id);
  }

  // ---------- rules ----------

  private async reachableRule(actor: Actor, action: string, id: string): Promise<RuleRow> {
    const r = await this.repo.ruleById(id);
    if (!r) throw notFound('alarms.rule_not_found');
    // type rules are visible to everyone who may read rules; overrides only within scope
    const visible =
      r.device_id === null ? this.k.authz.canSomewhere(actor, 'read', 'AlarmRule') : this.k.authz.can(actor, 'read', 'AlarmRule', { placePath: r.place_path });
    if (!visible) throw notFound('alarms.rule_not_found');
    if (action !== 'read' && !this.k.authz.can(actor, action, 'AlarmRule', { placePath: r.place_path })) {
      if (r.device_id === null) throw forbidden(); // a platform-wide rule: the caller sees it but may not change it
      throw notFound('alarms.rule_not_found');
    }
    return r;
  }

  async listRules(actor: Actor, q: RuleQuery): Promise<Static<typeof RulePage>> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const r = await this.repo.listRules({
      reach: this.k.authz.reach(actor, 'read', 'AlarmRule'),
      deviceTypeCode: q.deviceTypeCode,
      deviceId: q.deviceId,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { items: r.items.map(ruleView), total: r.total, page, pageSize };
  }

  async getRule(actor: Actor, id: string) {
    return ruleView(await this.reachableRule(actor, 'read', id));
  }

  /** Structure first; then the keys against the device type's profile (when the type is known). */
  private async checkDefinition(definition: unknown, schedule: unknown, typeCode: string) {
    const fields: FieldError[] = [...validateDefinition(definition), ...validateSchedule(schedule)];
    if (fields.length) throw invalid(fields);
    if (typeCode === '*') return;
    const known = await deviceTypeKeys(this.k, typeCode);
    if (!known) throw invalid([{ field: 'deviceTypeCode', code: 'alarms.unknown_type', params: { value: typeCode } }]);
    const names = new Set(known.map((x) => x.key));
    const unknown = keyFields(definition as Definition).filter((x) => !names.has(x.key));
    if (unknown.length) throw invalid(unknown.map((x) => ({ field: x.field, code: 'alarms.unknown_key', params: { key: x.key, type: typeCode } })));
  }

  async createRule(actor: Actor, b: CreateRuleBody, ip: string) {
    if (!b.deviceTypeCode && !b.deviceId) throw invalid([{ field: 'deviceTypeCode', code: 'alarms.type_or_device' }]);
    const fields: FieldError[] = [...validateDefinition(b.definition), ...validateSchedule(b.schedule)];
    if (fields.length) throw invalid(fields);
    let typeCode = b.deviceTypeCode!;
    let placePath = '/';
    if (b.deviceId) {
      const d = await getDevice(this.k, b.deviceId);
      if (!d) throw invalid([{ field: 'deviceId', code: 'alarms.device_not_found' }]);
      if (!this.k.authz.can(actor, 'create', 'AlarmRule', { placePath: d.placePath })) throw notFound('alarms.device_not_found');
      if (b.deviceTypeCode && b.deviceTypeCode !== d.typeCode && b.deviceTypeCode !== '*')
        throw invalid([{ field: 'deviceTypeCode', code: 'alarms.type_mismatch' }]);
      typeCode = d.typeCode;
      placePath = d.placePath;
    } else if (!this.k.authz.can(actor, 'create', 'AlarmRule', { placePath })) {
      throw forbidden();
    }
    await this.checkDefinition(b.definition, b.schedule, typeCode);
    const ruleKey = b.deviceId ? `dev:${b.deviceId}:${b.code}` : `type:${typeCode}:${b.code}`;
    if (await this.repo.ruleByKey(ruleKey)) throw conflict('alarms.rule_exists');
    const now = this.k.clock.now().toISOString();
    const row: RuleRow = {
      id: newId('rul'),
      rule_key: ruleKey,
      device_type_code: typeCode,
      device_id: b.deviceId ?? null,
      place_path: placePath,
      code: b.code,
      name: b.name,
      enabled: b.enabled === false ? 0 : 1,
      definition: JSON.stringify(b.definition),
      schedule: b.schedule ? JSON.stringify(b.schedule) : null,
      create_work_order: b.createWorkOrder ? 1 : 0,
      work_order_category: b.workOrderCategory ?? null,
      built_in: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.k.db.transaction().execute(async (trx) => {
        await this.repo.insertRule(row, trx);
        await this.k.audit.record(
          {
            actorId: actor.userId,
            actorName: actor.name,
            action: 'alarms.rule.create',
            targetType: 'AlarmRule',
            targetId: row.id,
            scopePath: placePath,
            ip,
            detail: { code: row.code, deviceTypeCode: typeCode, deviceId: row.device_id },
          },
          trx,
        );
      });
    } catch (err) {
      if (await this.repo.ruleByKey(ruleKey)) throw conflict('alarms.rule_exists'); // lost a race
      throw err;
    }
    await this.rulesChanged();
    return ruleView(row);
  }

  async updateRule(actor: Actor, id: string, b: UpdateRuleBody, ip: string) {
    const r = await this.reachableRule(actor, 'update', id);
    if (b.definition !== undefined || b.schedule !== undefined)
      await this.checkDefinition(b.definition ?? JSON.parse(r.definition), b.schedule === undefined ? null : b.schedule, r.device_type_code);
    const patch: Partial<RuleRow> = { updated_at: this.k.clock.now().toISOString() };
    if (b.name !== undefined) patch.name = b.name;
    if (b.enabled !== undefined) patch.enabled = b.enabled ? 1 : 0;
    if (b.definition !== undefined) patch.definition = JSON.stringify(b.definition);
    if (b.schedule !== undefined) patch.schedule = b.schedule ? JSON.stringify(b.schedule) : null;
    if (b.createWorkOrder !== undefined) patch.create_work_order = b.createWorkOrder ? 1 : 0;
    if (b.workOrderCategory !== undefined) patch.work_order_category = b.workOrderCategory;
    // a new condition or schedule starts its durations and counts afresh
    const reset = b.definition !== undefined || b.schedule !== undefined;
    if (reset) this.engine.forgetRuleState(id);
    await this.k.db.transaction().execute(async (trx) => {
      await this.repo.updateRule(id, patch, trx);
      if (reset) await this.repo.deleteRuleStates(id, trx);
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'alarms.rule.update',
          targetType: 'AlarmRule',
          targetId: id,
          scopePath: r.place_path,
          ip,
          detail: { changed: Object.keys(b) },
        },
        trx,
      );
    });
    await this.rulesChanged(reset ? id : null);
    return ruleView((await this.repo.ruleById(id))!);
  }

  /** Reload the rules here now, and on the other nodes through the bus. */
  private async rulesChanged(resetRuleId: string | null = null) {
    await this.engine.reloadRules();
    await this.k.events.publish(RULES_CHANGED, { resetRuleId, at: this.k.clock.now().toISOString() } satisfies RulesChanged);
  }
}
