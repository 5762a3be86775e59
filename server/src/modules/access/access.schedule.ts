// Weekly schedules (with windows that cross midnight and holidays) and rule evaluation: pure
// functions over plain data, so the decision path and the offline allow-list use the same code.
import { addDays, localParts } from '../../kernel/time.js';

export interface Window {
  days: number[]; // ISO weekday of the window's start: 1 = Monday … 7 = Sunday
  start: string; // 'HH:MM'
  end: string; // 'HH:MM'; end <= start means the window runs past midnight into the next day
}

export interface Schedule {
  id: string;
  windows: Window[];
  holidays: string[]; // local dates
  holidayWindows: Window[]; // on a holiday these apply instead of the weekly windows (empty = closed)
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function validWindow(w: Window): boolean {
  return (
    Array.isArray(w.days) &&
    w.days.length > 0 &&
    w.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) &&
    /^([01]\d|2[0-3]):[0-5]\d$/.test(w.start) &&
    /^([01]\d|2[0-4]):[0-5]\d$/.test(w.end) &&
    minutes(w.end) <= 1440
  );
}

export interface LocalTime {
  date: string; // YYYY-MM-DD
  weekday: number; // 1..7
  minute: number; // minute of the day
  prevDate: string;
  prevWeekday: number;
}

/** The last answer per time zone: every zone's offset is whole minutes, so it holds for that minute. */
const lastMinute = new Map<string, { minute: number; value: LocalTime }>();

/** The wall-clock time of an instant in a time zone, and the day before (for windows past midnight). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const minute = Math.floor(at.getTime() / 60_000);
  const hit = lastMinute.get(timeZone);
  if (hit && hit.minute === minute) return hit.value;
  const value = computeLocalTime(at, timeZone);
  lastMinute.set(timeZone, { minute, value });
  return value;
}

function computeLocalTime(at: Date, timeZone: string): LocalTime {
  const p = localParts(at, timeZone);
  return { date: p.date, weekday: p.weekday, minute: p.minuteOfDay, prevDate: addDays(p.date, -1), prevWeekday: p.weekday === 1 ? 7 : p.weekday - 1 };
}

function windowsOf(s: Schedule, date: string): Window[] {
  return s.holidays.includes(date) ? s.holidayWindows : s.windows;
}

/** Is the schedule open at this local time? A window belongs to the day it starts on. */
export function scheduleOpen(s: Schedule, t: LocalTime): boolean {
  for (const w of windowsOf(s, t.date)) {
    if (!w.days.includes(t.weekday)) continue;
    const a = minutes(w.start);
    const b = minutes(w.end);
    if (b > a ? t.minute >= a && t.minute < b : t.minute >= a) return true;
  }
  // yesterday's windows that run past midnight
  for (const w of windowsOf(s, t.prevDate)) {
    if (!w.days.includes(t.prevWeekday)) continue;
    const a = minutes(w.start);
    const b = minutes(w.end);
    if (b <= a && t.minute < b) return true;
  }
  return false;
}

export interface Rule {
  id: string;
  effect: 'allow' | 'deny';
  whoKind: 'everyone' | 'resident' | 'household' | 'role' | 'group';
  whoValue: string | null;
  doorGroupId: string | null;
  scheduleId: string | null;
  validFrom: string | null;
  validUntil: string | null;
}

export interface Holder {
  residentId: string;
  householdIds: string[];
  roles: string[]; // residency roles: owner, tenant, family …
  groupIds: string[]; // person groups
}

export interface RuleContext {
  at: string; // ISO instant
  local: LocalTime;
  doorGroupIds: string[];
  schedules: Map<string, Schedule>;
  /** the resident lives under the door's default scope */
  defaultAllowed: boolean;
}

export function ruleMatchesWho(r: Rule, h: Holder): boolean {
  switch (r.whoKind) {
    case 'everyone':
      return true;
    case 'resident':
      return r.whoValue === h.residentId;
    case 'household':
      return !!r.whoValue && h.householdIds.includes(r.whoValue);
    case 'role':
      return !!r.whoValue && h.roles.includes(r.whoValue);
    case 'group':
      return !!r.whoValue && h.groupIds.includes(r.whoValue);
  }
}

export function ruleApplies(r: Rule, h: Holder, c: RuleContext): boolean {
  if (!ruleMatchesWho(r, h)) return false;
  if (r.doorGroupId && !c.doorGroupIds.includes(r.doorGroupId)) return false;
  if (r.validFrom && c.at < r.validFrom) return false;
  if (r.validUntil && c.at >= r.validUntil) return false;
  if (r.scheduleId) {
    const s = c.schedules.get(r.scheduleId);
    if (!s || !scheduleOpen(s, c.local)) return false;
  }
  return true;
}

/** Deny wins; then an allow rule or the default (living there) opens; otherwise no rule. */
export function evaluate(rules: Rule[], h: Holder, c: RuleContext): { allow: boolean; reason: string; ruleId?: string } {
  const applying = rules.filter((r) => ruleApplies(r, h, c));
  const deny = applying.find((r) => r.effect === 'deny');
  if (deny) return { allow: false, reason: 'rule_deny', ruleId: deny.id };
  const allow = applying.find((r) => r.effect === 'allow');
  if (allow) return { allow: true, reason: 'rule_allow', ruleId: allow.id };
  if (c.defaultAllowed) return { allow: true, reason: 'resident' };
  return { allow: false, reason: 'no_rule' };
}
