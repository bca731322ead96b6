/**
 * What every recommendation rule reads: the facts, scores, hypotheses and settings, with small
 * pure helpers (recent labs, conditions recorded or suggested, medications by class, declines).
 */
import type { Hypothesis, Score, StaleInput } from '@rationale/shared-types';
import { displayUnit } from '@rationale/shared-types';
import type { DeclinedTherapyFact, LabValue, MedicationFact, PatientFacts } from '../facts';
import { lookBackOf } from '../knowledge/treatment/look-backs';
import type { StaleScore } from '../scores';
import type { ModelSettings } from '../settings';

export interface RuleContext {
  facts: PatientFacts;
  scores: Score[];
  hypotheses: Hypothesis[];
  settings: ModelSettings;
  /**
   * Values set aside by `readLab` as older than a rule's look-back, by rule id; the pipeline puts
   * them on that rule's recommendation (recommendations/index.ts). Absent: not collected.
   */
  staleReads?: Map<string, StaleInput[]>;
  /** The subset of `staleReads` that were a rule's indication (look-backs.ts `indication`). */
  staleIndications?: Map<string, StaleInput[]>;
  /**
   * Read every value whatever its age (still noting the old ones): only to learn which rules an
   * old indicating value would have fired, so the app can say why they did not (index.ts).
   */
  acceptStale?: boolean;
  /**
   * Scores not computed because a dated input is older than its look-back (scores/index.ts
   * `staleScoreInputs`), read through `readScore`. Absent: none.
   */
  staleScores?: ReadonlyMap<string, StaleScore>;
}

export interface ConditionState {
  present: boolean;
  /** recorded: on the problem list; suggested: data-supported but undiagnosed. */
  status?: 'recorded' | 'suggested';
  /** True when recorded, or suggested with the guideline's diagnostic criteria met. */
  confirmed: boolean;
  findingIds: string[];
}

/** A condition recorded on the problem list, or suggested (undiagnosed) by the differential. */
export function conditionState(ctx: RuleContext, conditionId: string): ConditionState {
  const recorded = ctx.facts.recordedConditions.get(conditionId);
  if (recorded && recorded.length > 0) {
    return { present: true, status: 'recorded', confirmed: true, findingIds: recorded.map((f) => f.id) };
  }
  const suggested = ctx.hypotheses.find((h) => h.conditionId === conditionId && h.status === 'suggested');
  if (suggested) {
    const ids = [
      ...(suggested.criteria?.findingIds ?? []),
      ...suggested.contributions.filter((c) => c.present && c.findingId).map((c) => c.findingId as string),
    ];
    return {
      present: true,
      status: 'suggested',
      confirmed: suggested.criteria?.met === true,
      findingIds: unique(ids),
    };
  }
  return { present: false, confirmed: false, findingIds: [] };
}

export const MS_PER_DAY = 86_400_000;

/** Whole months (30.44-day) between an ISO date and now. */
export function monthsAgo(iso: string, now: Date): number {
  return monthsSince(Date.parse(iso), now);
}

/** `monthsAgo` for a date already parsed (a LabValue's `time`). */
export function monthsSince(time: number, now: Date): number {
  return (now.getTime() - time) / (MS_PER_DAY * 30.44);
}

/** The newest value of an analyte no older than `months` (default: settings.labRecencyMonths). */
export function recentLab(
  ctx: RuleContext,
  analyte: string,
  months = ctx.settings.labRecencyMonths,
): LabValue | undefined {
  const newest = ctx.facts.labs.get(analyte)?.[0];
  if (!newest || Number.isNaN(newest.time)) return undefined;
  return monthsSince(newest.time, ctx.facts.now) <= months ? newest : undefined;
}

/** A rule's look-back for an analyte in months, with its source (knowledge/treatment/look-backs.ts). */
export function lookBackMonths(ctx: RuleContext, ruleId: string, analyte: string): number {
  return lookBackOf(ruleId, analyte).months ?? ctx.settings.labRecencyMonths;
}

