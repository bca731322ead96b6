/**
 * The Bayesian differential (DESIGN.md §3): for each knowledge-base condition, posterior odds =
 * prior odds × Π LR of its present and absent findings, one LR per correlated group (the one
 * furthest from 1); status recorded / suggested / unlikely; the next best tests are the unobserved
 * findings whose result would move the leading posteriors most, in expectation.
 */
import type { Contribution, Hypothesis, NextBestTest } from '@rationale/shared-types';
import { CRITERIA, type CriteriaResult } from './criteria';
import type { PatientFacts } from './facts';
import {
  evaluateFinding,
  type EvaluationContext,
  type FindingEvaluation,
  type FindingState,
} from './findings/evaluate';
import { CONDITIONS_BY_ID, DIAGNOSTIC_KB, FINDING_DEFS, OBSERVABLES_BY_ID } from './knowledge/conditions';
import { CANONICAL_UNITS } from './findings/units';
import { DIAGNOSTIC_CONDITION_CODES } from './knowledge/condition-index';
import { CONTEXT_CONDITIONS } from './knowledge/context-conditions';
import {
  PHENOTYPE_LR,
  likelihoodRatios,
  type ConditionKnowledge,
  type Evidence,
  type FindingDef,
} from './knowledge/schema';
import type { CalibratedLr, CalibratedPrior, ModelSettings } from './settings';

export interface DifferentialResult {
  hypotheses: Hypothesis[];
  nextBestTests: NextBestTest[];
}

interface Scored {
  condition: ConditionKnowledge;
  prior: number;
  posterior: number;
  /** The strongest observed evidence per group, in group order; `contributionsOf` words them. */
  groups: Observed[];
  /** Made on first use (`contributionsOf`): most conditions never enter the differential. */
  contributions?: Contribution[];
  criteria?: CriteriaResult;
  recorded: boolean;
  unknown: PreparedEvidence[];
  usedGroups: ReadonlyMap<string, Observed>;
  /** On a first-line treatment of the condition: a normal value counts for nothing. */
  treated: boolean;
}

/** One piece of a condition's evidence as observed on the record, with the LR it carries. */
interface Observed {
  prepared: PreparedEvidence;
  present: boolean;
  lr: number;
  evaluation: FindingEvaluation;
  confounder?: string;
  local?: CalibratedLr;
}

/**
 * Prior for the patient's age and sex: the narrowest matching band, else the overall value; with a
 * local calibration, moved by the odds ratio of the calibrated to the published overall prior.
 */
export function priorFor(
  condition: ConditionKnowledge,
  facts: PatientFacts,
  calibration?: Readonly<Record<string, CalibratedPrior>>,
): number {
  const age = facts.ageYears;
  const band = condition.prior.bands.find(
    (b) =>
      age !== undefined &&
      age >= b.minAge &&
      (b.maxAge === undefined || age <= b.maxAge) &&
      (b.sex === undefined || b.sex === facts.sex),
  );
  const published = band?.value ?? condition.prior.value;
  const calibrated = calibration?.[condition.id]?.calibrated;
  if (calibrated === undefined) return published;
  return prob(odds(published) * (odds(calibrated) / odds(condition.prior.value)));
}

/** The published prior and the site's estimate behind a calibrated prior, for the app. */
function calibratedFrom(
  settings: ModelSettings,
  conditionId: string,
): Pick<Hypothesis, 'priorCalibration'> | undefined {
  const c = settings.priorCalibration?.[conditionId];
  if (!c) return undefined;
  return {
    priorCalibration: {
      published: c.published,
      localEstimate: c.localEstimate,
      interval: [c.interval[0], c.interval[1]],
      localPatients: c.localPatients,
    },
  };
}

const odds = (p: number) => p / (1 - p);
const prob = (o: number) => o / (1 + o);

/** A condition's evidence with what depends only on the knowledge base worked out once. */
interface PreparedEvidence {
  evidence: Evidence;
  def: FindingDef;
  /** The evidence's group, or its own key when it has none. */
  group: string;
  lrs: { positive: number; negative: number };
}

