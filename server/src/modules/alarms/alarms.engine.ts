// The alarm engine: evaluates batches of telemetry readings against the rules on the ingest hot
// path. Everything it needs per reading lives in memory (rules per type code, effective rules per
// device, the device's latest values, rule state, open alarms); the database is touched only when
// an alarm changes (one transaction per batch) and, debounced, to persist changed rule state so
// durations and counters continue after a restart. Evaluation is synchronous; the writes it causes
// are queued and run one batch at a time, so a slow database never blocks evaluation.
import type { Kernel } from '../../kernel/index.js';
import { newId } from '../../kernel/ids.js';
import { listDevices } from '../devices/index.js';
import { AlarmsRepository, openKey, type AlarmRow, type AlarmStatus, type RuleRow, type StateRow } from './alarms.repository.js';
import { applyActions, type Action } from './alarms.writer.js';
import {
  compileCondition, conditionKeys, describeCondition, firstKey, inSchedule, severityRank, stepClause,
  type ClauseState, type Condition, type Definition, type Schedule, type Severity, type Spec, type Values,
} from './alarms.rules.js';

export interface Reading {
  deviceId: string;
  deviceTypeCode: string;
  communityId: string;
  placePath: string;
  key: string;
  ts: number; // ms
  value: number;
}

interface CompiledClause {
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
  kind: 'condition' | 'no_data';
  create: CompiledClause[]; // most severe first
  clear: { fn: (v: Values) => boolean; spec?: Spec; condition: Condition } | null;
  keys: Set<string>;
  noData: { ms: number; severity: Severity; key: string | null } | null;
}

/** State of one rule on one device (stored as JSON in alarm_rule_state). */
interface RuleState {
  c?: Partial<Record<Severity, ClauseState>>; // create clause counters
  x?: ClauseState; // clear clause counters
  last?: number; // ts of the last reading evaluated (condition) / seen (no_data)
  dev?: { t: string; c: string; p: string }; // no_data: the device, so a restarted node can alarm on it
  p?: number; // no_data: the `last` that was persisted (not stored)
}

interface DeviceCtx {
  id: string;
  typeCode: string;
  communityId: string;
  placePath: string;
  values: Values;
  rules: CompiledRule[] | null; // effective rules, cached until the rules change
  states: Map<string, RuleState>; // by rule id
  open: Map<string, OpenAlarm>; // by rule id
}

