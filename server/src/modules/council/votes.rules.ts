// Vote counting and the decision rules, in integer arithmetic only: areas are whole
// hundredths of a square metre (centi-m²) and every "≥ 2/3" is compared as 3·x ≥ 2·y, so
// no floating-point threshold can tip a result. Pure functions; the service feeds them the
// frozen roll totals and the tallies.

export type Choice = 'yes' | 'no' | 'abstain';
export const choices: readonly Choice[] = ['yes', 'no', 'abstain'];
export type Rule = 'simple' | 'threshold' | 'art278';
export const rules: readonly Rule[] = ['simple', 'threshold', 'art278'];
export type Basis = 'residents' | 'owners' | 'households';
export const bases: readonly Basis[] = ['residents', 'owners', 'households'];

export interface Fraction {
  num: number;
  den: number;
}

export interface RuleSpec {
  rule: Rule;
  /** Art. 278 items 6–8 (fund use, raising funds, rebuilding, changing use …). */
  major: boolean;
  /** Share of the roll that must take part (simple / threshold). */
  quorum: Fraction | null;
  /** Share of ballots cast that must be yes (threshold). */
  threshold: Fraction | null;
}

export interface Count {
  heads: number;
  area: number; // centi-m²
}

export interface Inputs {
  roll: Count; // everyone eligible (the snapshot at opening)
  tally: Record<Choice, Count>; // ballots by choice
}

export type Outcome = 'passed' | 'failed' | 'quorum_not_met';

export interface Check {
  /** Stable code of the condition, e.g. 'art278.participation.area'. */
  code: string;
  /** The two sides compared, as integers: left ≥ right (or >, see op). */
  left: number;
  op: '>=' | '>';
  right: number;
  met: boolean;
  /** The same condition, human-readable (shares, in integer per-mille rounded down). */
  text: string;
}

export interface Verdict {
  outcome: Outcome;
  rule: Rule;
  major: boolean;
  /** What decided: the code of the first condition not met, or the rule that passed it. */
  decidedBy: string;
  checks: Check[];
  participating: Count;
  cast: Count;
  tally: Record<Choice, Count>;
  roll: Count;
}

const check = (code: string, left: number, op: '>=' | '>', right: number, text: string): Check => ({
  code,
  left,
  op,
  right,
  met: op === '>=' ? left >= right : left > right,
  text,
});

function sum(t: Record<Choice, Count>): Count {
  return choices.reduce((s, c) => ({ heads: s.heads + t[c].heads, area: s.area + t[c].area }), { heads: 0, area: 0 });
}

export function validFraction(f: Fraction | null): boolean {
  return !f || (Number.isInteger(f.num) && Number.isInteger(f.den) && f.den > 0 && f.num >= 0 && f.num <= f.den);
}

/** Decide a closed vote. Every comparison is between products of integers. */
export function decide(spec: RuleSpec, input: Inputs): Verdict {
  const participating = sum(input.tally); // everyone who returned a ballot, abstentions included
  const yes = input.tally.yes;
  const checks: Check[] = [];
  const base = { rule: spec.rule, major: spec.rule === 'art278' && spec.major, participating, cast: participating, tally: input.tally, roll: input.roll };

  if (spec.rule === 'art278') {
    // 参与表决: owners holding ≥ 2/3 of the area and ≥ 2/3 of the owners took part.
    checks.push(check('art278.participation.area', 3 * participating.area, '>=', 2 * input.roll.area, 'participating area ≥ 2/3 of the total area'));
    checks.push(check('art278.participation.heads', 3 * participating.heads, '>=', 2 * input.roll.heads, 'participating owners ≥ 2/3 of all owners'));
    const failedQuorum = checks.find((c) => !c.met);
    if (failedQuorum) return { ...base, outcome: 'quorum_not_met', decidedBy: failedQuorum.code, checks };
    if (spec.major) {
      checks.push(check('art278.major.area', 4 * yes.area, '>=', 3 * participating.area, 'yes area ≥ 3/4 of the participating area'));
      checks.push(check('art278.major.heads', 4 * yes.heads, '>=', 3 * participating.heads, 'yes owners ≥ 3/4 of the participating owners'));
    } else {
      checks.push(check('art278.ordinary.area', 2 * yes.area, '>', participating.area, 'yes area > 1/2 of the participating area'));
      checks.push(check('art278.ordinary.heads', 2 * yes.heads, '>', participating.heads, 'yes owners > 1/2 of the participating owners'));
    }
    return conclude(base, checks, 2, spec.major ? 'art278.major' : 'art278.ordinary');
  }

  if (spec.quorum) {
    const q = spec.quorum;
    checks.push(check('quorum', q.den * participating.heads, '>=', q.num * input.roll.heads, `participants ≥ ${q.num}/${q.den} of the roll`));
    if (!checks[0].met) return { ...base, outcome: 'quorum_not_met', decidedBy: 'quorum', checks };
  }
  if (spec.rule === 'threshold' && spec.threshold) {
    const t = spec.threshold;
    checks.push(check('threshold', t.den * yes.heads, '>=', t.num * participating.heads, `yes ≥ ${t.num}/${t.den} of the ballots cast`));
    // a vote with no ballots at all never passes, even with a 0 threshold
    checks.push(check('threshold.any', participating.heads, '>', 0, 'at least one ballot'));
  } else {
    // simple majority of the ballots cast (abstentions count as cast): a tie fails
    checks.push(check('simple', 2 * yes.heads, '>', participating.heads, 'yes > 1/2 of the ballots cast'));
  }
  return conclude(base, checks, spec.quorum ? 1 : 0, spec.rule === 'threshold' && spec.threshold ? 'threshold' : 'simple');
}

function conclude(base: Omit<Verdict, 'outcome' | 'decidedBy' | 'checks'>, checks: Check[], from: number, passedBy: string): Verdict {
  const failed = checks.slice(from).find((c) => !c.met);
  if (failed) return { ...base, outcome: 'failed', decidedBy: failed.code, checks };
  return { ...base, outcome: 'passed', decidedBy: passedBy, checks };
}

/** Square metres (as stored by the registry, a real) to whole centi-m². */
export function toCenti(areaM2: number | null | undefined): number {
  if (areaM2 == null || !Number.isFinite(areaM2) || areaM2 < 0) return 0;
  return Math.round(areaM2 * 100);
}