const PREPARED = new WeakMap<ConditionKnowledge, PreparedEvidence[]>();

function preparedEvidence(condition: ConditionKnowledge): PreparedEvidence[] {
  let prepared = PREPARED.get(condition);
  if (!prepared) {
    prepared = [];
    for (const [index, evidence] of condition.evidence.entries()) {
      const def = FINDING_DEFS.get(evidence.finding);
      if (!def) continue;
      const group = evidence.group ?? `${evidence.finding}#${index}`;
      prepared.push({ evidence, def, group, lrs: likelihoodRatios(evidence) });
    }
    PREPARED.set(condition, prepared);
  }
  return prepared;
}

function scoreCondition(
  condition: ConditionKnowledge,
  ctx: EvaluationContext,
  evaluations: Map<string, FindingEvaluation>,
  timeline: RecordTimeline,
  calibration: Pick<ModelSettings, 'priorCalibration' | 'lrCalibration'>,
  criteriaOf: CriteriaOf,
): Scored {
  const facts = ctx.facts;
  const prior = priorFor(condition, facts, calibration.priorCalibration);
  const localLrs = calibration.lrCalibration?.[condition.id];
  const unknown: PreparedEvidence[] = [];
  const observed: Observed[] = [];
  for (const prepared of preparedEvidence(condition)) {
    const { evidence, def, lrs } = prepared;
    let evaluation = evaluations.get(def.code);
    if (!evaluation) {
      evaluation = evaluateFinding(def, ctx);
      evaluations.set(def.code, evaluation);
    }
    if (evaluation.state === 'unknown') {
      unknown.push(prepared);
      continue;
    }
    const present = evaluation.state === 'present';
    const publishedLr = present ? lrs.positive : lrs.negative;
    // The site's own estimate, where `rationale calibrate` made one (model/calibration.ts).
    const local = present ? localLrs?.[evidence.finding]?.positive : localLrs?.[evidence.finding]?.negative;
    let lr = local?.calibrated ?? publishedLr;
    let confounder: string | undefined;
    if (present && evidence.confounders?.length) {
      // Another indication of the same evidence on the record lowers what it says (metformin with
      // prediabetes), but only one that was there when the evidence began: a statin started years
      // before a stroke was not prescribed for the stroke.
      const started = evidenceStart(evaluation.findingIds, timeline);
      for (const c of evidence.confounders) {
        const other = c.conditionIds.find((id) => wasOnRecordBy(id, started, timeline));
        if (other !== undefined && c.lrPositive < lr) {
          lr = c.lrPositive;
          confounder = `${CONDITION_LABELS.get(other) ?? other}${timeline.inferred?.has(other) ? ' (inferred from the record)' : ''}`;
        }
      }
    }
    const x: Observed = { prepared, present, lr, evaluation };
    if (confounder) x.confounder = confounder;
    else if (local) x.local = local;
    observed.push(x);
  }
  // A normal value under a first-line treatment of the condition (an A1c of 6.1% on metformin and
  // insulin, a normal TSH on levothyroxine, an LDL of 90 on a statin) is the treatment working, not
  // evidence against the condition, whatever else the drug was prescribed for: it lowers the value
  // all the same.
  const treated = observed.some(
    (x) =>
      x.present &&
      x.prepared.evidence.basis === 'phenotype' &&
      x.prepared.lrs.positive >= PHENOTYPE_LR.typical &&
      x.prepared.def.rule.type === 'medication',
  );
  // Strongest finding per group (by |log LR|).
  const byGroup = new Map<string, Observed>();
  for (const x of observed) {
    if (treated && !x.present && x.lr < 1) continue;
    if (x.lr === 1 && !x.confounder) continue;
    const { group } = x.prepared;
    const current = byGroup.get(group);
    if (!current || Math.abs(Math.log(x.lr)) > Math.abs(Math.log(current.lr))) byGroup.set(group, x);
  }
  const groups = [...byGroup.values()];
  if (groups.length > 1) groups.sort((a, b) => (a.prepared.group < b.prepared.group ? -1 : 1));
  let o = odds(prior);
  for (const x of groups) o *= x.lr;
  return {
    condition,
    prior,
    posterior: prob(o),
    groups,
    criteria: criteriaOf(condition.id),
    recorded: (facts.recordedConditions.get(condition.id)?.length ?? 0) > 0,
    unknown,
    usedGroups: byGroup,
    treated,
  };
}

