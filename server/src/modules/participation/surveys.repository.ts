// The only code that touches the survey tables.
import type { Selectable } from 'kysely';
import type { Database, Db, Tx } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { ParticipationTables } from './participation.tables.js';
import type { Reachable } from '../../kernel/authz/index.js';
import { startsWith } from '../../kernel/db/index.js';
import { reachWhere } from './points.repository.js';

export type SurveyRow = Selectable<ParticipationTables['pt_surveys']>;
export type RollRow = Selectable<ParticipationTables['pt_survey_respondents']>;
export type ResponseRow = Selectable<ParticipationTables['pt_survey_responses']>;

const norm = (r: SurveyRow): SurveyRow => ({ ...r, anonymous: Number(r.anonymous) });

/** The kernel's handle (or a transaction of it) seen through participation's tables. */
const own = (db: Db | Tx) => tablesOf<ParticipationTables>(db);

export class SurveysRepository {
  constructor(private database: Database) {}
  get db() {
    return this.database.db;
  }
  private get own() {
    return own(this.database.db);
  }
  async insert(r: SurveyRow) {
    await this.own.insertInto('pt_surveys').values(r).execute();
  }
  async byId(id: string) {
    const r = await this.own.selectFrom('pt_surveys').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? norm(r) : undefined;
  }
  async update(id: string, patch: Partial<SurveyRow>) {
    await this.own.updateTable('pt_surveys').set(patch).where('id', '=', id).execute();
  }
  async list(reach: Reachable, limit: number, offset: number) {
    const q = this.own.selectFrom('pt_surveys').where(reachWhere('place_path', reach));
    const items = (await q.selectAll().orderBy('opens_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute()).map(norm);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    return { items, total };
  }
  async ofCommunity(communityPath: string) {
    return (
      await this.own.selectFrom('pt_surveys').selectAll().where(startsWith('place_path', communityPath)).orderBy('opens_at', 'desc').limit(200).execute()
    ).map(norm);
  }
  async counts(ids: string[]) {
    if (!ids.length) return new Map<string, number>();
    const rows = await this.own
      .selectFrom('pt_survey_respondents')
      .select(['survey_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('survey_id', 'in', ids)
      .groupBy('survey_id')
      .execute();
    return new Map(rows.map((r) => [r.survey_id, Number(r.n)]));
  }
  async answeredBy(surveyIds: string[], keys: string[]) {
    if (!surveyIds.length || !keys.length) return new Set<string>();
    const rows = await this.own
      .selectFrom('pt_survey_respondents')
      .select('survey_id')
      .where('survey_id', 'in', surveyIds)
      .where('respondent_key', 'in', keys)
      .execute();
    return new Set(rows.map((r) => r.survey_id));
  }

  /** Roll entry and response in one transaction; false when the respondent (or household) has answered. */
  async answer(roll: RollRow, response: ResponseRow): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const r = await own(tx)
        .insertInto('pt_survey_respondents')
        .values(roll)
        .onConflict((oc) => oc.columns(['survey_id', 'respondent_key']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
      await own(tx).insertInto('pt_survey_responses').values(response).execute();
      return true;
    });
  }
  async responses(surveyId: string) {
    return await this.own.selectFrom('pt_survey_responses').selectAll().where('survey_id', '=', surveyId).orderBy('id').execute();
  }
  async rollByBuilding(surveyId: string) {
    const rows = await this.own
      .selectFrom('pt_survey_respondents')
      .select(['building_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('survey_id', '=', surveyId)
      .groupBy('building_id')
      .execute();
    return new Map(rows.map((r) => [r.building_id, Number(r.n)]));
  }
  async roll(surveyId: string) {
    return await this.own.selectFrom('pt_survey_respondents').selectAll().where('survey_id', '=', surveyId).execute();
  }
}