interface OpenAlarm {
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
  if (def.type === 'no_data') {
    return { ...base, kind: 'no_data', create: [], clear: null, keys: new Set(def.key ? [def.key] : []), noData: { ms: def.seconds * 1000, severity: def.severity, key: def.key ?? null } };
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

const stateKey = (ruleId: string, deviceId: string) => `${ruleId}|${deviceId}`;

export interface EngineOptions {
  /** Debounce of rule-state persistence (ms). */
  flushDelayMs?: number;
}

export class AlarmEngine {
  readonly repo: AlarmsRepository;
  private typeRules = new Map<string, CompiledRule[]>();
  private deviceRules = new Map<string, CompiledRule[]>();
  private devices = new Map<string, DeviceCtx>();
  private dirty = new Map<string, RuleState>(); // "ruleId|deviceId" → state to persist
  private writes: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private flushDelayMs: number;
  /** Counters for operators and benchmarks. */
  readonly stats = { readings: 0, alarmsCreated: 0, alarmsCleared: 0, writeErrors: 0 };

  constructor(private k: Kernel, opts: EngineOptions = {}) {
    this.repo = new AlarmsRepository(k.db);
    this.flushDelayMs = opts.flushDelayMs ?? 500;
  }

  /** Load rules, persisted rule state and open alarms. */
  async start(): Promise<void> {
    await this.reloadRules();
    for (const s of await this.repo.allStates()) {
      const st = JSON.parse(s.state) as RuleState;
      st.p = st.last;
      const ctx = this.bareCtx(s.device_id, st.dev ? { typeCode: st.dev.t, communityId: st.dev.c, placePath: st.dev.p } : null);
      ctx.states.set(s.rule_id, st);
    }
    await this.reloadOpen();
  }

  /** The device's context, created without its place when it is not known yet (filled by its first reading). */
  private bareCtx(id: string, where: { typeCode: string; communityId: string; placePath: string } | null): DeviceCtx {
    let d = this.devices.get(id);
    if (!d) {
      d = { id, typeCode: where?.typeCode ?? '', communityId: where?.communityId ?? '', placePath: where?.placePath ?? '', values: new Map(), rules: null, states: new Map(), open: new Map() };
      this.devices.set(id, d);
    } else if (where && !d.placePath) {
      Object.assign(d, where);
      d.rules = null;
    }
    return d;
  }

  async reloadRules(): Promise<void> {
    const rows = await this.repo.allRules();
    const typeRules = new Map<string, CompiledRule[]>();
    const deviceRules = new Map<string, CompiledRule[]>();
    for (const r of rows) {
      let c: CompiledRule;
      try {
        c = compileRule(r);
      } catch (err) {
        this.k.log.error({ err, ruleId: r.id }, 'alarms: cannot compile rule');
        continue;
      }
      const m = r.device_id ? deviceRules : typeRules;
      const k = r.device_id ?? r.device_type_code;
      m.set(k, [...(m.get(k) ?? []), c]);
    }
    this.typeRules = typeRules;
    this.deviceRules = deviceRules;
    for (const d of this.devices.values()) d.rules = null;
  }

  /** Rules that apply to a device: type rules ("*" and its type), replaced by its overrides of the same code; enabled only. */
  effectiveRules(deviceId: string, typeCode: string): CompiledRule[] {
    const byCode = new Map<string, CompiledRule>();
    for (const r of this.typeRules.get('*') ?? []) byCode.set(r.code, r);
    for (const r of this.typeRules.get(typeCode) ?? []) byCode.set(r.code, r);
    for (const r of this.deviceRules.get(deviceId) ?? []) byCode.set(r.code, r);
    return [...byCode.values()].filter((r) => r.enabled);
  }

  private ctxOf(r: Reading): DeviceCtx {
    let d = this.devices.get(r.deviceId);
    if (!d) {
      d = { id: r.deviceId, typeCode: r.deviceTypeCode, communityId: r.communityId, placePath: r.placePath, values: new Map(), rules: null, states: new Map(), open: new Map() };
      this.devices.set(r.deviceId, d);
    } else if (d.typeCode !== r.deviceTypeCode || d.placePath !== r.placePath || d.communityId !== r.communityId) {
      // the device was moved or retyped
      d.typeCode = r.deviceTypeCode;
      d.placePath = r.placePath;
      d.communityId = r.communityId;
      d.rules = null;
    }
    if (!d.rules) d.rules = this.effectiveRules(d.id, d.typeCode);
    return d;
  }

  private stateOf(ruleId: string, ctx: DeviceCtx): RuleState {
    let s = ctx.states.get(ruleId);
    if (!s) {
      s = {};
      ctx.states.set(ruleId, s);
    }
    return s;
  }

  private markDirty(ruleId: string, deviceId: string, st: RuleState): void {
    this.dirty.set(stateKey(ruleId, deviceId), st);
  }

  /**
   * Evaluate a batch of newly stored readings. Returns when the alarm writes the batch caused
   * (and every earlier batch's) are committed and announced.
   */
  onReadings(batch: Reading[]): Promise<void> {
    if (this.closed || !batch.length) return this.writes;
    this.stats.readings += batch.length;
    const actions: Action[] = [];
    // Readings arrive as runs of one device (a message's values, in time order). Runs are
    // evaluated in batch order; within a run readings are put in time order. A reading older
    // than one already evaluated for the same rule and device is skipped (see evaluate).
    const keys: string[] = [];
    let start = 0;
    while (start < batch.length) {
      const deviceId = batch[start].deviceId;
      let end = start + 1;
      let sorted = true;
      while (end < batch.length && batch[end].deviceId === deviceId) {
        if (batch[end].ts < batch[end - 1].ts) sorted = false;
        end++;
      }
      const run = sorted ? batch : batch.slice(start, end).sort((a, b) => a.ts - b.ts);
      let i = sorted ? start : 0;
      const stop = sorted ? end : end - start;
      start = end;
      const ctx = this.ctxOf(run[stop - 1]);
      const rules = ctx.rules!;
      if (!rules.length) continue;
      while (i < stop) {
        const ts = run[i].ts;
        keys.length = 0;
        while (i < stop && run[i].ts === ts) {
          ctx.values.set(run[i].key, run[i].value);
          keys.push(run[i].key);
          i++;
        }
        for (let j = 0; j < rules.length; j++) this.evaluate(rules[j], ctx, ts, keys, actions);
      }
    }
    if (this.dirty.size) this.scheduleFlush();
    if (actions.length) this.enqueue(actions);
    return this.writes;
  }

  private evaluate(rule: CompiledRule, ctx: DeviceCtx, ts: number, keys: string[], actions: Action[]): void {
    if (rule.kind === 'no_data') {
      const nd = rule.noData!;
      if (nd.key !== null && !keys.includes(nd.key)) return;
      const st = this.stateOf(rule.id, ctx);
      if (st.last !== undefined && ts <= st.last) return;
      st.last = ts;
      const dev = st.dev;
      if (!dev || dev.t !== ctx.typeCode || dev.c !== ctx.communityId || dev.p !== ctx.placePath) st.dev = { t: ctx.typeCode, c: ctx.communityId, p: ctx.placePath };
      if (st.p === undefined || ts - st.p >= Math.min(nd.ms / 4, 60_000)) {
        st.p = ts; // persisted with the next flush
        this.markDirty(rule.id, ctx.id, st);
      }
      const open = ctx.open.get(rule.id);
      if (open) {
        ctx.open.delete(rule.id);
        actions.push({ kind: 'clear', id: open.id, rule, ctx, at: new Date(ts).toISOString(), reason: 'data_resumed' });
      }
      return;
    }
    let touches = false;
    for (const k of keys) if (rule.keys.has(k)) { touches = true; break; }
    if (!touches) return;
    const st = this.stateOf(rule.id, ctx);
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
      const details = { key, condition: describeCondition(fired.condition), values: this.valuesOf(rule, ctx) };
      if (!open) {
        const row = this.newAlarmRow(rule, ctx, fired.severity, at, lastValue, details);
        ctx.open.set(rule.id, { id: row.id, severity: row.severity, status: 'active' });
        actions.push({ kind: 'create', row, rule });
      } else if (severityRank[fired.severity] > severityRank[open.severity]) {
        actions.push({ kind: 'upgrade', id: open.id, severity: fired.severity, previous: open.severity, rule, ctx, at, lastValue, details });
        open.severity = fired.severity;
      }
      if (st.x) { delete st.x; changed = true; }
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
    if (changed) this.markDirty(rule.id, ctx.id, st);
  }

  private valuesOf(rule: CompiledRule, ctx: DeviceCtx): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of rule.keys) {
      const v = ctx.values.get(k);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  private newAlarmRow(rule: CompiledRule, ctx: DeviceCtx, severity: Severity, startedAt: string, lastValue: number | null, details: Record<string, unknown>): AlarmRow {
    const now = this.k.clock.now().toISOString();
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

  /**
   * No-data rules: raise an alarm for each device whose last reading (of the rule's key, or any
   * key) is older than the rule allows. Run by the `alarms.no-data` job every 5 s.
   */
  async checkNoData(now: Date = this.k.clock.now()): Promise<void> {
    if (this.closed) return;
    const t = now.getTime();
    // devices known to the devices module (their last-seen time covers readings other nodes took)
    const seen = new Map<string, number>();
    try {
      for (const d of await listDevices(this.k, {})) {
        if (d.communityId && d.placePath) this.bareCtx(d.id, { typeCode: d.typeCode, communityId: d.communityId, placePath: d.placePath });
        if (d.lastSeenAt) seen.set(d.id, new Date(d.lastSeenAt).getTime());
      }
    } catch (err) {
      this.k.log.warn({ err }, 'alarms: listDevices failed; the no-data check uses this node\'s view');
    }
    const actions: Action[] = [];
    for (const ctx of this.devices.values()) {
      if (!ctx.placePath) continue; // known only from condition state; its first reading tells where it is
      if (!ctx.rules) ctx.rules = this.effectiveRules(ctx.id, ctx.typeCode);
      for (const rule of ctx.rules) {
        if (rule.kind !== 'no_data') continue;
        const st = ctx.states.get(rule.id);
        let last = st?.last;
        const other = rule.noData!.key === null ? seen.get(ctx.id) : undefined;
        if (other !== undefined && (last === undefined || other > last)) last = other;
        if (last === undefined) continue; // never reported: nothing to miss yet
        if (t - last < rule.noData!.ms) continue;
        if (!inSchedule(rule.schedule, t)) continue;
        if (ctx.open.has(rule.id)) continue;
        const row = this.newAlarmRow(rule, ctx, rule.noData!.severity, now.toISOString(), null, {
          key: rule.noData!.key, lastSeenAt: new Date(last).toISOString(), seconds: rule.noData!.ms / 1000,
        });
        ctx.open.set(rule.id, { id: row.id, severity: row.severity, status: 'active' });
        actions.push({ kind: 'create', row, rule });
      }
    }
    if (actions.length) this.enqueue(actions);
    await this.writes;
  }

  // ---------- writes ----------

  private enqueue(actions: Action[]): void {
    this.writes = this.writes.then(() =>
      this.apply(actions).catch((err) => {
        this.stats.writeErrors++;
        this.k.log.error({ err }, 'alarms: could not write alarms');
        // the cache may now disagree with the database: rebuild it from the database
        return this.reloadOpen().catch(() => undefined);
      }),
    );
  }

  private async apply(actions: Action[]): Promise<void> {
    const { conflicts } = await applyActions(this.k, this.repo, actions, this.stats);
    // another node opened the alarm first: take its row into the cache
    for (const mine of conflicts) {
      const row = await this.repo.openByKey(mine.open_key!);
      const open = this.bareCtx(mine.device_id, null).open;
      if (row) open.set(mine.rule_id, { id: row.id, severity: row.severity, status: row.status });
      else open.delete(mine.rule_id);
    }
  }

  private async reloadOpen(): Promise<void> {
    const rows = await this.repo.openAlarms();
    for (const d of this.devices.values()) d.open.clear();
    for (const a of rows) this.bareCtx(a.device_id, null).open.set(a.rule_id, { id: a.id, severity: a.severity, status: a.status });
  }

  // ---------- changes made by people (service) or other nodes ----------

  /** An alarm was acknowledged. */
  alarmAcknowledged(a: { device_id: string; rule_id: string }): void {
    const o = this.devices.get(a.device_id)?.open.get(a.rule_id);
    if (o) o.status = 'acknowledged';
  }

  /** An alarm was cleared by a person (or on another node): forget it and restart the rule's counters on the device. */
  alarmCleared(a: { id: string; device_id: string; rule_id: string }): void {
    const ctx = this.devices.get(a.device_id);
    if (!ctx || ctx.open.get(a.rule_id)?.id !== a.id) return;
    ctx.open.delete(a.rule_id);
    const st = ctx.states.get(a.rule_id);
    if (st && (st.c || st.x)) {
      st.c = {};
      delete st.x;
      this.markDirty(a.rule_id, a.device_id, st);
      this.scheduleFlush();
    }
  }

  /** A rule's condition changed: its counters on every device start again (in memory; the service deletes the rows). */
  forgetRuleState(ruleId: string): void {
    for (const d of this.devices.values()) d.states.delete(ruleId);
    for (const key of [...this.dirty.keys()]) if (key.startsWith(ruleId + '|')) this.dirty.delete(key);
  }

  /** Wait for queued alarm writes. */
  async idle(): Promise<void> {
    await this.writes;
  }

  // ---------- state persistence ----------

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush().catch((err) => this.k.log.error({ err }, 'alarms: could not persist rule state'));
    }, this.flushDelayMs);
    this.flushTimer.unref();
  }

  /** Persist changed rule state now. */
  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const run = async () => {
      if (!this.dirty.size) return;
      const entries = [...this.dirty];
      this.dirty.clear();
      const now = this.k.clock.now().toISOString();
      const rows: StateRow[] = [];
      for (const [key, st] of entries) {
        const [ruleId, deviceId] = key.split('|');
        rows.push({ rule_id: ruleId, device_id: deviceId, state: JSON.stringify({ ...st, p: undefined }), updated_at: now });
      }
      try {
        await this.k.db.transaction().execute((trx) => this.repo.upsertStates(rows, trx));
      } catch (err) {
        for (const [key, st] of entries) if (!this.dirty.has(key)) this.dirty.set(key, st); // try again next time
        throw err;
      }
    };
    this.flushing = this.flushing.then(run, run);
    await this.flushing;
  }

  /** Finish queued writes, persist state and stop. */
  async close(): Promise<void> {
    await this.writes;
    await this.flush().catch((err) => this.k.log.error({ err }, 'alarms: could not persist rule state on close'));
    this.closed = true;
  }
}