/** A scored condition's contributions, strongest first: worded once, when first asked for. */
function contributionsOf(s: Scored, sex: PatientFacts['sex']): Contribution[] {
  if (s.contributions) return s.contributions;
  const contributions: Contribution[] = [];
  for (const { prepared, present, lr, evaluation, confounder, local } of s.groups) {
    const { evidence, def, group } = prepared;
    const label = present ? def.label : `Not ${lowerFirst(def.label)}`;
    contributions.push({
      ...(evaluation.findingIds[0] ? { findingId: evaluation.findingIds[0] } : {}),
      findingCode: evidence.finding,
      label: confounder ? `${label} (also explained by ${lowerFirst(confounder)})` : label,
      present,
      likelihoodRatio: lr,
      ...(local
        ? {
            lrCalibration: {
              published: local.published,
              localEstimate: local.localEstimate,
              interval: [local.interval[0], local.interval[1]] as [number, number],
              cases: local.cases,
              nonCases: local.nonCases,
            },
          }
        : {}),
      ...(evidence.group ? { group } : {}),
      ...thresholdOf(def, sex),
      citationIds: [evidence.citationId],
    });
  }
  contributions.sort(
    (a, b) =>
      Math.abs(Math.log(b.likelihoodRatio)) - Math.abs(Math.log(a.likelihoodRatio)) ||
      (a.findingCode < b.findingCode ? -1 : 1),
  );
  s.contributions = contributions;
  return contributions;
}

/** Guideline criteria by condition id, each evaluated at most once per assessment. */
export type CriteriaOf = (conditionId: string) => CriteriaResult | undefined;

/**
 * The criteria of `CRITERIA` for these facts, evaluated on first request and kept: the score
 * context and the differential read the same results instead of evaluating them again.
 */
export function criteriaFor(facts: PatientFacts, recencyMonths: number): CriteriaOf {
  const results = new Map<string, CriteriaResult | undefined>();
  return (conditionId) => {
    if (results.has(conditionId)) return results.get(conditionId);
    const evaluator = CRITERIA[conditionId];
    const result = evaluator ? evaluator({ facts, recencyMonths }) : undefined;
    results.set(conditionId, result);
    return result;
  };
}

/**
 * When things began on the record: each condition's earliest date (active, resolved, or named as a
 * visit's or prescription's reason; '' when undated) and each record-evidence finding's first date.
 */
export interface RecordTimeline {
  conditionSince: ReadonlyMap<string, string>;
  evidenceSince: ReadonlyMap<string, string>;
  /** Conditions not on the record that the record itself establishes (see scoreAll). */
  inferred?: ReadonlySet<string>;
}

/** Builds the timeline once per assessment. */
export function recordTimeline(facts: PatientFacts): RecordTimeline {
  const conditionSince = new Map<string, string>();
  const note = (id: string, date: string | undefined) => {
    const d = date ?? '';
    const current = conditionSince.get(id);
    if (current === undefined || d < current) conditionSince.set(id, d);
  };
  for (const [id, found] of facts.recordedConditions) for (const f of found) note(id, f.date);
  for (const f of facts.findings)
    if (f.kind === 'condition' && f.code.startsWith('history:')) note(f.code.slice(8), f.date);
  for (const r of facts.reasons ?? []) note(r.conditionId, r.first);
  const evidenceSince = new Map<string, string>();
  for (const u of facts.medicationUse ?? []) evidenceSince.set(u.findingId, u.first ?? '');
  for (const p of facts.procedures ?? []) evidenceSince.set(p.findingId, p.first ?? '');
  for (const r of facts.reasons ?? []) evidenceSince.set(r.findingId, r.first ?? '');
  return { conditionSince, evidenceSince };
}

