// The alarm engine: evaluates batches of telemetry readings against the rules on the ingest hot
// path. Everything it needs per reading lives in memory (rules per type code, effective rules per
// device, the device's latest values, rule state, open alarms); the database is touched only when
// an alarm changes (one transaction per batch) and, debounced, to persist changed rule state so
// durations and counters continue after a restart. Evaluation is synchronous; the writes it causes
// are queued and run one batch at a time, so a slow database never blocks evaluation.
import type { Kernel } from '../../kernel/index.js';
import { listDevices } from '../devices/index.js';
import { AlarmsRepository, type StateRow } from './alarms.repository.js';
import { applyActions, type Action } from './alarms.writer.js';
import { inSchedule } from './alarms.rules.js';
import { compileRule, type CompiledRule, type DeviceCtx, type Reading, type RuleState } from './alarms.compile.js';
import { evaluateRule, newAlarmRow, type MarkDirty } from './alarms.evaluate.js';

// Compiling rules and the per-device state are in alarms.compile.ts, evaluating one rule in alarms.evaluate.ts.
export { compileRule, type CompiledRule, type Reading } from './alarms.compile.js';

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

  constructor(
    private k: Kernel,
    opts: EngineOptions = {},
  ) {
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
      d = {
        id,
        typeCode: where?.typeCode ?? '',
        communityId: where?.communityId ?? '',
        placePath: where?.placePath ?? '',
        values: new Map(),
        rules: null,
        states: new Map(),
        open: new Map(),
      };
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
      d = {
        id: r.deviceId,
        typeCode: r.deviceTypeCode,
        communityId: r.communityId,
        placePath: r.placePath,
        values: new Map(),
        rules: null,
        states: new Map(),
        open: new Map(),
      };
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

  private markDirty(ruleId: string, deviceId: string, st: RuleState): void {
    this.dirty.set(stateKey(ruleId, deviceId), st);
  }

  private readonly markDirtyFn: MarkDirty = (ruleId, deviceId, st) => this.markDirty(ruleId, deviceId, st);

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
        for (let j = 0; j < rules.length; j++) evaluateRule(this.k, rules[j], ctx, ts, keys, actions, this.markDirtyFn);
      }
    }
    if (this.dirty.size) this.scheduleFlush();
    if (actions.length) this.enqueue(actions);
    return this.writes;
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
      this.k.log.warn({ err }, "alarms: listDevices failed; the no-data check uses this node's view");
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
        const row = newAlarmRow(this.k, rule, ctx, rule.noData!.severity, now.toISOString(), null, {
          key: rule.noData!.key,
          lastSeenAt: new Date(last).toISOString(),
          seconds: rule.noData!.ms / 1000,
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
        await this.repo.saveStates(rows);
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
