// Health alerts: the clinical rules' lifecycle, after the alarms module's (one open alert per
// patient and rule, keyed by open_key; acknowledge; close with what was done), plus what clinical
// work needs: the trend rule (N high readings in D days), the missing-reading rule (a job), snooze
// with a reason, and escalation of urgent alerts nobody acknowledged in time (a job).
import type { Kernel } from '../../kernel/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { newId } from '../../kernel/ids.js';
import { usersOfResidents, userOfResident } from '../identity/index.js';
import { ALERT_RAISED } from './health.events.js';
import type { Patients } from './health.access.js';
import type { AlertRow, AlertRule, AlertSeverity, PatientRow, ReadingKind, ReadingRow } from './health.tables.js';
import { thresholdsWith, type Thresholds } from './health.thresholds.js';

/** Urgent alerts nobody acknowledged for this long go to every doctor of the institution. */
export const ESCALATE_AFTER_MIN = 15;
const DAY = 86_400_000;

export interface Recipients {
  teamName: string;
  members: string[];
  self: string | null;
  family: string[];
  institutionId: string | null;
}

export class HealthAlerts {
  constructor(
    private k: Kernel,
    private patients: Patients,
  ) {}

  private get repo() {
    return this.patients.repo;
  }

  /** Bilingual rule name for notification parameters. */
  private ruleParam(rule: AlertRule) {
    const zh: Record<AlertRule, string> = {
      bp: '血压',
      glucose: '血糖',
      hr: '心率',
      spo2: '血氧',
      temp: '体温',
      trend_bp: '血压持续偏高',
      trend_glucose: '血糖持续偏高',
      missing: '长期未测量',
    };
    const en: Record<AlertRule, string> = {
      bp: 'blood pressure',
      glucose: 'blood glucose',
      hr: 'heart rate',
      spo2: 'SpO2',
      temp: 'temperature',
      trend_bp: 'blood pressure repeatedly high',
      trend_glucose: 'glucose repeatedly high',
      missing: 'no readings',
    };
    return { zh: zh[rule], en: en[rule] };
  }

  /**
   * Who hears of an urgent alert: the team, the resident's account and the named family's
   * accounts. Read before the transaction (on SQLite a query outside it would wait for it).
   */
  async recipients(p: PatientRow, teamId: string): Promise<Recipients> {
    const team = await this.repo.team(teamId);
    const members = (await this.repo.teamMembers(teamId)).map((m) => m.user_id);
    const self = await userOfResident(this.k, this.patients.residentOf(p));
    const viewers = (await this.repo.viewers(p.id)).map((v) => this.k.vault.decrypt(v.viewer_enc));
    const family = viewers.length ? await usersOfResidents(this.k, viewers) : [];
    return { teamName: team?.name ?? '', members, self, family, institutionId: team?.institution_id ?? null };
  }

  /** A reading that reached the team: open or bump the alerts it causes. */
  async onReading(tx: Tx, p: PatientRow, teamId: string, r: ReadingRow, t: Thresholds, to: Recipients | null): Promise<void> {
    const at = new Date(Number(r.ts)).toISOString();
    // a reading ends the silence
    const missing = await this.repo.openAlert(p.id, 'missing', tx);
    if (missing) await this.repo.updateAlert(missing.id, { status: 'closed', open_key: null, closed_at: at, closed_by: 'system', action: 'resumed' }, tx);
    if (r.level === 'normal') return;
    const rule = r.kind as AlertRule;
    const value = JSON.stringify({ kind: r.kind, v1: r.v1, v2: r.v2, v3: r.v3, context: r.context, source: r.source });
    await this.raise(tx, p, teamId, rule, r.level as AlertSeverity, r.id, value, Number(r.ts), to);
    if (r.level === 'high' && (r.kind === 'bp' || r.kind === 'glucose')) {
      const n = await this.repo.countElevated(p.id, r.kind as ReadingKind, Number(r.ts) - t.trendDays * DAY, tx);
      if (n >= t.trendCount) {
        await this.raise(
          tx,
          p,
          teamId,
          `trend_${r.kind}` as AlertRule,
          'high',
          r.id,
          JSON.stringify({ kind: r.kind, count: n, days: t.trendDays }),
          Number(r.ts),
          to,
        );
      }
    }
  }

