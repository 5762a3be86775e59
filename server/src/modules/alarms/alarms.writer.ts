// Writing what the engine decided: alarm rows and their audit entries in one transaction per
// batch, then the announcements (domain events, the console live feed through notifications).
import type { Kernel } from '../../kernel/index.js';
import type { AuditEntry } from '../../kernel/audit/index.js';
import { usersCovering } from '../identity/index.js';
import { getDevice } from '../devices/index.js';
import type { AlarmsRepository, AlarmRow } from './alarms.repository.js';
import type { CompiledRule } from './alarms.engine.js';
import type { Severity } from './alarms.rules.js';

/** The device an alarm change is about. */
export interface DeviceRef {
  id: string;
  communityId: string;
  placePath: string;
}

export type Action =
  | { kind: 'create'; row: AlarmRow; rule: CompiledRule }
  | { kind: 'upgrade'; id: string; severity: Severity; previous: Severity; rule: CompiledRule; ctx: DeviceRef; at: string; lastValue: number | null; details: Record<string, unknown> }
  | { kind: 'clear'; id: string; rule: CompiledRule; ctx: DeviceRef; at: string; reason: string };

const severityTitle: Record<Severity, string> = { critical: '严重告警', major: '重要告警', minor: '次要告警', warning: '警告' };

export async function deviceName(k: Kernel, id: string): Promise<string | null> {
  try {
    return (await getDevice(k, id))?.name ?? null;
  } catch {
    return null;
  }
}

/**
 * Write one batch's alarm changes in one transaction with their audit rows, then announce them
 * (domain events, notifications to on-duty staff). Returns the new alarms that lost to an alarm
 * another node opened first.
 */
export async function applyActions(k: Kernel, repo: AlarmsRepository, actions: Action[], stats: { alarmsCreated: number; alarmsCleared: number }): Promise<{ conflicts: AlarmRow[] }> {
  for (const a of actions) if (a.kind === 'create') a.row.device_name = await deviceName(k, a.row.device_id);
  const created: Action[] = [];
  const done: Action[] = [];
  const conflicts: AlarmRow[] = [];
  const now = k.clock.now().toISOString();
  const outboxIds: string[] = [];
  await k.db.transaction().execute(async (trx) => {
    const audit: AuditEntry[] = [];
    // the domain events go out through the outbox: recorded with the change, published after it
    const record = async (name: string, payload: unknown) => void outboxIds.push(await k.outbox.add(trx, name, payload));
    for (const a of actions) {
      if (a.kind === 'create') {
        if (await repo.insertAlarmIfNone(a.row, trx)) {
          created.push(a);
          await record('alarms.alarm.created', createdPayload(a));
          audit.push({ actorId: null, actorName: 'system', action: 'alarms.alarm.create', targetType: 'Alarm', targetId: a.row.id, scopePath: a.row.place_path, detail: { ruleId: a.rule.id, deviceId: a.row.device_id, severity: a.row.severity, startedAt: a.row.started_at } });
        } else conflicts.push(a.row);
      } else if (a.kind === 'upgrade') {
        if (await repo.updateOpen(a.id, { severity: a.severity, last_value: a.lastValue, details: JSON.stringify({ ...a.details, upgradedFrom: a.previous }), updated_at: now }, trx)) {
          done.push(a);
          await record('alarms.alarm.upgraded', { alarmId: a.id, deviceId: a.ctx.id, ruleId: a.rule.id, severity: a.severity, previousSeverity: a.previous, communityId: a.ctx.communityId, placePath: a.ctx.placePath, at: a.at });
          audit.push({ actorId: null, actorName: 'system', action: 'alarms.alarm.upgrade', targetType: 'Alarm', targetId: a.id, scopePath: a.ctx.placePath, detail: { from: a.previous, to: a.severity, at: a.at } });
        }
      } else {
        if (await repo.updateOpen(a.id, { status: 'cleared', open_key: null, cleared_at: a.at, cleared_by: null, clear_reason: a.reason, updated_at: now }, trx)) {
          done.push(a);
          await record('alarms.alarm.cleared', { alarmId: a.id, deviceId: a.ctx.id, ruleId: a.rule.id, communityId: a.ctx.communityId, placePath: a.ctx.placePath, reason: a.reason, by: null, at: a.at });
          audit.push({ actorId: null, actorName: 'system', action: 'alarms.alarm.clear', targetType: 'Alarm', targetId: a.id, scopePath: a.ctx.placePath, detail: { reason: a.reason, at: a.at } });
        }
      }
    }
    await k.audit.recordMany(audit, trx);
  });
  await k.outbox.relay(outboxIds);
  for (const a of created) await announceCreated(k, a as Extract<Action, { kind: 'create' }>, stats);
  for (const a of done) await announce(k, a, stats);
  return { conflicts };
}

function createdPayload(a: Extract<Action, { kind: 'create' }>) {
  const r = a.row;
  return {
    alarmId: r.id, deviceId: r.device_id, deviceName: r.device_name ?? r.device_id, ruleId: a.rule.id, ruleName: a.rule.name,
    severity: r.severity, communityId: r.community_id, placePath: r.place_path,
    createWorkOrder: a.rule.createWorkOrder, workOrderCategory: a.rule.workOrderCategory, at: r.started_at,
  };
}

async function announceCreated(k: Kernel, a: Extract<Action, { kind: 'create' }>, stats: { alarmsCreated: number }): Promise<void> {
  const r = a.row;
  stats.alarmsCreated++;
  try {
    await notifyStaff(k, r.place_path, {
      kind: 'alarm',
      title: `${severityTitle[r.severity]}：${a.rule.name}`,
      body: `${r.device_name ?? r.device_id}${r.last_value !== null ? ` · ${JSON.parse(r.details).condition ?? ''} (${r.last_value})` : placeOf(r)}`,
      link: `/alarms/${r.id}`,
    });
  } catch (err) {
    k.log.error({ err, alarmId: r.id }, 'alarms: could not announce a new alarm');
  }
}

/** Event alarms may name where on the device it happened (e.g. the door of a door controller). */
function placeOf(r: AlarmRow): string {
  const place = (JSON.parse(r.details) as { place?: unknown }).place;
  return typeof place === 'string' && place ? ` · ${place}` : '';
}

async function announce(k: Kernel, a: Action, stats: { alarmsCleared: number }): Promise<void> {
  try {
    if (a.kind === 'upgrade') {
      const name = (await deviceName(k, a.ctx.id)) ?? a.ctx.id;
      await notifyStaff(k, a.ctx.placePath, { kind: 'alarm_upgraded', title: `${severityTitle[a.severity]}：${a.rule.name}`, body: `${name} · ${severityTitle[a.previous]} → ${severityTitle[a.severity]}`, link: `/alarms/${a.id}` });
    } else if (a.kind === 'clear') {
      stats.alarmsCleared++;
    }
  } catch (err) {
    k.log.error({ err }, 'alarms: could not announce an alarm change');
  }
}

async function notifyStaff(k: Kernel, placePath: string, n: { kind: string; title: string; body: string; link: string }) {
  const users = await usersCovering(k, placePath, ['property_manager', 'technician', 'security_guard']);
  await k.notify.send(users.map((u) => u.userId), n);
}
