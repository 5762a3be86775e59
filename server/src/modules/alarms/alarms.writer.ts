// Writing what the engine decided: alarm rows and their audit entries in one transaction per
// batch, then the announcements (domain events, the console live feed through notifications).
import type { Kernel } from '../../kernel/index.js';
import type { EventToken } from '../../kernel/events/index.js';
import type { Db } from '../../kernel/db/index.js';
import type { AuditEntry } from '../../kernel/audit/index.js';
import { t } from '../../kernel/http/i18n.js';
import type { NotificationInput } from '../../kernel/notify/index.js';
import { usersCovering } from '../identity/index.js';
import { getDevice } from '../devices/index.js';
import type { AlarmsRepository, AlarmRow } from './alarms.repository.js';
import type { CompiledRule } from './alarms.compile.js';
import type { Severity } from './alarms.rules.js';
import { ALARM_CLEARED, ALARM_CREATED, ALARM_UPGRADED, type AlarmCleared, type AlarmCreated, type AlarmUpgraded } from './alarms.events.js';

/** The device an alarm change is about. */
export interface DeviceRef {
  id: string;
  communityId: string;
  placePath: string;
}

export type Action =
  | { kind: 'create'; row: AlarmRow; rule: CompiledRule }
  | {
      kind: 'upgrade';
      id: string;
      severity: Severity;
      previous: Severity;
      rule: CompiledRule;
      ctx: DeviceRef;
      at: string;
      lastValue: number | null;
      details: Record<string, unknown>;
    }
  | { kind: 'clear'; id: string; rule: CompiledRule; ctx: DeviceRef; at: string; reason: string };

/** A severity's name in both languages (a notification parameter, shown in the reader's language). */
const severityTitle = (s: Severity) => ({ zh: t('zh-CN', `alarms.severity.${s}`), en: t('en', `alarms.severity.${s}`) });

export async function deviceName(k: Kernel, id: string, db: Db = k.db): Promise<string | null> {
  try {
    return (await getDevice(k, id, db))?.name ?? null;
  } catch {
    return null;
  }
}

/**
 * Write one batch's alarm changes in one transaction with their audit rows and the notifications
 * to on-duty staff, then publish the domain events and the live pushes through the outbox.
 * Everything shares one transaction because on SQLite every separate statement waits its turn
 * behind the ingest pipeline's batch writes (alarm latency, docs/performance.md).
 * Returns the new alarms that lost to an alarm another node opened first.
 */
