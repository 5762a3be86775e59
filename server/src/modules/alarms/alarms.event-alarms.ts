// Event alarms: alarms raised by a device event (a door forced open, a tamper switch) rather than
// by telemetry rules. The rule is an "event" rule of the device's type (built-in ones in
// migration 0014, overridable per device like any rule); the alarm has the same row, lifecycle
// (active → acknowledged → cleared), audit, domain events and live-feed notification as a
// telemetry alarm, written by the same writer. One open alarm per (device, rule): a repeat of
// the event while the alarm is open opens no second one (the `open_key` unique constraint).
import type { Kernel } from '../../kernel/index.js';
import { getDevice } from '../devices/index.js';
import { AlarmsRepository, openKey, type AlarmRow } from './alarms.repository.js';
import { applyActions } from './alarms.writer.js';
import { compileRule, type CompiledRule } from './alarms.compile.js';
import { newAlarmRow } from './alarms.evaluate.js';
import type { AlarmEngine } from './alarms.engine.js';

export interface EventAlarmInput {
  deviceId: string;
  /** the event kind, e.g. "door_forced"; matched against the event rules of the device's type */
  event: string;
  /** when it happened (ISO); default now */
  at?: string;
  /** stored with the alarm; `place` (a short text such as the door's name) is shown in the notification */
  details?: Record<string, unknown>;
}

export interface EventAlarmResult {
  alarmId: string;
  /** false: an alarm for this device and event was already open (nothing new was opened) */
  created: boolean;
}

/** The enabled event rule for this device and event kind (a per-device override wins), or null. */
async function eventRule(k: Kernel, engine: AlarmEngine | null, deviceId: string, typeCode: string, event: string): Promise<CompiledRule | null> {
  let rules: CompiledRule[];
  if (engine) rules = engine.effectiveRules(deviceId, typeCode);
  else {
    // no running engine (a tool or a test without the module): the same choice from the table
    const byCode = new Map<string, CompiledRule>();
    const rows = (await new AlarmsRepository(k.db).allRules()).filter((r) => r.device_type_code === typeCode || r.device_id === deviceId);
    for (const r of rows.sort((a, b) => Number(!!a.device_id) - Number(!!b.device_id))) {
      try {
        byCode.set(r.code, compileRule(r));
      } catch {
        /* a broken rule is the engine's to report */
      }
    }
    rules = [...byCode.values()].filter((r) => r.enabled);
  }
  return rules.find((r) => r.kind === 'event' && r.event?.name === event) ?? null;
}

/**
 * Raise the event alarm of a device. Returns null when no enabled event rule of the device's type
 * names this event (or the device is unknown); otherwise the open alarm and whether it is new.
 */
export async function raiseEventAlarm(k: Kernel, engine: AlarmEngine | null, input: EventAlarmInput): Promise<EventAlarmResult | null> {
  const dev = await getDevice(k, input.deviceId);
  if (!dev) return null;
  const rule = await eventRule(k, engine, dev.id, dev.typeCode, input.event);
  if (!rule) return null;
  const repo = engine?.repo ?? new AlarmsRepository(k.db);
  const existing = await repo.openByKey(openKey(dev.id, rule.id));
  if (existing) return { alarmId: existing.id, created: false };
  const at = input.at ?? k.clock.now().toISOString();
  const ctx = {
    id: dev.id,
    typeCode: dev.typeCode,
    communityId: dev.communityId,
    placePath: dev.placePath,
    values: new Map(),
    rules: null,
    states: new Map(),
    open: new Map(),
  };
  const row: AlarmRow = newAlarmRow(k, rule, ctx, rule.event!.severity, at, null, { event: input.event, ...input.details });
  const { conflicts } = await applyActions(k, repo, [{ kind: 'create', row, rule }], engine?.stats ?? { alarmsCreated: 0, alarmsCleared: 0 });
  if (!conflicts.length) return { alarmId: row.id, created: true };
  // opened concurrently (another node, another event): that one is the alarm
  const winner = await repo.openByKey(row.open_key!);
  return winner ? { alarmId: winner.id, created: false } : null;
}

/** Clear the open event alarm of a device (by the system, e.g. the door closed again); true when one was cleared. */
export async function clearEventAlarm(
  k: Kernel,
  engine: AlarmEngine | null,
  input: { deviceId: string; event: string; reason?: string; at?: string },
): Promise<boolean> {
  const dev = await getDevice(k, input.deviceId);
  if (!dev) return false;
  const rule = await eventRule(k, engine, dev.id, dev.typeCode, input.event);
  if (!rule) return false;
  const repo = engine?.repo ?? new AlarmsRepository(k.db);
  const open = await repo.openByKey(openKey(dev.id, rule.id));
  if (!open) return false;
  const stats = engine?.stats ?? { alarmsCreated: 0, alarmsCleared: 0 };
  const n0 = stats.alarmsCleared;
  await applyActions(
    k,
    repo,
    [
      {
        kind: 'clear',
        id: open.id,
        rule,
        ctx: { id: dev.id, communityId: dev.communityId, placePath: dev.placePath },
        at: input.at ?? k.clock.now().toISOString(),
        reason: input.reason ?? 'event_cleared',
      },
    ],
    stats,
  );
  return stats.alarmsCleared > n0;
}
