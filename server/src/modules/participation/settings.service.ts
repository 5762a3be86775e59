// Per-community values of the settings components declare in their manifests. A value not set
// for a community is the manifest's default. Any component (the council's too) reads its
// settings through componentSettings().
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { invalid } from '../../kernel/http/errors.js';
import { iso } from '../../kernel/clock.js';
import { component, components } from './components.js';
import { communityFor } from './participation.common.js';
import { SettingsRepository } from './settings.repository.js';
import type { SettingsView } from './points.schema.js';

type Value = boolean | number | string;

/** The settings of one component in one community (stored values over the declared defaults). */
export async function componentSettings(k: Kernel, communityId: string, name: string): Promise<Record<string, Value>> {
  const c = component(name);
  if (!c) return {};
  const out: Record<string, Value> = Object.fromEntries(Object.entries(c.settings).map(([key, s]) => [key, s.default]));
  for (const r of await new SettingsRepository(k.db).values(communityId, name)) {
    const decl = c.settings[r.key];
    if (!decl) continue;
    try {
      const v: unknown = JSON.parse(r.value);
      if (typeof v === decl.type) out[r.key] = v as Value;
    } catch {
      /* a damaged value falls back to the default */
    }
  }
  return out;
}

export class SettingsService {
  constructor(readonly k: Kernel) {}

  async list(actor: Actor, communityId: string): Promise<SettingsView> {
    const c = await communityFor(this.k, actor, communityId, 'read', 'ParticipationSetting');
    const items = [];
    for (const comp of components()) {
      if (!Object.keys(comp.settings).length) continue;
      const values = await componentSettings(this.k, c.id, comp.name);
      items.push({
        component: comp.name,
        labels: comp.labels,
        settings: Object.entries(comp.settings).map(([key, s]) => ({ key, type: s.type, default: s.default, labels: s.labels, value: values[key] })),
      });
    }
    return { communityId: c.id, items };
  }

  async set(actor: Actor, b: { communityId: string; component: string; key: string; value: Value }, ip: string) {
    const c = await communityFor(this.k, actor, b.communityId, 'edit', 'ParticipationSetting');
    const decl = component(b.component)?.settings[b.key];
    if (!decl) throw invalid([{ field: 'key', code: 'participation.setting_unknown' }]);
    if (typeof b.value !== decl.type || (typeof b.value === 'number' && (!Number.isFinite(b.value) || b.value < 0)))
      throw invalid([{ field: 'value', code: 'validation.type', params: { type: decl.type } }]);
    const now = iso(this.k.clock.now());
    await new SettingsRepository(this.k.db).put({
      communityId: c.id,
      component: b.component,
      key: b.key,
      value: JSON.stringify(b.value),
      by: actor.userId,
      at: now,
    });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'participation.setting.set',
      targetType: 'component_setting',
      targetId: `${b.component}.${b.key}`,
      scopePath: c.path,
      ip,
      detail: { value: b.value },
    });
    return this.list(actor, c.id);
  }
}