/** The earliest date of the findings behind an evidence entry; undefined when any is undated. */
function evidenceStart(findingIds: readonly string[], timeline: RecordTimeline): string | undefined {
  let start: string | undefined;
  for (const id of findingIds) {
    const since = timeline.evidenceSince.get(id);
    if (!since) return undefined;
    if (start === undefined || since < start) start = since;
  }
  return start;
}

/**
 * Whether a condition was on the record (active, resolved, or a coded reason) by the day the
 * evidence began. Undated on either side: it counts, so an undated confounder still explains.
 */
function wasOnRecordBy(conditionId: string, started: string | undefined, timeline: RecordTimeline): boolean {
  const since = timeline.conditionSince.get(conditionId);
  if (since === undefined) return false;
  if (!since || started === undefined) return true;
  return since.slice(0, 10) <= started.slice(0, 10);
}

const CONDITION_LABELS: ReadonlyMap<string, string> = new Map(
  DIAGNOSTIC_CONDITION_CODES.concat(CONTEXT_CONDITIONS).map((c) => [c.id, c.label]),
);

/** The lab threshold a finding is defined by, for the app's trend plots (sex-specific where set). */
function thresholdOf(def: FindingDef, sex: string | undefined): Pick<Contribution, 'threshold'> {
  const rule = def.rule;
  if (rule.type === 'derived' && rule.threshold) {
    const unit = CANONICAL_UNITS[rule.threshold.analyte];
    return { threshold: { ...rule.threshold, ...(unit ? { unit } : {}) } };
  }
  if (rule.type !== 'lab') return {};
  const value = (sex === 'female' ? rule.female : sex === 'male' ? rule.male : undefined) ?? rule.value;
  const unit = CANONICAL_UNITS[rule.analyte];
  return { threshold: { analyte: rule.analyte, op: rule.op, value, ...(unit ? { unit } : {}) } };
}

