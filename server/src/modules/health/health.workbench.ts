// The doctor's workbench: contracted patients sorted by risk, a patient's record (every look is
// audited with the resident as subject), readings with threshold bands, clinic readings, per-patient
// thresholds, advice and preliminary assessment, follow-ups (随访) with their due list, and the
// alert lifecycle (acknowledge, snooze with a reason, close with an action).
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { conflict, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { addDays, localDate } from '../../kernel/time.js';
import { userOfResident } from '../identity/index.js';
import { healthOf } from './health.context.js';
import { bandsOf, type Thresholds } from './health.thresholds.js';
import { listReadings, patientThresholds, recordReading } from './health.readings.js';
import type { PatientAccess } from './health.access.js';
import type { AlertRow, Condition, FollowupRow, ReadingKind } from './health.tables.js';
import type { HealthSetup } from './health.setup.js';
import type { Static } from '@sinclair/typebox';
import type * as S from './health.schema.js';

const DAY = 86_400_000;
/** One collator for sorting names (a locale argument to localeCompare builds one per call). */
const collator = new Intl.Collator('zh-CN');
/** Follow-ups of hypertension and type-2 diabetes are quarterly (国家基本公共卫生服务规范). */
export const FOLLOWUP_EVERY_DAYS = 90;

export function ageOf(birthDate: string | null, today: string): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

export class Workbench {
  constructor(
    private k: Kernel,
    private setup: HealthSetup,
  ) {}
  private get h() {
    return healthOf(this.k);
  }
  private get repo() {
    return this.h.repo;
  }

  alertView(a: AlertRow, patientName: string | null) {
    return {
      id: a.id,
      patientId: a.patient_id,
      patientName,
      rule: a.rule,
      severity: a.severity,
      status: a.status,
      value: JSON.parse(a.value) as unknown,
      count: Number(a.count),
      openedAt: a.opened_at,
      lastAt: a.last_at,
      acknowledgedAt: a.acknowledged_at,
      snoozedUntil: a.snoozed_until,
      snoozeReason: this.k.vault.decryptNullable(a.snooze_reason_enc),
      escalatedAt: a.escalated_at,
      closedAt: a.closed_at,
      action: a.action,
      note: this.k.vault.decryptNullable(a.note_enc),
    };
  }

  /** Contracted patients of the doctor's teams, riskiest first. */
  async panel(actor: Actor, q: Static<typeof S.PanelQuery>) {
    const teams = await this.repo.teamsOfUser(actor.userId);
    const [patients, alerts, follow] = await Promise.all([
      this.repo.panelPatients(teams),
      this.repo.alertsOfTeams(teams, { status: 'active', limit: 100_000 }),
      this.repo.followupsOfTeams(teams),
    ]);
    const lastFollow = new Map<string, (typeof follow)[number]>();
    for (const f of follow) if (!lastFollow.has(`${f.patient_id}|${f.disease}`)) lastFollow.set(`${f.patient_id}|${f.disease}`, f);
    const alertsOf = new Map<string, AlertRow[]>();
    for (const a of alerts) {
      const list = alertsOf.get(a.patient_id);
      if (list) list.push(a);
      else alertsOf.set(a.patient_id, [a]);
    }
    const residentOf = new Map(patients.map((p) => [p.id, this.h.patients.residentOfLink(p.id, p.link_enc)]));
    const people = await this.h.people([...residentOf.values()]);
    const today = localDate(this.k.clock.now());
    let items = patients.map((p) => {
      const mine = alertsOf.get(p.id) ?? [];
      const urgent = mine.filter((a) => a.severity === 'urgent').length;
      const conds = JSON.parse(p.conditions) as Condition[];
      let due: string | null = null;
      let uncontrolled = mine.some((a) => a.rule.startsWith('trend_'));
      for (const c of conds) {
        const f = lastFollow.get(`${p.id}|${c}`);
        const d = f ? f.next_due : p.start_date;
        if (!due || d < due) due = d;
        if (f && f.control !== 'satisfied') uncontrolled = true;
      }
      const person = people.get(residentOf.get(p.id)!);
      const overdue = due != null && due <= today;
      return {
        patientId: p.id,
        name: person?.name ?? null,
        age: ageOf(person?.birthDate ?? null, today),
        conditions: conds,
        consent: Number(p.consent) === 1,
        risk: urgent * 100 + mine.length * 10 + (uncontrolled ? 5 : 0) + (overdue ? 3 : 0),
        urgentAlerts: urgent,
        openAlerts: mine.length,
        uncontrolled,
        followupDue: due,
        lastReadingAt: p.last_reading_at == null ? null : new Date(Number(p.last_reading_at)).toISOString(),
      };
    });
    if (q.q) items = items.filter((i) => i.name?.includes(q.q!));
    items.sort((a, b) => b.risk - a.risk || collator.compare(a.name ?? '', b.name ?? '') || (a.patientId < b.patientId ? -1 : 1));
    const page = q.page ?? 1;
    const size = q.pageSize ?? 50;
    return { items: items.slice((page - 1) * size, page * size), total: items.length, page, pageSize: size };
  }

  async detail(actor: Actor, id: string, ip: string) {
    const a = await this.h.patients.access(actor, id, 'read');
    if (a.as !== 'doctor') throw notFound('health.patient_not_found');
    await this.h.patients.auditView(actor, a, 'record', ip);
    const person = (await this.h.people([a.residentId])).get(a.residentId);
    const contract = await this.repo.activeContract(a.patient.id);
    return {
      patientId: a.patient.id,
      name: person?.name ?? null,
      age: ageOf(person?.birthDate ?? null, localDate(this.k.clock.now())),
      gender: person?.gender ?? null,
      conditions: JSON.parse(a.patient.conditions) as string[],
      consent: a.patient.consent === 1,
      contract: contract ? await this.setup.contractView(contract) : null,
      thresholds: { ...(await patientThresholds(this.k, a.patient.id)) } as unknown as Record<string, number>,
      devices: (await this.repo.devicesOf(a.patient.id)).map((d) => d.device_id),
    };
  }

  /** Readings of a patient the actor may see (the team: only those shared under consent), with bands. */
  async readings(actor: Actor, a: PatientAccess, q: { kind?: ReadingKind; days?: number }, ip: string) {
    await this.h.patients.auditView(actor, a, 'readings', ip);
    const days = q.days ?? 30;
    const items = await listReadings(this.k, a.patient.id, {
      kind: q.kind,
      sinceMs: this.k.clock.now().getTime() - days * DAY,
      sharedOnly: a.as === 'doctor',
    });
    const t = await patientThresholds(this.k, a.patient.id);
    return { items, ...(q.kind ? { bands: bandsOf(q.kind, t) } : {}) };
  }

  async clinicReading(actor: Actor, id: string, b: Static<typeof S.ReadingBody>) {
    const a = await this.h.patients.access(actor, id, 'treat');
    const r = await recordReading(this.k, { ...b, patientId: a.patient.id, source: 'clinic', ts: b.takenAt ? Date.parse(b.takenAt) : undefined });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'health.reading.clinic',
      targetType: 'HealthRecord',
      targetId: null,
      scopePath: a.patient.place_path,
      subjectResidentId: a.residentId,
      detail: { kind: b.kind },
    });
    return r;
  }

  async setThresholds(actor: Actor, id: string, b: Partial<Thresholds>) {
    const a = await this.h.patients.access(actor, id, 'treat');
    const clean = Object.fromEntries(Object.entries(b).filter(([, v]) => v != null));
    await this.repo.putThresholds(a.patient.id, JSON.stringify(clean), actor.userId, this.k.clock.now().toISOString());
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'health.thresholds.set',
      targetType: 'HealthRecord',
      targetId: null,
      scopePath: a.patient.place_path,
      subjectResidentId: a.residentId,
      detail: clean,
    });
    return { ...(await patientThresholds(this.k, a.patient.id)) } as unknown as Record<string, number>;
  }

  async setConditions(actor: Actor, id: string, conditions: Condition[]) {
    const a = await this.h.patients.access(actor, id, 'treat');
    await this.repo.updatePatient(a.patient.id, { conditions: JSON.stringify(conditions) });
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'health.conditions.set',
      targetType: 'HealthRecord',
      targetId: null,
      scopePath: a.patient.place_path,
      subjectResidentId: a.residentId,
      detail: { conditions },
    });
    return this.detail(actor, id, '');
  }

  // ---------- advice and assessment ----------
  async addNote(actor: Actor, id: string, b: Static<typeof S.NoteBody>) {
    const a = await this.h.patients.access(actor, id, 'treat');
    const row = {
      id: newId('hnt'),
      patient_id: a.patient.id,
      kind: b.kind,
      text_enc: this.k.vault.encrypt(b.text),
      author_id: actor.userId,
      author_name: actor.name,
      created_at: this.k.clock.now().toISOString(),
    };
    await this.repo.insertNote(row);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: `health.note.${b.kind}`,
      targetType: 'HealthRecord',
      targetId: null,
      scopePath: a.patient.place_path,
      subjectResidentId: a.residentId,
      detail: {},
    });
    const user = await userOfResident(this.k, a.residentId);
    if (user)
      await this.k.notify.send([user], {
        kind: 'health.advice',
        code: 'health.notify.advice',
        bodyCode: 'health.notify.body',
        params: {},
        link: '/portal/health',
      });
    return { id: row.id, kind: row.kind, text: b.text, authorName: row.author_name, createdAt: row.created_at };
  }
  async notes(a: PatientAccess) {
    return {
      items: (await this.repo.notes(a.patient.id)).map((n) => ({
        id: n.id,
        kind: n.kind,
        text: this.k.vault.decrypt(n.text_enc),
        authorName: n.author_name,
        createdAt: n.created_at,
      })),
    };
  }

  // ---------- follow-ups ----------
  async addFollowup(actor: Actor, id: string, b: Static<typeof S.FollowupBody>) {
    const a = await this.h.patients.access(actor, id, 'treat');
    const row: FollowupRow = {
      id: newId('hfu'),
      patient_id: a.patient.id,
      disease: b.disease,
      visit_date: b.visitDate,
      method: b.method,
      control: b.control,
      notes_enc: this.k.vault.encryptNullable(b.notes ?? null),
      // 控制不满意/不良反应 → two weeks (规范); otherwise the next quarter
      next_due: b.nextDue ?? addDays(b.visitDate, b.control === 'satisfied' || b.control === 'complication' ? FOLLOWUP_EVERY_DAYS : 14),
      author_id: actor.userId,
      created_at: this.k.clock.now().toISOString(),
    };
    await this.repo.insertFollowup(row);
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: 'health.followup.create',
      targetType: 'HealthRecord',
      targetId: null,
      scopePath: a.patient.place_path,
      subjectResidentId: a.residentId,
      detail: { disease: b.disease, control: b.control },
    });
    return this.followupView(row);
  }
  followupView(f: FollowupRow) {
    return {
      id: f.id,
      disease: f.disease,
      visitDate: f.visit_date,
      method: f.method,
      control: f.control,
      notes: this.k.vault.decryptNullable(f.notes_enc),
      nextDue: f.next_due,
    };
  }
  async followups(actor: Actor, id: string, ip: string) {
    const a = await this.h.patients.access(actor, id, 'treat');
    await this.h.patients.auditView(actor, a, 'followups', ip);
    return { items: (await this.repo.followups(a.patient.id)).map((f) => this.followupView(f)) };
  }
  /** Follow-ups due within `days` (overdue first) for the chronic patients of the doctor's teams. */
  async due(actor: Actor, days = 14) {
    const panel = await this.panel(actor, { pageSize: 100_000 });
    const today = localDate(this.k.clock.now());
    const horizon = addDays(today, days);
    const items = panel.items
      .filter((p) => p.followupDue && p.followupDue <= horizon)
      .flatMap((p) =>
        p.conditions.map((c) => ({ patientId: p.patientId, patientName: p.name, disease: c, due: p.followupDue!, overdue: p.followupDue! <= today })),
      );
    items.sort((a, b) => a.due.localeCompare(b.due));
    return { items };
  }

  // ---------- alerts ----------
  async alerts(actor: Actor, q: Static<typeof S.AlertsQuery>) {
    const teams = await this.repo.teamsOfUser(actor.userId);
    const page = q.page ?? 1;
    const size = q.pageSize ?? 50;
    const all = await this.repo.alertsOfTeams(teams, { status: q.status ?? 'active', limit: 10_000 });
    const rows = all.slice((page - 1) * size, page * size);
    const patients = await this.repo.patientsByIds([...new Set(rows.map((r) => r.patient_id))]);
    const res = new Map(patients.map((p) => [p.id, this.h.patients.residentOf(p)]));
    const people = await this.h.people([...res.values()]);
    return { items: rows.map((r) => this.alertView(r, people.get(res.get(r.patient_id) ?? '')?.name ?? null)), total: all.length, page, pageSize: size };
  }

  private async myAlert(actor: Actor, id: string) {
    const al = await this.repo.alert(id);
    if (!al) throw notFound('health.alert_not_found');
    try {
      const a = await this.h.patients.access(actor, al.patient_id, 'treat');
      if (a.teamId !== al.team_id) throw notFound('health.alert_not_found');
      return { al, a };
    } catch {
      throw notFound('health.alert_not_found');
    }
  }
  private async done(actor: Actor, id: string, action: string, a: PatientAccess) {
    await this.k.audit.record({
      actorId: actor.userId,
      actorName: actor.name,
      action: `health.alert.${action}`,
      targetType: 'HealthAlert',
      targetId: null,
      scopePath: a.patient.place_path,
      subjectResidentId: a.residentId,
      detail: {},
    });
    const al = (await this.repo.alert(id))!;
    return this.alertView(al, (await this.h.people([a.residentId])).get(a.residentId)?.name ?? null);
  }
  async acknowledge(actor: Actor, id: string) {
    const { al, a } = await this.myAlert(actor, id);
    if (al.status === 'closed') throw conflict('health.alert_closed');
    await this.repo.updateAlert(
      al.id,
      { status: 'acknowledged', acknowledged_at: this.k.clock.now().toISOString(), acknowledged_by: actor.userId },
      undefined,
      ['open'],
    );
    return this.done(actor, id, 'acknowledge', a);
  }
  async snooze(actor: Actor, id: string, b: Static<typeof S.SnoozeBody>) {
    const { al, a } = await this.myAlert(actor, id);
    if (al.status === 'closed') throw conflict('health.alert_closed');
    const until = new Date(this.k.clock.now().getTime() + b.minutes * 60_000).toISOString();
    await this.repo.updateAlert(al.id, { snoozed_until: until, snooze_reason_enc: this.k.vault.encrypt(b.reason) });
    return this.done(actor, id, 'snooze', a);
  }
  async close(actor: Actor, id: string, b: Static<typeof S.CloseBody>) {
    const { al, a } = await this.myAlert(actor, id);
    const now = this.k.clock.now().toISOString();
    const n = await this.repo.updateAlert(
      al.id,
      {
        status: 'closed',
        open_key: null,
        closed_at: now,
        closed_by: actor.userId,
        action: b.action,
        note_enc: this.k.vault.encryptNullable(b.note ?? null),
        acknowledged_at: al.acknowledged_at ?? now,
        acknowledged_by: al.acknowledged_by ?? actor.userId,
      },
      undefined,
      ['open', 'acknowledged'],
    );
    if (!n) throw conflict('health.alert_closed');
    return this.done(actor, id, 'close', a);
  }
}