  /**
   * Open the patient's alert of this rule, or bump the open one (count, last value; high → urgent
   * upgrades it). Urgent news reaches the team, the resident and the named family at once.
   */
  async raise(
    tx: Tx,
    p: PatientRow,
    teamId: string,
    rule: AlertRule,
    severity: AlertSeverity,
    readingId: string | null,
    value: string,
    readingTs: number | null,
    to: Recipients | null,
  ) {
    const now = this.k.clock.now().toISOString();
    const open = await this.repo.openAlert(p.id, rule, tx);
    let alert: AlertRow;
    let news = false;
    if (open) {
      const upgrade = severity === 'urgent' && open.severity !== 'urgent';
      await this.repo.updateAlert(
        open.id,
        {
          count: Number(open.count) + 1,
          last_at: now,
          reading_id: readingId,
          value,
          ...(upgrade ? { severity: 'urgent' as const, status: 'open' as const } : {}),
        },
        tx,
      );
      alert = { ...open, severity: upgrade ? 'urgent' : open.severity };
      const snoozed = open.snoozed_until != null && open.snoozed_until > now;
      news = upgrade && !snoozed;
    } else {
      alert = {
        id: newId('hal'),
        patient_id: p.id,
        team_id: teamId,
        place_path: p.place_path,
        rule,
        severity,
        status: 'open',
        open_key: `${p.id}|${rule}`,
        reading_id: readingId,
        value,
        count: 1,
        opened_at: now,
        last_at: now,
        acknowledged_at: null,
        acknowledged_by: null,
        snoozed_until: null,
        snooze_reason_enc: null,
        escalated_at: null,
        closed_at: null,
        closed_by: null,
        action: null,
        note_enc: null,
      };
      await this.repo.insertAlert(alert, tx);
      news = true;
    }
    if (news) await this.k.outbox.add(tx, ALERT_RAISED, { alertId: alert.id, patientId: p.id, teamId, rule, severity: alert.severity, readingTs });
    if (news && alert.severity === 'urgent' && to) await this.notifyUrgent(tx, alert, to);
    return alert;
  }

  private async notifyUrgent(tx: Tx, a: AlertRow, to: Recipients) {
    const rule = this.ruleParam(a.rule);
    await this.k.notify.sendIn(tx, to.members, {
      kind: 'health.alert',
      code: 'health.notify.urgent',
      bodyCode: 'health.notify.urgent_body',
      params: { rule, team: to.teamName },
      link: `/health/alerts/${a.id}`,
    });
    if (to.self)
      await this.k.notify.sendIn(tx, [to.self], {
        kind: 'health.alert',
        code: 'health.notify.self_urgent',
        bodyCode: 'health.notify.body',
        params: { rule },
        link: '/portal/health',
      });
    if (to.family.length)
      await this.k.notify.sendIn(tx, to.family, {
        kind: 'health.alert',
        code: 'health.notify.family_urgent',
        bodyCode: 'health.notify.body',
        params: { rule },
        link: '/portal/health',
      });
  }

  /** Escalate urgent alerts unacknowledged for ESCALATE_AFTER_MIN: every doctor of the institution. */
  async escalate(now: Date): Promise<number> {
    const before = new Date(now.getTime() - ESCALATE_AFTER_MIN * 60_000).toISOString();
    const due = await this.repo.unacknowledgedUrgent(before, now.toISOString());
    for (const a of due) {
      const team = await this.repo.team(a.team_id);
      if (!team) continue;
      const doctors = (await this.repo.doctorsOf(team.institution_id)).map((d) => d.user_id);
      await this.k.outbox.transaction(async (tx) => {
        const n = await this.repo.updateAlert(a.id, { escalated_at: now.toISOString() }, tx, ['open']);
        if (!n) return;
        await this.k.notify.sendIn(tx, doctors, {
          kind: 'health.alert',
          code: 'health.notify.escalated',
          bodyCode: 'health.notify.urgent_body',
          params: { rule: this.ruleParam(a.rule), minutes: ESCALATE_AFTER_MIN, team: team.name },
          link: `/health/alerts/${a.id}`,
        });
      });
    }
    return due.length;
  }

  /** The missing-reading rule: contracted, consenting hypertensive or diabetic patients silent N days. */
  async checkMissing(now: Date): Promise<number> {
    const all = await this.repo.silentChronic(now.getTime());
    let raised = 0;
    for (const s of all) {
      const row = await this.repo.thresholds(s.id);
      const t = thresholdsWith(row ? (JSON.parse(row.params) as Partial<Thresholds>) : null);
      const since = s.last_reading_at != null ? Number(s.last_reading_at) : Date.parse(s.contracted_at);
      if (now.getTime() - since < t.missingDays * DAY) continue;
      if (await this.repo.openAlert(s.id, 'missing')) continue;
      const p = await this.repo.patient(s.id);
      if (!p) continue;
      await this.k.outbox.transaction(async (tx) => {
        const days = Math.floor((now.getTime() - since) / DAY);
        await this.raise(tx, p, s.team_id, 'missing', 'high', null, JSON.stringify({ days }), null, null);
      });
      raised++;
    }
    return raised;
  }
}
