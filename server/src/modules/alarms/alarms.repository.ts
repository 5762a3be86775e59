// The only code that touches alarm_rules, alarm_rule_state and alarms (typed by alarms.tables.ts).
import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import { startsWith, noRows, type Db, type Tx } from '../../kernel/db/index.js';
import { tablesOf, txOf } from '../../kernel/db/tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import type { Severity } from './alarms.rules.js';
import type { AlarmRow, AlarmStatus, AlarmsDb, AlarmsTables, RuleRow, StateRow } from './alarms.tables.js';

export type { AlarmRow, AlarmStatus, RuleRow, StateRow } from './alarms.tables.js';

export const openKey = (deviceId: string, ruleId: string) => `${deviceId}|${ruleId}`;

/** Alarms within reach: under one of the reach's place prefixes. */
function alarmsInReach(reach: Reachable) {
  return (eb: ExpressionBuilder<AlarmsTables, 'alarms'>) => {
    const ors = reach.prefixes.map((p) => startsWith('place_path', p));
    return ors.length ? eb.or(ors) : noRows();
  };
}

export interface AlarmFilter {
  status?: AlarmStatus | 'open';
  severity?: Severity;
  deviceId?: string;
  placePath?: string;
}

export class AlarmsRepository {
  private readonly db: AlarmsDb;
  constructor(private readonly kdb: Db) {
    this.db = tablesOf<AlarmsTables>(kdb);
  }

  /** The caller's transaction when it passes one, the database otherwise. */
  private on(tx?: Tx): AlarmsDb {
    return tx ? txOf<AlarmsTables>(tx) : this.db;
  }

  // ----- rules -----
  allRules(): Promise<RuleRow[]> {
    return this.db.selectFrom('alarm_rules').selectAll().execute();
  }
  ruleById(id: string): Promise<RuleRow | undefined> {
    return this.db.selectFrom('alarm_rules').selectAll().where('id', '=', id).executeTakeFirst();
  }
  rulesByIds(ids: string[]): Promise<RuleRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('alarm_rules').selectAll().where('id', 'in', ids).execute();
  }
  ruleByKey(key: string): Promise<RuleRow | undefined> {
    return this.db.selectFrom('alarm_rules').selectAll().where('rule_key', '=', key).executeTakeFirst();
  }
  async insertRule(r: Insertable<AlarmsTables['alarm_rules']>, tx?: Tx) {
    await this.on(tx).insertInto('alarm_rules').values(r).execute();
  }
  async updateRule(id: string, patch: Updateable<AlarmsTables['alarm_rules']>, tx?: Tx) {
    await this.on(tx).updateTable('alarm_rules').set(patch).where('id', '=', id).execute();
  }
  /** Type rules (everyone who may read rules sees them) and the overrides within reach. */
  async listRules(opts: { reach: Reachable; deviceTypeCode?: string; deviceId?: string; limit: number; offset: number }) {
    let q = this.db.selectFrom('alarm_rules');
    const reach = opts.reach;
    if (!reach.all) q = q.where((eb) => eb.or([eb('device_id', 'is', null), ...reach.prefixes.map((p) => startsWith('place_path', p))]));
    if (opts.deviceTypeCode) q = q.where('device_type_code', '=', opts.deviceTypeCode);
    if (opts.deviceId) q = q.where('device_id', '=', opts.deviceId);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
    const items = await q.selectAll().orderBy('device_type_code').orderBy('code').orderBy('id').limit(opts.limit).offset(opts.offset).execute();
    return { items, total: Number(n) };
  }

  // ----- state -----
  allStates(): Promise<StateRow[]> {
    return this.db.selectFrom('alarm_rule_state').selectAll().execute();
  }
  /** Persist rule state (insert or replace per rule and device), in one transaction. */
  async saveStates(rows: StateRow[]) {
    await this.kdb.transaction().execute(async (trx) => {
      const t = txOf<AlarmsTables>(trx);
      for (let i = 0; i < rows.length; i += 500) {
        await t
          .insertInto('alarm_rule_state')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(['rule_id', 'device_id']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: eb.ref('excluded.updated_at') })),
          )
          .execute();
      }
    });
  }
  async deleteRuleStates(ruleId: string, tx?: Tx) {
    await this.on(tx).deleteFrom('alarm_rule_state').where('rule_id', '=', ruleId).execute();
  }

  // ----- alarms -----
  openAlarms(): Promise<AlarmRow[]> {
    return this.db.selectFrom('alarms').selectAll().where('open_key', 'is not', null).execute();
  }
  alarmById(id: string, tx?: Tx): Promise<AlarmRow | undefined> {
    return this.on(tx).selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
  }
  openByKey(key: string, tx?: Tx): Promise<AlarmRow | undefined> {
    return this.on(tx).selectFrom('alarms').selectAll().where('open_key', '=', key).executeTakeFirst();
  }
  /** Insert an open alarm unless one is already open for the device and rule; true when inserted. */
  async insertAlarmIfNone(a: AlarmRow, tx?: Tx): Promise<boolean> {
    const r = await this.on(tx)
      .insertInto('alarms')
      .values(a)
      .onConflict((oc) => oc.column('open_key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  /** Update an alarm while it is still open; true when it was. */
  async updateOpen(id: string, patch: Updateable<AlarmsTables['alarms']>, tx?: Tx, onlyStatus?: AlarmStatus): Promise<boolean> {
    let q = this.on(tx).updateTable('alarms').set(patch).where('id', '=', id).where('open_key', 'is not', null);
    if (onlyStatus) q = q.where('status', '=', onlyStatus);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async listAlarms(opts: { reach: Reachable; filter: AlarmFilter; limit: number; offset: number }) {
    const f = opts.filter;
    let base = this.db.selectFrom('alarms');
    if (!opts.reach.all) base = base.where(alarmsInReach(opts.reach));
    if (f.deviceId) base = base.where('device_id', '=', f.deviceId);
    if (f.placePath) base = base.where(startsWith('place_path', f.placePath));
    let q = base;
    if (f.status === 'open') q = q.where('open_key', 'is not', null);
    else if (f.status) q = q.where('status', '=', f.status);
    if (f.severity) q = q.where('severity', '=', f.severity);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<number>().as('n')).execute();
    const items = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset).execute();
    const counts = await base
      .where('open_key', 'is not', null)
      .select(['status', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['status', 'severity'])
      .execute();
    return { items, total: Number(n), counts: counts.map((c) => ({ status: c.status, severity: c.severity, n: Number(c.n) })) };
  }
}