export async function applyActions(
  k: Kernel,
  repo: AlarmsRepository,
  actions: Action[],
  stats: { alarmsCreated: number; alarmsCleared: number },
): Promise<{ conflicts: AlarmRow[] }> {
  const conflicts: AlarmRow[] = [];
  const now = k.clock.now().toISOString();
  let created = 0;
  let cleared = 0;
  // the domain events and live pushes go out through the outbox: recorded with the change, published after it
  await k.outbox.transaction(async (trx) => {
    const audit: AuditEntry[] = [];
    const record = <T>(name: EventToken<T>, payload: T) => k.outbox.add(trx, name, payload);
    const staff = new Map<string, string[]>();
    const notify = async (placePath: string, n: NotificationInput) => {
      let users = staff.get(placePath);
      if (!users) staff.set(placePath, (users = (await usersCovering(k, placePath, [...ON_DUTY], trx)).map((u) => u.userId)));
      await k.notify.sendIn(trx, users, n);
    };
    for (const a of actions) {
      if (a.kind === 'create') {
        a.row.device_name = await deviceName(k, a.row.device_id, trx);
        if (await repo.insertAlarmIfNone(a.row, trx)) {
          created++;
          await record(ALARM_CREATED, createdPayload(a));
          audit.push({
            actorId: null,
            actorName: 'system',
            action: 'alarms.alarm.create',
            targetType: 'Alarm',
            targetId: a.row.id,
            scopePath: a.row.place_path,
            detail: { ruleId: a.rule.id, deviceId: a.row.device_id, severity: a.row.severity, startedAt: a.row.started_at },
          });
          await notify(a.row.place_path, createdNotice(a));
        } else conflicts.push(a.row);
      } else if (a.kind === 'upgrade') {
        if (
          await repo.updateOpen(
            a.id,
            { severity: a.severity, last_value: a.lastValue, details: JSON.stringify({ ...a.details, upgradedFrom: a.previous }), updated_at: now },
            trx,
          )
        ) {
          await record<AlarmUpgraded>(ALARM_UPGRADED, {
            alarmId: a.id,
            deviceId: a.ctx.id,
            ruleId: a.rule.id,
            severity: a.severity,
            previousSeverity: a.previous,
            communityId: a.ctx.communityId,
            placePath: a.ctx.placePath,
            at: a.at,
          });
          audit.push({
            actorId: null,
            actorName: 'system',
            action: 'alarms.alarm.upgrade',
            targetType: 'Alarm',
            targetId: a.id,
            scopePath: a.ctx.placePath,
            detail: { from: a.previous, to: a.severity, at: a.at },
          });
          const name = (await deviceName(k, a.ctx.id, trx)) ?? a.ctx.id;
          await notify(a.ctx.placePath, {
            kind: 'alarm_upgraded',
            code: 'alarms.notify.title',
            bodyCode: 'alarms.notify.upgraded_body',
            params: { severity: severityTitle(a.severity), rule: a.rule.name, device: name, from: severityTitle(a.previous), to: severityTitle(a.severity) },
            link: `/alarms/${a.id}`,
          });
        }
      } else {
        if (
          await repo.updateOpen(a.id, { status: 'cleared', open_key: null, cleared_at: a.at, cleared_by: null, clear_reason: a.reason, updated_at: now }, trx)
        ) {
          cleared++;
          await record<AlarmCleared>(ALARM_CLEARED, {
            alarmId: a.id,
            deviceId: a.ctx.id,
            ruleId: a.rule.id,
            communityId: a.ctx.communityId,
            placePath: a.ctx.placePath,
            reason: a.reason,
            by: null,
            at: a.at,
          });
          audit.push({
            actorId: null,
            actorName: 'system',
            action: 'alarms.alarm.clear',
            targetType: 'Alarm',
            targetId: a.id,
            scopePath: a.ctx.placePath,
            detail: { reason: a.reason, at: a.at },
          });
        }
      }
    }
    await k.audit.recordMany(audit, trx);
  });
  stats.alarmsCreated += created;
  stats.alarmsCleared += cleared;
  return { conflicts };
}

/** Who hears of an alarm: the on-duty roles covering its place. */
const ON_DUTY = ['property_manager', 'technician', 'security_guard'] as const;

function createdPayload(a: Extract<Action, { kind: 'create' }>): AlarmCreated {
  const r = a.row;
  return {
    alarmId: r.id,
    deviceId: r.device_id,
    deviceName: r.device_name ?? r.device_id,
    ruleId: a.rule.id,
    ruleName: a.rule.name,
    severity: r.severity,
    communityId: r.community_id,
    placePath: r.place_path,
    createWorkOrder: a.rule.createWorkOrder,
    workOrderCategory: a.rule.workOrderCategory,
    at: r.started_at,
  };
}

function createdNotice(a: Extract<Action, { kind: 'create' }>): NotificationInput {
  const r = a.row;
  return {
    kind: 'alarm',
    code: 'alarms.notify.title',
    params: {
      severity: severityTitle(r.severity as Severity),
      rule: a.rule.name,
      text: `${r.device_name ?? r.device_id}${r.last_value !== null ? ` · ${JSON.parse(r.details).condition ?? ''} (${r.last_value})` : placeOf(r)}`,
    },
    link: `/alarms/${r.id}`,
  };
}

/** Event alarms may name where on the device it happened (e.g. the door of a door controller). */
function placeOf(r: AlarmRow): string {
  const place = (JSON.parse(r.details) as { place?: unknown }).place;
  return typeof place === 'string' && place ? ` · ${place}` : '';
}
