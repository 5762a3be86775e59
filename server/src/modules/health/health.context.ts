// The health module's services of one app (one per kernel), so that recordReading and the jobs
// share the patient cache and the alert service.
import type { Kernel } from '../../kernel/index.js';
import { ResidentsService } from '../registry/index.js';
import { Patients } from './health.access.js';
import { HealthAlerts } from './health.alerts.js';
import type { HealthRepository } from './health.repository.js';

export interface HealthContext {
  repo: HealthRepository;
  patients: Patients;
  alerts: HealthAlerts;
  /** home devices bound to patients: device id → patient id (loaded when the module starts) */
  bindings: Map<string, string>;
  /** residents' names and birth dates by resident id (for the treating team's views) */
  people(ids: string[]): Promise<Map<string, { name: string; birthDate: string | null; gender: string }>>;
}

const contexts = new WeakMap<Kernel, HealthContext>();

export function healthOf(k: Kernel): HealthContext {
  let c = contexts.get(k);
  if (!c) {
    const patients = new Patients(k);
    const cache = new Map<string, { name: string; birthDate: string | null; gender: string }>();
    const residents = new ResidentsService(k);
    c = {
      repo: patients.repo,
      patients,
      alerts: new HealthAlerts(k, patients),
      bindings: new Map(),
      async people(ids) {
        const missing = [...new Set(ids)].filter((id) => !cache.has(id));
        for (let i = 0; i < missing.length; i += 500) {
          for (const r of await residents.residents.byIds(missing.slice(i, i + 500))) {
            if (cache.size > 100_000) cache.clear();
            cache.set(r.id, { name: r.name, birthDate: r.birth_date, gender: r.gender });
          }
        }
        return new Map(ids.filter((id) => cache.has(id)).map((id) => [id, cache.get(id)!]));
      },
    };
    contexts.set(k, c);
  }
  return c;
}
