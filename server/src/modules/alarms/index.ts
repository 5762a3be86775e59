// Alarms module: rules over device telemetry, the engine that evaluates them on ingest, and the
// alarm lifecycle (active → acknowledged → cleared). Other modules use the exports below and the
// domain events alarms.alarm.created / .upgraded / .acknowledged / .cleared.
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { telemetryHub, type Reading } from '../devices/index.js';
import { alarmsMessages, alarmsPermissions } from './alarms.policy.js';
import { AlarmEngine } from './alarms.engine.js';
import { AlarmsService } from './alarms.service.js';
import { registerAlarmRoutes } from './alarms.routes.js';
import { raiseEventAlarm, clearEventAlarm, type EventAlarmInput, type EventAlarmResult } from './alarms.event-alarms.js';
import { ALARM_ACKNOWLEDGED, ALARM_CLEARED, ALARM_CREATED, ALARM_UPGRADED, RULES_CHANGED } from './alarms.events.js';

export { AlarmEngine, compileRule } from './alarms.engine.js';
export { ALARM_ACKNOWLEDGED, ALARM_CLEARED, ALARM_CREATED, ALARM_UPGRADED, RULES_CHANGED } from './alarms.events.js';
export type { AlarmAcknowledged, AlarmCleared, AlarmCreated, AlarmUpgraded, RulesChanged } from './alarms.events.js';
export { alarmsMessages, alarmsPermissions } from './alarms.policy.js';
export { AlarmsService } from './alarms.service.js';
export type { Definition, Condition, Spec, Schedule, Severity } from './alarms.rules.js';
export type { EventAlarmInput, EventAlarmResult } from './alarms.event-alarms.js';

/**
 * Raise the alarm of a device event (e.g. a door controller's "door_forced"): one open alarm per
 * (device, event kind) through the event rule of the device's type (migration 0014; disabled rule
 * → null); same lifecycle, audit and live-feed notification as telemetry alarms. A repeat while
 * it is open returns the open alarm with `created: false`.
 */
export const raiseDeviceEventAlarm = (k: Kernel, input: EventAlarmInput): Promise<EventAlarmResult | null> => raiseEventAlarm(k, alarmEngine(k), input);
/** Clear a device's open event alarm as the system (e.g. the door closed); true when one was cleared. */
export const clearDeviceEventAlarm = (k: Kernel, input: { deviceId: string; event: string; reason?: string; at?: string }): Promise<boolean> =>
  clearEventAlarm(k, alarmEngine(k), input);

const engines = new WeakMap<Kernel, AlarmEngine>();

/** The running alarm engine of this app (for the devices module, the simulator and benchmarks). */
export function alarmEngine(k: Kernel): AlarmEngine | null {
  return engines.get(k) ?? null;
}

export const NO_DATA_JOB = 'alarms.no-data';

export const alarmsModule: Module = {
  name: 'alarms',
  summary:
    'Alarm rules over device telemetry and device events, the engine that evaluates them on ingest, and the alarm lifecycle (active, acknowledged, cleared)',
  url: import.meta.url,
  permissions: alarmsPermissions,
  messages: alarmsMessages,
  publishes: [ALARM_CREATED, ALARM_UPGRADED, ALARM_ACKNOWLEDGED, ALARM_CLEARED, RULES_CHANGED],
  // its own lifecycle events, made on other nodes
  subscribes: [RULES_CHANGED, ALARM_CLEARED, ALARM_ACKNOWLEDGED],
  jobs: [NO_DATA_JOB],
  matrix: 'alarms.authz-rows.js',
  docs: 'docs/api/alarms.md',
  async register(app, k) {
    const engine = new AlarmEngine(k);
    await engine.start();
    engines.set(k, engine);
    const svc = new AlarmsService(k, engine);
    registerAlarmRoutes(app, svc);

    k.jobs.register({ name: NO_DATA_JOB, everyMs: 5000, run: async ({ now }) => engine.checkNoData(now) });

    // rule changes and manual lifecycle steps made on other nodes
    const unsubs = [
      k.events.subscribe(RULES_CHANGED, async (e) => {
        if (e.origin === k.config.nodeId) return;
        if (e.payload.resetRuleId) engine.forgetRuleState(e.payload.resetRuleId);
        await engine.reloadRules();
      }),
      k.events.subscribe(ALARM_CLEARED, (e) => {
        if (e.origin !== k.config.nodeId) engine.alarmCleared({ id: e.payload.alarmId, device_id: e.payload.deviceId, rule_id: e.payload.ruleId });
      }),
      k.events.subscribe(ALARM_ACKNOWLEDGED, (e) => {
        if (e.origin !== k.config.nodeId) engine.alarmAcknowledged({ device_id: e.payload.deviceId, rule_id: e.payload.ruleId });
      }),
    ];

    // readings the devices module accepted (evaluated before they are stored, so an alarm does not
    // wait for the batch write; duplicates are skipped by the engine); never throw into the ingest path
    const hub = telemetryHub(k);
    const onReadings = (batch: Reading[]) => {
      try {
        engine.onReadings(batch).catch((err) => k.log.error({ err }, 'alarms: writing alarms failed'));
      } catch (err) {
        k.log.error({ err }, 'alarms: evaluation failed');
      }
    };
    hub.on('accepted', onReadings);
    const detach = () => hub.off('accepted', onReadings);

    // preClose, not onClose: the app's own onClose (registered after the modules, run before them)
    // closes the event bus and the database, and the engine must write its last state first.
    // Readings the devices module flushes while closing are stored but no longer evaluated.
    app.addHook('preClose', async () => {
      detach();
      for (const u of unsubs) u();
      await engine.close();
      engines.delete(k);
    });
  },
};
