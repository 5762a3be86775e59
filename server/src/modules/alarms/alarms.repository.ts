// The only code that touches alarm_rules, alarm_rule_state and alarms.
import { startsWith, type Db, noRows } from '../../kernel/db/index.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { Severity } from './alarms.rules.js';

export interface RuleRow {
  id: string;
  rule_key: string;
  device_type_code: string;
  device_id: string | null;
  place_path: string;
  code: string;
  name: string;
  enabled: number;
  definition: string;
  schedule: string | null;
  create_work_order: number;
  work_order_category: string | null;
  built_in: number;
  created_at: string;
  updated_at: string;
}

export type AlarmStatus = 'active' | 'acknowledged' | 'cleared';

export interface AlarmRow {
  id: string;
  rule_id: string;
  device_id: string;
  device_name: string | null;
  device_type_code: string | null;
  community_id: string;
  place_path: string;
  severity: Severity;
  status: AlarmStatus;
  open_key: string | null;
  started_at: string;
  last_value: number | null;
  details: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  ack_note: string | null;
  cleared_at: string | null;
  cleared_by: string | null;
  cleared_by_name: string | null;
  clear_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface StateRow {
  rule_id: string;
  device_id: string;
  state: string;
  updated_at: string;
}

export const openKey = (deviceId: string, ruleId: string) => `${deviceId}|${ruleId}`;

function whereReach<Q extends { where: (...a: any[]) => Q }>(q: Q, col: string, reach: Reachable): Q {
  if (reach.all) return q;
  return q.where((eb: any) => {
    const ors = reach.prefixes.map((p) => startsWith(col, p));
    return ors.length ? eb.or(ors) : noRows();
  });
}

export interface AlarmFilter {
  status?: AlarmStatus | 'open';
  severity?: Severity;
  deviceId?: string;
  placePath?: string;
}

export class AlarmsRepository {
  constructor(readonly db: Db) {}

  // ----- rules -----
  allRules() {
    return this.db.selectFrom('alarm_rules').selectAll().execute() as Promise<RuleRow[]>;
  }
  ruleById(id: string) {
    return this.db.selectFrom('alarm_rules').selectAll().where('id', '=', id).executeTakeFirst() as Promise<RuleRow | undefined>;
  }
  rulesByIds(ids: string[]) {
    if (!ids.length) return Promise.resolve([] as RuleRow[]);
    return this.db.selectFrom('alarm_rules').selectAll().where('id', 'in', ids).execute() as Promise<RuleRow[]>;
  }
  ruleByKey(key: string) {
    return this.db.selectFrom('alarm_rules').selectAll().where('rule_key', '=', key).executeTakeFirst() as Promise<RuleRow | undefined>;
  }
  async insertRule(r: RuleRow, db: Db = this.db) {
    await db.insertInto('alarm_rules').values(r).execute();
  }
  async updateRule(id: string, patch: Partial<RuleRow>, db: Db = this.db) {
    await db.updateTable('alarm_rules').set(patch).where('id', '=', id).execute();
  }
  /** Type rules (everyone who may read rules sees them) and the overrides within reach. */
  async listRules(opts: { reach: Reachable; deviceTypeCode?: string; deviceId?: string; limit: number; offset: number }) {
    let q = this.db.selectFrom('alarm_rules');
    if (!opts.reach.all) {
      q = q.where((eb: any) => eb.or([eb('device_id', 'is', null), ...opts.reach.prefixes.map((p) => startsWith('place_path', p))]));
    }
    if (opts.deviceTypeCode) q = q.where('device_type_code', '=', opts.deviceTypeCode);
    if (opts.deviceId) q = q.where('device_id', '=', opts.deviceId);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
    const items = (await q.selectAll().orderBy('device_type_code').orderBy('code').orderBy('id').limit(opts.limit).offset(opts.offset).execute()) as RuleRow[];
    return { items, total: Number(n) };
  }

  // ----- state -----
  allStates() {
    return this.db.selectFrom('alarm_rule_state').selectAll().execute() as Promise<StateRow[]>;
  }
  async upsertStates(rows: StateRow[], db: Db = this.db) {
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('alarm_rule_state')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['rule_id', 'device_id']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: eb.ref('excluded.updated_at') })),
        )
        .execute();
    }
  }
  async deleteRuleStates(ruleId: string, db: Db = this.db) {
    await db.deleteFrom('alarm_rule_state').where('rule_id', '=', ruleId).execute();
  }

  // ----- alarms -----
  openAlarms() {
    return this.db.selectFrom('alarms').selectAll().where('open_key', 'is not', null).execute() as Promise<AlarmRow[]>;
  }
  alarmById(id: string, db: Db = this.db) {
    return db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst() as Promise<AlarmRow | undefined>;
  }
  openByKey(key: string, db: Db = this.db) {
    return db.selectFrom('alarms').selectAll().where('open_key', '=', key).executeTakeFirst() as Promise<AlarmRow | undefined>;
  }
  /** Insert an open alarm unless one is already open for the device and rule; true when inserted. */
  async insertAlarmIfNone(a: AlarmRow, db: Db = this.db): Promise<boolean> {
    const r = await db
      .insertInto('alarms')
      .values(a)
      .onConflict((oc) => oc.column('open_key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  /** Update an alarm while it is still open; true when it was. */
  async updateOpen(id: string, patch: Partial<AlarmRow>, db: Db = this.db, onlyStatus?: AlarmStatus): Promise<boolean> {
    let q = db.updateTable('alarms').set(patch).where('id', '=', id).where('open_key', 'is not', null);
    if (onlyStatus) q = q.where('status', '=', onlyStatus);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async listAlarms(opts: { reach: Reachable; filter: AlarmFilter; limit: number; offset: number }) {
    const f = opts.filter;
    let base = whereReach(this.db.selectFrom('alarms'), 'place_path', opts.reach);
    if (f.deviceId) base = base.where('device_id', '=', f.deviceId);
    if (f.placePath) base = base.where(startsWith('place_path', f.placePath));
    let q = base;
    if (f.status === 'open') q = q.where('open_key', 'is not', null);
    else if (f.status) q = q.where('status', '=', f.status);
    if (f.severity) q = q.where('severity', '=', f.severity);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
    const items = (await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset).execute()) as AlarmRow[];
    const counts = await base
      .where('open_key', 'is not', null)
      .select(['status', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['status', 'severity'])
      .execute();
    return { items, total: Number(n), counts: counts.map((c: any) => ({ status: c.status as AlarmStatus, severity: c.severity as Severity, n: Number(c.n) })) };
  }
}