/** The window a read applies: the look-back, or none when old values are accepted (acceptStale). */
const windowOf = (ctx: RuleContext, ruleId: string, analyte: string): number =>
  ctx.acceptStale ? Number.POSITIVE_INFINITY : lookBackMonths(ctx, ruleId, analyte);

/** The value as a StaleInput, noted against the rule (the pipeline reports it on its recommendation). */
function noteStale(ctx: RuleContext, ruleId: string, analyte: string, lab: LabValue): StaleInput {
  const declared = lookBackOf(ruleId, analyte);
  const stale: StaleInput = {
    analyte: lab.analyte || analyte,
    label: lab.analyte && lab.analyte !== analyte ? `${lab.analyte} (for ${declared.label})` : declared.label,
    value: lab.value,
    ...(lab.unit ? { unit: lab.unit } : {}),
    date: lab.date,
    lookBackMonths: lookBackMonths(ctx, ruleId, analyte),
    findingId: lab.findingId,
    citationIds: [...declared.citationIds],
  };
  const note = (map: Map<string, StaleInput[]> | undefined) => {
    if (!map) return;
    const list = map.get(ruleId) ?? [];
    if (!list.some((x) => x.findingId === stale.findingId)) list.push(stale);
    map.set(ruleId, list);
  };
  note(ctx.staleReads);
  if (declared.indication) note(ctx.staleIndications);
  return stale;
}

/**
 * The newest value of an analyte as a rule reads it: within the rule's declared look-back, or
 * undefined. A newest value older than the look-back is treated as missing and noted against the
 * rule, so its recommendation says so (fresh data wins; issue 13). Throws for an analyte the rule
 * has not declared (knowledge/treatment/look-backs.ts).
 */
export function readLab(ctx: RuleContext, ruleId: string, analyte: string): LabValue | undefined {
  const months = lookBackMonths(ctx, ruleId, analyte);
  const newest = ctx.facts.labs.get(analyte)?.[0];
  if (!newest || Number.isNaN(newest.time)) return undefined;
  if (monthsSince(newest.time, ctx.facts.now) <= months) return newest;
  noteStale(ctx, ruleId, analyte, newest);
  return ctx.acceptStale ? newest : undefined;
}

/** The newest `count` values within the rule's look-back (the newest set aside and noted when older). */
export function readLabs(ctx: RuleContext, ruleId: string, analyte: string, count: number): LabValue[] {
  const months = windowOf(ctx, ruleId, analyte);
  const all = (ctx.facts.labs.get(analyte) ?? []).filter((l) => !Number.isNaN(l.time));
  const recent = all.filter((l) => monthsSince(l.time, ctx.facts.now) <= months).slice(0, count);
  const newest = all[0];
  if (recent.length === 0 && newest) noteStale(ctx, ruleId, analyte, newest);
  return recent;
}

/**
 * The first of `scoreIds` as a rule reads it: computed from current values, or undefined. A score
 * not computed only because an input is older than its look-back has those inputs noted against
 * the rule, so its recommendation says which input is not current (issue 13); `indication`: the
 * rule acts on the score (a 10-year risk at or above the threshold), so with `acceptStale` the
 * score the old values give is returned, to say what was withheld.
 */
export function readScore(
  ctx: RuleContext,
  ruleId: string,
  scoreIds: readonly string[],
  opts: { indication?: boolean } = {},
): Score | undefined {
  for (const id of scoreIds) {
    const score = findScore(ctx.scores, id);
    if (score) return score;
  }
  for (const id of scoreIds) {
    const old = ctx.staleScores?.get(id);
    if (!old) continue;
    const note = (map: Map<string, StaleInput[]> | undefined) => {
      if (!map) return;
      const list = map.get(ruleId) ?? [];
      for (const x of old.stale) if (!list.some((y) => y.findingId === x.findingId)) list.push(x);
      map.set(ruleId, list);
    };
    note(ctx.staleReads);
    if (opts.indication) note(ctx.staleIndications);
    return ctx.acceptStale && opts.indication ? old.score : undefined;
  }
  return undefined;
}

