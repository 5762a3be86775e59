// Compiled alarm rules and the in-memory state the engine keeps per device (alarms.engine.ts).
import type { AlarmStatus, RuleRow } from './alarms.tables.js';
import {
  compileCondition,
  conditionKeys,
  severityRank,
  type ClauseState,
  type Condition,
  type Definition,
  type Schedule,
  type Severity,
  type Spec,
  type Values,
} from './alarms.rules.js';

/** A reading the devices module accepted (its type: the devices module publishes readings). */
export type { Reading } from '../devices/index.js';

export interface CompiledClause {
  severity: Severity;
  fn: (v: Values) => boolean;
  spec?: Spec;
  condition: Condition;
}

export interface CompiledRule {
  id: string;
  code: string;
  name: string;
  typeCode: string;
  deviceId: string | null;
  enabled: boolean;
  schedule: Schedule | null;
  createWorkOrder: boolean;
  workOrderCategory: string | null;
  kind: 'condition' | 'no_data' | 'event';
  create: CompiledClause[]; // most severe first
  clear: { fn: (v: Values) => boolean; spec?: Spec; condition: Condition } | null;
  keys: Set<string>;
  noData: { ms: number; severity: Severity; key: string | null } | null;
  /** event rules: never evaluated on readings, raised by raiseEventAlarm */
  event?: { name: string; severity: Severity };
}

/** State of one rule on one device (stored as JSON in alarm_rule_state). */
export interface RuleState {
  c?: Partial<Record<Severity, ClauseState>>; // create clause counters
  x?: ClauseState; // clear clause counters
  last?: number; // ts of the last reading evaluated (condition) / seen (no_data)
  dev?: { t: string; c: string; p: string }; // no_data: the device, so a restarted node can alarm on it
  p?: number; // no_data: the `last` that was persisted (not stored)
}

export interface DeviceCtx {
  id: string;
  typeCode: string;
  communityId: string;
  placePath: string;
  values: Values;
  rules: CompiledRule[] | null; // effective rules, cached until the rules change
  states: Map<string, RuleState>; // by rule id
  open: Map<string, OpenAlarm>; // by rule id
}

export interface OpenAlarm {
  id: string;
  severity: Severity;
  status: AlarmStatus;
}

export function compileRule(r: RuleRow): CompiledRule {
  const def = JSON.parse(r.definition) as Definition;
  const base = {
    id: r.id,
    code: r.code,
    name: r.name,
    typeCode: r.device_type_code,
    deviceId: r.device_id,
    enabled: !!r.enabled,
    schedule: r.schedule ? (JSON.parse(r.schedule) as Schedule) : null,
    createWorkOrder: !!r.create_work_order,
    workOrderCategory: r.work_order_category,
  };
  if (def.type === 'event') {
    return { ...base, kind: 'event', create: [], clear: null, keys: new Set(), noData: null, event: { name: def.event, severity: def.severity } };
  }
  if (def.type === 'no_data') {
    return {
      ...base,
      kind: 'no_data',
      create: [],
      clear: null,
      keys: new Set(def.key ? [def.key] : []),
      noData: { ms: def.seconds * 1000, severity: def.severity, key: def.key ?? null },
    };
  }
  const keys = new Set<string>();
  const create: CompiledClause[] = [];
  for (const [sev, c] of Object.entries(def.create) as [Severity, { condition: Condition; spec?: Spec }][]) {
    if (!c) continue;
    conditionKeys(c.condition, keys);
    create.push({ severity: sev, fn: compileCondition(c.condition), spec: c.spec, condition: c.condition });
  }
  create.sort((a, b) => severityRank[b.severity] - severityRank[a.severity]);
  let clear: CompiledRule['clear'] = null;
  if (def.clear) {
    conditionKeys(def.clear.condition, keys);
    clear = { fn: compileCondition(def.clear.condition), spec: def.clear.spec, condition: def.clear.condition };
  }
  return { ...base, kind: 'condition', create, clear, keys, noData: null };
}
