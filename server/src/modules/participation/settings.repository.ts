// The only code that touches pt_component_settings (per-community values of the components' settings).
import type { Db } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import type { ParticipationTables } from './participation.tables.js';

export class SettingsRepository {
  private db;
  constructor(db: Db) {
    this.db = tablesOf<ParticipationTables>(db);
  }

  /** The stored values (JSON text) of one component in one community. */
  values(communityId: string, component: string) {
    return this.db
      .selectFrom('pt_component_settings')
      .select(['key', 'value'])
      .where('community_id', '=', communityId)
      .where('component', '=', component)
      .execute();
  }

  /** Store one value (JSON text), replacing the one before. */
  async put(s: { communityId: string; component: string; key: string; value: string; by: string; at: string }) {
    await this.db
      .insertInto('pt_component_settings')
      .values({ community_id: s.communityId, component: s.component, key: s.key, value: s.value, updated_by: s.by, updated_at: s.at })
      .onConflict((oc) => oc.columns(['community_id', 'component', 'key']).doUpdateSet({ value: s.value, updated_by: s.by, updated_at: s.at }))
      .execute();
  }
}