export function medsOfClass(facts: PatientFacts, ...classes: string[]): MedicationFact[] {
  return facts.medications.filter((m) => classes.some((c) => m.classes.includes(c)));
}

export function findScore(scores: Score[], id: string): Score | undefined {
  return scores.find((s) => s.id === id);
}

/** A risk score as a fraction (0-1): scores may be reported in percent. */
export function riskFraction(score: Score): number {
  return score.unit === '%' || score.value > 1 ? score.value / 100 : score.value;
}

export interface Measure {
  value: number;
  date?: string;
  findingIds: string[];
}

/**
 * eGFR as a rule reads it: the newest eGFR observation within the rule's look-back, else the
 * computed CKD-EPI 2021 score. With neither, the newest eGFR (or creatinine) on record is older
 * than the look-back: it is treated as missing and noted against the rule.
 */
export function egfr(ctx: RuleContext, ruleId: string): Measure | undefined {
  const months = windowOf(ctx, ruleId, 'egfr');
  const lab = recentLab(ctx, 'egfr', months);
  const score = findScore(ctx.scores, 'egfr-ckd-epi-2021');
  // Fresh data wins: a creatinine newer than the newest reported eGFR is recomputed (CKD-EPI 2021).
  const creatinine = recentLab(ctx, 'creatinine', months);
  const scoreCurrent =
    score !== undefined && (creatinine !== undefined || months >= ctx.settings.labRecencyMonths);
  if (lab && score && creatinine && creatinine.date > lab.date)
    return { value: score.value, date: creatinine.date, findingIds: scoreFindingIds(score) };
  if (lab) return { value: lab.value, date: lab.date, findingIds: [lab.findingId] };
  if (score && scoreCurrent) return { value: score.value, findingIds: scoreFindingIds(score) };
  const newest = ctx.facts.labs.get('egfr')?.[0] ?? ctx.facts.labs.get('creatinine')?.[0];
  if (newest && !Number.isNaN(newest.time)) noteStale(ctx, ruleId, 'egfr', newest);
  return undefined;
}

export function scoreFindingIds(score: Score): string[] {
  return unique(score.inputs.map((i) => i.findingId).filter((id): id is string => Boolean(id)));
}

/** A decline of any of these classes within the last `months` months. */
export function declined(
  facts: PatientFacts,
  classes: string[],
  months = 12,
): DeclinedTherapyFact | undefined {
  return (facts.declinedTherapies ?? [])
    .filter((d) => d.classes.some((c) => classes.includes(c)) && monthsAgo(d.date, facts.now) <= months)
    .sort((a, b) => b.date.localeCompare(a.date))[0];
}

export function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** "2026-03-02" from an ISO date or dateTime. */
export function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : 'undated';
}

export function fmt(value: number, digits = 1): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** A lab value as rationale text: "LDL 192 mg/dL (2026-03-02)". */
export function labText(label: string, lab: LabValue | Measure, unit?: string): string {
  const u = unit ?? ('unit' in lab ? lab.unit : '');
  return `${label} ${fmt(lab.value)}${u ? ` ${u}` : ''}${lab.date ? ` (${day(lab.date)})` : ''}`;
}

/** The eGFR unit as rationales and alerts write it: the finding labels' "mL/min/1.73m²" (displayUnit). */
export const EGFR_UNIT = displayUnit('mL/min/{1.73_m2}');

/** An eGFR as rationale text: "eGFR 48 mL/min/1.73m² (2026-03-02)". */
export function egfrText(gfr: LabValue | Measure): string {
  return labText('eGFR', gfr, EGFR_UNIT);
}
