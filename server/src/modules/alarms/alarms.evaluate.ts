// Evaluation of one alarm rule on one device (the engine's hot path, see alarms.engine.ts), and
// the alarm row a firing rule opens. Synchronous: the writes are returned as actions.
import type { Kernel } from '../../kernel/index.js';
import { newId } from '../../kernel/ids.js';
import { openKey, type AlarmRow } from './alarms.repository.js';
import type { Action } from './alarms.writer.js';
import { describeCondition, firstKey, inSchedule, severityRank, stepClause, type Severity } from './alarms.rules.js';
import type { CompiledClause, CompiledRule, DeviceCtx, RuleState } from './alarms.compile.js';

/** Record that a rule's state on a device changed (persisted with the next flush). */
export type MarkDirty = (ruleId: string, deviceId: string, st: RuleState) => void;

function stateOf(ruleId: string, ctx: DeviceCtx): RuleState {
  let s = ctx.states.get(ruleId);
  if (!s) {
    s = {};
    ctx.states.set(ruleId, s);
  }
  return s;
}

/**
 * Evaluate one rule on one device for the readings at `ts` (their keys in `keys`): updates the
 * rule state and the device's open alarms in memory, and pushes the alarm writes it causes.
 */
export function evaluateRule(kernel: Kernel, rule: CompiledRule, ctx: DeviceCtx, ts: number, keys: string[], actions: Action[], markDirty: MarkDirty): void {
  if (rule.kind === 'event') return; // raised by device events (alarms.event-alarms.ts), not readings
  if (rule.kind === 'no_data') {
    const nd = rule.noData!;
    if (nd.key !== null && !keys.includes(nd.key)) return;
    const st = stateOf(rule.id, ctx);
    if (st.last !== undefined && ts <= st.last) return;
    st.last = ts;
    const dev = st.dev;
    if (!dev || dev.t !== ctx.typeCode || dev.c !== ctx.communityId || dev.p !== ctx.placePath)
      st.dev = { t: ctx.typeCode, c: ctx.communityId, p: ctx.placePath };
    if (st.p === undefined || ts - st.p >= Math.min(nd.ms / 4, 60_000)) {
      st.p = ts; // persisted with the next flush
      markDirty(rule.id, ctx.id, st);
    }
    const open = ctx.open.get(rule.id);
    if (open) {
      ctx.open.delete(rule.id);
      actions.push({ kind: 'clear', id: open.id, rule, ctx, at: new Date(ts).toISOString(), reason: 'data_resumed' });
    }
    return;
  }
  let touches = false;
  for (const k of keys)
    if (rule.keys.has(k)) {
      touches = true;
      break;
    }
  if (!touches) return;
  const st = stateOf(rule.id, ctx);
  if (st.last !== undefined && ts < st.last) return; // a late reading does not rewind durations
  st.last = ts;
  const inside = inSchedule(rule.schedule, ts);
  let fired: CompiledClause | null = null;
  let changed = false;
  const counters = (st.c ??= {});
  for (const clause of rule.create) {
    const cs = (counters[clause.severity] ??= {});
    const r = stepClause(clause.spec, inside && clause.fn(ctx.values), ts, cs);
    if (r.changed) changed = true;
    if (r.fires && !fired) fired = clause;
  }
  const open = ctx.open.get(rule.id);
  if (fired) {
    const at = new Date(ts).toISOString();
    const key = firstKey(fired.condition);
    const lastValue = ctx.values.get(key) ?? null;
    const details = { key, condition: describeCondition(fired.condition), values: valuesOf(rule, ctx) };
    if (!open) {
      const row = newAlarmRow(kernel, rule, ctx, fired.severity, at, lastValue, details);
      ctx.open.set(rule.id, { id: row.id, severity: row.severity, status: 'active' });
      actions.push({ kind: 'create', row, rule });
    } else if (severityRank[fired.severity] > severityRank[open.severity]) {
      actions.push({ kind: 'upgrade', id: open.id, severity: fired.severity, previous: open.severity, rule, ctx, at, lastValue, details });
      open.severity = fired.severity;
    }
    if (st.x) {
      delete st.x;
      changed = true;
    }
  } else if (open && rule.clear) {
    const xs = (st.x ??= {});
    const r = stepClause(rule.clear.spec, rule.clear.fn(ctx.values), ts, xs);
    if (r.changed) changed = true;
    if (r.fires) {
      ctx.open.delete(rule.id);
      delete st.x;
      st.c = {};
      changed = true;
      actions.push({ kind: 'clear', id: open.id, rule, ctx, at: new Date(ts).toISOString(), reason: 'condition' });
    }
  } else if (st.x) {
    delete st.x;
    changed = true;
  }
  if (changed) markDirty(rule.id, ctx.id, st);
}

function valuesOf(rule: CompiledRule, ctx: DeviceCtx): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of rule.keys) {
    const v = ctx.values.get(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function newAlarmRow(
  kernel: Kernel,
  rule: CompiledRule,
  ctx: DeviceCtx,
  severity: Severity,
  startedAt: string,
  lastValue: number | null,
  details: Record<string, unknown>,
): AlarmRow {
  const now = kernel.clock.now().toISOString();
  return {
    id: newId('alm'),
    rule_id: rule.id,
    device_id: ctx.id,
    device_name: null,
    device_type_code: ctx.typeCode,
    community_id: ctx.communityId,
    place_path: ctx.placePath,
    severity,
    status: 'active',
    open_key: openKey(ctx.id, rule.id),
    started_at: startedAt,
    last_value: lastValue,
    details: JSON.stringify(details),
    acknowledged_at: null,
    acknowledged_by: null,
    acknowledged_by_name: null,
    ack_note: null,
    cleared_at: null,
    cleared_by: null,
    cleared_by_name: null,
    clear_reason: null,
    created_at: now,
    updated_at: now,
  };
}