function lowerFirst(s: string): string {
  return s.length > 1 && s[1] === s[1]?.toLowerCase() ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

const pct = (p: number) => (p >= 0.995 ? '>99%' : p < 0.01 ? '<1%' : `${Math.round(p * 100)}%`);

function rationale(s: Scored, contributions: Contribution[], status: Hypothesis['status']): string {
  if (status === 'recorded') {
    const extra = s.criteria ? `; ${s.criteria.detail}` : '';
    return `${s.condition.label} is on the problem list${extra}.`;
  }
  if (s.criteria?.met) {
    return `${s.criteria.detail}: meets ${s.condition.criteria?.description.split(':')[0] ?? 'guideline'} criteria for ${s.condition.label.toLowerCase()}${s.criteria.stage ? ` (${s.criteria.stage})` : ''}, not on the problem list.`;
  }
  const top = contributions
    .filter((c) => c.likelihoodRatio > 1)
    .slice(0, 3)
    .map((c) => `${c.label.toLowerCase()} (LR ${Number(c.likelihoodRatio.toFixed(1))})`);
  const against = contributions
    .filter((c) => c.likelihoodRatio < 1)
    .slice(0, 2)
    .map((c) => `${c.label.toLowerCase()} (LR ${Number(c.likelihoodRatio.toFixed(2))})`);
  const parts = [`Probability ${pct(s.posterior)} from a prior of ${pct(s.prior)}`];
  if (top.length) parts.push(`with ${top.join(', ')}`);
  if (against.length) parts.push(`against: ${against.join(', ')}`);
  if (status === 'possible' && s.condition.criteria) {
    parts.push(`; guideline criteria not yet met (${s.condition.criteria.description.split(':')[0]})`);
  }
  return `${parts.join(' ').replace(' ;', ';')}.`;
}

/** What evaluating findings needs: the facts, the settings' recency, derived findings, ids by code. */
function evaluationContext(
  facts: PatientFacts,
  settings: ModelSettings,
  derived: ReadonlyMap<string, string[]>,
): EvaluationContext {
  const byCode = new Map<string, string[]>();
  for (const f of facts.findings) {
    const ids = byCode.get(f.code);
    if (ids) ids.push(f.id);
    else byCode.set(f.code, [f.id]);
  }
  return { facts, recencyMonths: settings.labRecencyMonths, derived, byCode };
}

/**
 * Ranks the knowledge base's conditions for this patient. A condition enters the differential
 * when it is recorded, when its criteria are evaluated on data, or when any of its findings is
 * present; ranking is by posterior (then condition id, for stable output). `criteriaOf` lets the
 * caller share criteria it has already evaluated on the same facts.
 */
export function buildDifferential(
  facts: PatientFacts,
  settings: ModelSettings,
  derived: ReadonlyMap<string, string[]>,
  criteriaOf: CriteriaOf = criteriaFor(facts, settings.labRecencyMonths),
): DifferentialResult {
  const scored: Scored[] = [];
  for (const s of scoreAll(facts, settings, derived, criteriaOf)) {
    const anyPresent = s.groups.some((x) => x.present && x.lr > 1);
    // A guideline stage short of the criteria (ACC/AHA stage 1 blood pressure, subclinical
    // hypothyroidism) is shown, whatever its probability.
    if (s.recorded || s.criteria?.met || s.criteria?.stage || anyPresent) scored.push(s);
  }
  const hypotheses: Hypothesis[] = [];
  for (const s of scored) {
    const status = hypothesisStatus(s, settings);
    const c = s.condition;
    const contributions = contributionsOf(s, facts.sex);
    const citationIds = [
      ...new Set([
        ...c.citationIds,
        c.prior.citationId,
        ...contributions.flatMap((x) => x.citationIds),
        ...(c.criteria?.citationIds ?? []),
      ]),
    ];
    hypotheses.push({
      id: `hyp-${c.id}`,
      conditionId: c.id,
      label: c.label,
      status,
      ...(s.criteria?.stage ? { stage: s.criteria.stage } : {}),
      prior: round(s.prior),
      ...(calibratedFrom(settings, c.id) ?? {}),
      posterior: round(s.posterior),
      codes: c.addCodes,
      contributions,
      ...(s.criteria && c.criteria
        ? {
            criteria: {
              met: s.criteria.met,
              description: c.criteria.description,
              findingIds: s.criteria.findingIds.filter(Boolean),
              citationIds: c.criteria.citationIds,
            },
          }
        : {}),
      rationale: rationale(s, contributions, status),
      citationIds,
      origin: 'knowledge-model',
    });
  }
  hypotheses.sort((a, b) => b.posterior - a.posterior || (a.conditionId < b.conditionId ? -1 : 1));
  return { hypotheses, nextBestTests: nextBestTests(scored.filter((s) => !s.recorded)) };
}

/**
 * Every knowledge-base condition's posterior for these facts, whether or not it would enter the
 * differential (a condition with nothing present keeps its prior times its absent findings'
 * LRs): what a calibration check compares with what is recorded.
 */
export function conditionPosteriors(
  facts: PatientFacts,
  settings: ModelSettings,
  derived: ReadonlyMap<string, string[]>,
): Map<string, number> {
  const criteriaOf = criteriaFor(facts, settings.labRecencyMonths);
  return new Map(
    scoreAll(facts, settings, derived, criteriaOf).map((s) => [s.condition.id, s.posterior] as const),
  );
}

/**
 * Scores every condition. A condition that is not on the record but that the record itself
 * establishes (suggested: criteria met, or record evidence) then explains other evidence as a
 * recorded one would, from the day its own evidence began: a statin started together with
 * nitroglycerin and clopidogrel is secondary prevention of the coronary disease they imply, not a
 * sign of hyperlipidemia. One further pass; what it changes does not feed back.
 */
function scoreAll(
  facts: PatientFacts,
  settings: ModelSettings,
  derived: ReadonlyMap<string, string[]>,
  criteriaOf: CriteriaOf,
): Scored[] {
  const ctx = evaluationContext(facts, settings, derived);
  const evaluations = new Map<string, FindingEvaluation>();
  const timeline = recordTimeline(facts);
  const first = DIAGNOSTIC_KB.conditions.map((c) =>
    scoreCondition(c, ctx, evaluations, timeline, settings, criteriaOf),
  );
  const inferred = new Map<string, string>();
  let findingDates: Map<string, string> | undefined;
  for (const s of first) {
    if (timeline.conditionSince.has(s.condition.id) || hypothesisStatus(s, settings) !== 'suggested')
      continue;
    findingDates ??= new Map(facts.findings.map((f) => [f.id, f.date ?? '']));
    let since: string | undefined;
    for (const x of s.groups) {
      const findingId = x.evaluation.findingIds[0];
      if (!x.present || x.lr <= 1 || !findingId) continue;
      const date = timeline.evidenceSince.get(findingId) ?? findingDates.get(findingId) ?? '';
      if (since === undefined || date < since) since = date;
    }
    inferred.set(s.condition.id, since ?? '');
  }
  if (!inferred.size) return first;
  const extended: RecordTimeline = {
    conditionSince: new Map([...timeline.conditionSince, ...inferred]),
    evidenceSince: timeline.evidenceSince,
    inferred: new Set(inferred.keys()),
  };
  return first.map((s) =>
    s.condition.evidence.some((e) => e.confounders.some((k) => k.conditionIds.some((id) => inferred.has(id))))
      ? scoreCondition(s.condition, ctx, evaluations, extended, settings, criteriaOf)
      : s,
  );
}

/**
 * The state (present, absent, unknown) of every finding the knowledge base's conditions weigh, by
 * finding code, evaluated as the differential evaluates them: what `rationale calibrate` counts
 * against the problem list to re-estimate likelihood ratios.
 */
export function findingStates(
  facts: PatientFacts,
  settings: ModelSettings,
  derived: ReadonlyMap<string, string[]>,
): Map<string, FindingState> {
  const ctx = evaluationContext(facts, settings, derived);
  const states = new Map<string, FindingState>();
  for (const condition of DIAGNOSTIC_KB.conditions)
    for (const evidence of condition.evidence) {
      const def = FINDING_DEFS.get(evidence.finding);
      if (def && !states.has(evidence.finding)) states.set(evidence.finding, evaluateFinding(def, ctx).state);
    }
  return states;
}

/**
 * Where a guideline defines diagnostic criteria (ADA, KDIGO, ACC/AHA), only meeting them makes an
 * unrecorded condition `suggested`; a high posterior without them is `possible`. Conditions with no
 * criteria (symptom-level ones) are suggested on the posterior alone.
 */
function hypothesisStatus(s: Scored, settings: ModelSettings): Hypothesis['status'] {
  if (s.recorded) return 'recorded';
  if (s.criteria?.met) return 'suggested';
  if (s.posterior < settings.minSuggestedPosterior) return 'unlikely';
  if (s.condition.criteria && s.posterior >= settings.phenotypeSuggestedPosterior && hasRecordEvidence(s))
    return 'suggested';
  return s.condition.criteria ? 'possible' : 'suggested';
}

/** Whether record evidence (a treatment, procedure or coded reason, basis `phenotype`) of at least the `typical` tier raised the posterior. */
function hasRecordEvidence(s: Scored): boolean {
  // A drug of many indications (a beta-blocker, LR 2) does not carry a suggestion: at least a
  // first-line treatment, a procedure or a coded reason must (PHENOTYPE_LR.typical or more).
  return s.groups.some(
    (x) => x.present && x.lr >= PHENOTYPE_LR.typical && PHENOTYPE_FINDINGS.has(x.prepared.evidence.finding),
  );
}

const PHENOTYPE_FINDINGS: ReadonlySet<string> = new Set(
  DIAGNOSTIC_KB.conditions.flatMap((c) =>
    c.evidence.filter((e) => e.basis === 'phenotype').map((e) => e.finding),
  ),
);

function round(p: number): number {
  return Number(p.toFixed(6));
}

/**
 * Expected absolute change in posterior from observing a finding:
 * P(+)·|p⁺ − p| + P(−)·|p⁻ − p|, with P(+) = p·sens + (1 − p)·(1 − spec), where sens and spec
 * follow from LR+ and LR− (spec = (LR+ − 1)/(LR+ − LR−), sens = LR+·(1 − spec)). Only findings
 * whose group has no observed finding yet count; summed per observable over the leading hypotheses.
 */
export function expectedChange(p: number, lrPositive: number, lrNegative: number): number {
  if (lrPositive <= lrNegative) return 0;
  const spec = (lrPositive - 1) / (lrPositive - lrNegative);
  const sens = lrPositive * (1 - spec);
  const pPos = p * sens + (1 - p) * (1 - spec);
  const pPlus = prob(odds(p) * lrPositive);
  const pMinus = prob(odds(p) * lrNegative);
  return pPos * Math.abs(pPlus - p) + (1 - pPos) * Math.abs(pMinus - p);
}

const LEADING = 5;

function nextBestTests(candidates: Scored[]): NextBestTest[] {
  const leading = [...candidates]
    .filter((s) => !s.criteria?.met && s.posterior < 0.99)
    .sort((a, b) => b.posterior - a.posterior || (a.condition.id < b.condition.id ? -1 : 1))
    .slice(0, LEADING);
  const byObservable = new Map<
    string,
    { change: number; conditionIds: Set<string>; citationIds: Set<string>; reasons: string[] }
  >();
  for (const s of leading) {
    const bestPerObservable = new Map<string, { change: number; evidence: Evidence }>();
    for (const { evidence, def } of s.unknown) {
      const observable = def.observable;
      // Only what can be ordered, measured or asked (a coded observable) is a next test; a chart
      // artefact such as the problem list is not.
      if (!OBSERVABLES_BY_ID.get(observable)?.code) continue;
      if (evidence.group && s.usedGroups.has(evidence.group)) continue;
      const lrs = likelihoodRatios(evidence);
      if (lrs.negative === 1 && evidence.basis === 'association') continue;
      // Under a first-line treatment a normal result counts for nothing (see the scoring), so the
      // test cannot settle the question: an LDL-C on a statin measures the response (ACC/AHA 2018).
      const change = expectedChange(s.posterior, lrs.positive, s.treated ? 1 : lrs.negative);
      const current = bestPerObservable.get(observable);
      if (!current || change > current.change) bestPerObservable.set(observable, { change, evidence });
    }
    for (const [observable, { change, evidence }] of bestPerObservable) {
      if (change < 0.005) continue;
      const entry = byObservable.get(observable) ?? {
        change: 0,
        conditionIds: new Set(),
        citationIds: new Set(),
        reasons: [],
      };
      entry.change += change;
      entry.conditionIds.add(s.condition.id);
      entry.citationIds.add(evidence.citationId);
      entry.reasons.push(
        `${s.condition.label.toLowerCase()} ${pct(s.posterior)} (±${Math.round(change * 100)} points expected)`,
      );
      byObservable.set(observable, entry);
    }
  }
  return [...byObservable.entries()]
    .sort(([a, x], [b, y]) => y.change - x.change || (a < b ? -1 : 1))
    .slice(0, 5)
    .map(([observable, entry]) => {
      const obs = OBSERVABLES_BY_ID.get(observable);
      return {
        id: `nbt-${observable}`,
        label: obs?.label ?? observable,
        ...(obs?.code ? { code: obs.code } : {}),
        conditionIds: [...entry.conditionIds].sort(),
        expectedChange: Number(entry.change.toFixed(4)),
        rationale: `Would move ${entry.reasons.join('; ')}.`,
        citationIds: [...entry.citationIds].sort(),
      };
    });
}

export { CONDITIONS_BY_ID };
