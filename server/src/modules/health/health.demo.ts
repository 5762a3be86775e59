// The demo's community health (issue 17): one health station in the community, two doctors (the
// demo login `doctor` and `doctor2`), a family-doctor team, ~150 contracted elderly residents with
// consent, each with a home blood-pressure monitor (every third also a glucometer) that the
// simulator drives; two weeks of readings, some series drifting high, one urgent case. Kept fast:
// the history goes in with one transaction; only the last readings pass the alert rules.
import type { Kernel } from '../../kernel/index.js';
import type { PlaceRow } from '../registry/index.js';
import { systemActor } from '../../kernel/authz/index.js';
import { newId } from '../../kernel/ids.js';
import { addDays } from '../../kernel/time.js';
import { ResidentsService } from '../registry/index.js';
import { IdentityService } from '../identity/index.js';
import { createDevice } from '../devices/index.js';
import { HealthSetup } from './health.setup.js';
import { healthOf } from './health.context.js';
import { recordReading } from './health.readings.js';
import { classify, defaultThresholds } from './health.thresholds.js';
import type { ReadingRow } from './health.tables.js';

const DAY = 86_400_000;

export async function seedDemoHealth(k: Kernel, c1: PlaceRow, password: string, today: string, elders = 150) {
  const admin = systemActor('demo.health');
  const setup = new HealthSetup(k);
  const identity = new IdentityService(k);
  const h = healthOf(k);
  const doctor = await identity.repo.userByUsername('doctor');
  if (!doctor) return 0;
  const d2 = await identity.createStaffUser({ username: 'doctor2', displayName: '社区医生 马骏', password }, null);
  await identity.addGrant(d2.id, 'doctor', c1.id, null);
  const inst = await setup.createInstitution(admin, { communityId: c1.id, name: `${c1.name}社区卫生服务站`, kind: 'station' });
  await setup.addDoctor(admin, inst.id, { userId: doctor.id, name: '刘芳', title: '全科主治医师' });
  await setup.addDoctor(admin, inst.id, { userId: d2.id, name: '马骏', title: '全科医师' });
  const team = await setup.createTeam(admin, {
    institutionId: inst.id,
    name: '刘芳家庭医生团队',
    members: [
      { userId: doctor.id, lead: true },
      { userId: d2.id, lead: false },
    ],
  });
  const dr = {
    userId: doctor.id,
    kind: 'staff' as const,
    name: '社区医生 刘芳',
    residentId: null,
    sessionId: null,
    via: 'token' as const,
    grants: [{ role: 'doctor' as const, placeId: c1.id, scopePath: c1.path }],
  };

  const residents = new ResidentsService(k);
  const born = `${Number(today.slice(0, 4)) - 60}${today.slice(4)}`;
  const { items } = await residents.residents
    .list({ reach: { all: true, prefixes: [], residentId: null }, placePath: c1.path, bornOnOrBefore: born, status: 'active' }, elders, 0)
    .then((r) => ({ items: r.items }));
  const now = k.clock.now().getTime();
  const history: ReadingRow[] = [];
  let n = 0;
  let urgentPatient: string | null = null;
  for (const [i, r] of items.entries()) {
    const house = (await residents.residents.residenciesOf([r.id])).find((x) => !x.move_out);
    if (!house) continue;
    const conditions = i % 3 === 0 ? (['hypertension', 'diabetes'] as const) : (['hypertension'] as const);
    await setup.sign(dr, {
      residentId: r.id,
      teamId: team.id,
      package: 'elderly',
      startDate: addDays(today, -200 + (i % 100)),
      endDate: addDays(today, 165 + (i % 100)),
      signedBy: i % 7 === 0 ? 'guardian' : 'self',
      ...(i % 7 === 0 ? { guardianName: '家属' } : {}),
      conditions: [...conditions],
      consent: true,
    });
    const p = (await h.patients.byResident(r.id))!;
    const bp = await createDevice(k, { typeCode: 'bp_monitor', placeId: house.house_id, name: `${r.name}的血压计` });
    await h.repo.bindDevice(bp.id, p.id, new Date(now).toISOString());
    h.bindings.set(bp.id, p.id);
    if (conditions.length === 2) {
      const g = await createDevice(k, { typeCode: 'glucometer', placeId: house.house_id, name: `${r.name}的血糖仪` });
      await h.repo.bindDevice(g.id, p.id, new Date(now).toISOString());
      h.bindings.set(g.id, p.id);
    }
    // two weeks, mornings and evenings; one in eight drifts high over the fortnight
    const drift = i % 8 === 0;
    const base = 118 + ((i * 7) % 18);
    for (let d = 14; d >= 1; d--) {
      for (const hour of [7, 19]) {
        const ts = now - d * DAY + (hour - 12) * 3_600_000;
        const sys = Math.round(base + (drift ? (14 - d) * 2.2 + 6 : 0) + (((i + d + hour) * 13) % 9) - 4);
        const dia = Math.round(sys * 0.62 + (((i + d) * 5) % 5));
        const v = { v1: sys, v2: dia, v3: 66 + ((i + d) % 14) };
        history.push({
          id: newId('hrd'),
          patient_id: p.id,
          kind: 'bp',
          ts,
          ...v,
          context: null,
          source: 'device',
          device_id: bp.id,
          shared: 1,
          level: classify('bp', v, null, 'device', defaultThresholds),
          created_at: new Date(ts).toISOString(),
        });
      }
      if (conditions.length === 2) {
        const ts = now - d * DAY - 5 * 3_600_000;
        const v = { v1: Math.round((5.6 + ((i + d) % 7) * 0.35) * 10) / 10, v2: null, v3: null };
        history.push({
          id: newId('hrd'),
          patient_id: p.id,
          kind: 'glucose',
          ts,
          ...v,
          context: 'fasting',
          source: 'device',
          device_id: null,
          shared: 1,
          level: classify('glucose', v, 'fasting', 'device', defaultThresholds),
          created_at: new Date(ts).toISOString(),
        });
      }
    }
    if (drift) urgentPatient ??= p.id;
    n++;
  }
  await k.db.transaction().execute(async (tx) => {
    for (const r of history) await h.repo.insertReading(r, tx);
  });
  // today's readings go through the rules: the drifting series raise trend alerts, one is urgent
  for (const [i, r] of items.entries()) {
    if (i % 8 !== 0) continue;
    const p = await h.patients.byResident(r.id);
    if (!p) continue;
    await recordReading(k, { patientId: p.id, kind: 'bp', systolic: 152 + (i % 6), diastolic: 94, pulse: 78, source: 'device', ts: now - 3_600_000 });
  }
  if (urgentPatient)
    await recordReading(k, { patientId: urgentPatient, kind: 'bp', systolic: 188, diastolic: 114, pulse: 96, source: 'device', ts: now - 600_000 });
  return n;
}
