/**
 * The reasoning model's entry point: a record and the time in, an Assessment out. Pure and
 * deterministic: no I/O, no clock, no randomness; the same inputs give an identical Assessment.
 */
import type { Assessment, Citation, Finding, PatientRecord, Score, Urgency } from '@rationale/shared-types';
import { findCantMiss } from './cant-miss';
import { buildDifferential, conditionPosteriors, criteriaFor, findingStates } from './differential';
import type { FindingState } from './findings/evaluate';
import type { PatientFacts } from './facts';
import { deriveFindings, recent } from './findings/derived';
import { extractFacts } from './findings/extract';
import { CITATIONS } from './knowledge/evidence';
import { conditionUrgency, ruleUrgency } from './knowledge/urgency';
import { MODEL_PROVENANCE } from './provenance';
import { recommendWithExclusions } from './recommendations';
import { checkOrderSafety } from './safety';
import { computeScores, staleScoreInputs } from './scores';
import { mmeScore } from './scores/mme';
import { applyDiagnosisExclusions, applySafetyExclusions } from './exclusions/apply';
import { DEFAULT_MODEL_SETTINGS, type ModelSettings } from './settings';
import { summarizeTerminology } from './terminology/unrecognized';

/**
 * Assesses one patient: extract facts → scores (with MME) → differential → recommendations →
 * order safety → Assessment (id left empty for the store to assign). See DESIGN.md §3.
 */
export function assess(
  record: PatientRecord,
  now: Date,
  settings: ModelSettings = DEFAULT_MODEL_SETTINGS,
): Assessment {
  const facts = extractFacts(record, now);
  const derived = deriveFindings(facts, settings.labRecencyMonths);
  facts.findings.push(...derived.findings);

  // Evaluated once here and read again by the differential.
  const criteriaOf = criteriaFor(facts, settings.labRecencyMonths);
  const criteria = (id: string) => criteriaOf(id)?.met === true;
  const recorded = (...ids: string[]) =>
    ids.some((id) => (facts.recordedConditions.get(id)?.length ?? 0) > 0);
  const scoreContext = {
    settings,
    diabetes: recorded('t2d', 'type-1-diabetes') || criteria('t2d'),
    hypertension: recorded('htn') || criteria('htn'),
    heartFailure: recorded('heart-failure', 'hfref') || criteria('hfref'),
  };
  const scores: Score[] = computeScores(facts, scoreContext);
  // Scores withheld because an input is not current: the rules that read them say so.
  const staleScores = staleScoreInputs(facts, scoreContext, scores);
  const mme = mmeScore(facts);
  if (mme) scores.push(mme);

  const differential = buildDifferential(facts, settings, derived.present, criteriaOf);
  const nextBestTests = differential.nextBestTests;
  const hypotheses = applyDiagnosisExclusions(
    differential.hypotheses.map((h) => withUrgency(h, conditionUrgency(h.conditionId))),
    facts,
  );
  const excluded = recommendWithExclusions(facts, scores, hypotheses, settings, staleScores);
  const recommendations = excluded.recommendations.map((r) => withUrgency(r, ruleUrgency(r.ruleId)));
  const safety = applySafetyExclusions(checkOrderSafety(facts, record, scores), facts);
  const cantMiss = findCantMiss(facts, scores, hypotheses);

  const citationIds = new Set<string>();
  const addAll = (ids: readonly string[]) => ids.forEach((id) => citationIds.add(id));
  for (const h of hypotheses) {
    addAll(h.citationIds);
    h.contributions.forEach((c) => addAll(c.citationIds));
    if (h.criteria) addAll(h.criteria.citationIds);
  }
  nextBestTests.forEach((t) => addAll(t.citationIds));
  scores.forEach((s) => addAll(s.citationIds));
  recommendations.forEach((r) => addAll(r.citationIds));
  excluded.suppressed.forEach((s) => s.reasons.forEach((r) => addAll(r.citationIds)));
  recommendations.forEach((r) => r.premises?.forEach((p) => addAll(p.citationIds)));
  excluded.unmetPremises.forEach((u) => u.premises.forEach((p) => addAll(p.citationIds)));
  safety.forEach((s) => addAll(s.citationIds));
  [...hypotheses, ...safety].forEach((x) => x.exclusions?.forEach((r) => addAll(r.citationIds)));
  cantMiss.forEach((c) => addAll(c.citationIds));
  [...hypotheses, ...recommendations].forEach((x) => addAll(x.urgency?.citationIds ?? []));
  const citations: Citation[] = [...citationIds]
    .sort()
    .map((id) => CITATIONS.get(id))
    .filter((c): c is Citation => c !== undefined);

  return {
    id: '',
    model: { ...MODEL_PROVENANCE },
    assessedAt: now.toISOString(),
    patient: {
      reference: facts.patientRef,
      ...(facts.ageYears !== undefined ? { ageYears: facts.ageYears } : {}),
      ...(facts.sex ? { sex: facts.sex } : {}),
    },
    findings: findingsToShow(facts.findings, { hypotheses, scores, recommendations, safety, cantMiss }),
    hypotheses,
    nextBestTests,
    scores,
    recommendations,
    ...(excluded.suppressed.length > 0 ? { suppressedRecommendations: excluded.suppressed } : {}),
    safety,
    citations,
    dataGaps: dataGaps(facts, settings),
    terminology: summarizeTerminology(record, facts),
    ...(cantMiss.length > 0 ? { cantMiss } : {}),
    ...(excluded.unmetPremises.length > 0 ? { unmetPremises: excluded.unmetPremises } : {}),
  };
}

/** An item with its urgency class attached (when the knowledge base gives it one). */
function withUrgency<T extends object>(x: T, urgency: Urgency | undefined): T {
  return urgency ? { ...x, urgency } : x;
}

/** How many of an analyte's values the Assessment keeps beyond those the reasoning cites. */
const LATEST_PER_ANALYTE = 5;

/**
 * The findings an Assessment carries: every one the reasoning cites (contributions, criteria,
 * scores, recommendations, contraindications checked, safety alerts), every non-numeric finding
 * (conditions, medications, allergies, symptoms), and the latest few values of each analyte. A
 * record with years of vitals would otherwise carry thousands of readings into the stored
 * assessment, the app and the LLM summary; the reasoning has already used them all.
 */
function findingsToShow(
  findings: Finding[],
  parts: Pick<Assessment, 'hypotheses' | 'scores' | 'recommendations' | 'safety' | 'cantMiss'>,
): Finding[] {
  const cited = new Set<string>();
  for (const c of parts.cantMiss ?? []) c.findingIds.forEach((id) => cited.add(id));
  for (const h of parts.hypotheses) {
    for (const c of h.contributions) if (c.findingId) cited.add(c.findingId);
    h.criteria?.findingIds.forEach((id) => cited.add(id));
  }
  for (const s of parts.scores) for (const input of s.inputs) if (input.findingId) cited.add(input.findingId);
  for (const r of parts.recommendations) {
    r.findingIds.forEach((id) => cited.add(id));
    r.contraindicationsChecked.forEach((c) => c.findingIds.forEach((id) => cited.add(id)));
  }
  for (const a of parts.safety) a.findingIds.forEach((id) => cited.add(id));

  const numeric = (f: Finding) => (f.kind === 'observation' || f.kind === 'vital') && f.value !== undefined;
  const byCode = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!numeric(f)) continue;
    const list = byCode.get(f.code);
    if (list) list.push(f);
    else byCode.set(f.code, [f]);
  }
  const latest = new Set<string>();
  for (const list of byCode.values()) {
    if (list.length <= LATEST_PER_ANALYTE) list.forEach((f) => latest.add(f.id));
    else
      [...list]
        .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.id.localeCompare(b.id))
        .slice(0, LATEST_PER_ANALYTE)
        .forEach((f) => latest.add(f.id));
  }
  return findings.filter((f) => !numeric(f) || cited.has(f.id) || latest.has(f.id));
}

/**
 * The posterior of every knowledge-base condition for a record, as `assess` computes them: for
 * calibration (eval), where a condition the differential leaves out still has a probability.
 */
export function posteriorsFor(
  record: PatientRecord,
  now: Date,
  settings: ModelSettings = DEFAULT_MODEL_SETTINGS,
): Map<string, number> {
  const facts = extractFacts(record, now);
  const derived = deriveFindings(facts, settings.labRecencyMonths);
  facts.findings.push(...derived.findings);
  return conditionPosteriors(facts, settings, derived.present);
}

/** Every knowledge-base finding's state for a record, as `assess` evaluates it (rationale calibrate). */
export function findingStatesFor(
  record: PatientRecord,
  now: Date,
  settings: ModelSettings = DEFAULT_MODEL_SETTINGS,
): Map<string, FindingState> {
  const facts = extractFacts(record, now);
  const derived = deriveFindings(facts, settings.labRecencyMonths);
  facts.findings.push(...derived.findings);
  return findingStates(facts, settings, derived.present);
}

/** What the model wanted and did not find, in words a clinician can act on. */
export function dataGaps(facts: PatientFacts, settings: ModelSettings): string[] {
  const gaps: string[] = [];
  const months = settings.labRecencyMonths;
  const age = facts.ageYears;
  const has = (analyte: string) => recent(facts, analyte, months).length > 0;
  if (age === undefined) gaps.push('No birth date: age-dependent scores and priors not computed');
  if (!facts.sex || facts.sex === 'unknown' || facts.sex === 'other')
    gaps.push('Sex not recorded as female or male: sex-specific equations not computed');
  if (age !== undefined && age >= 18) {
    const bpDays = new Set(
      (facts.labs.get('sbp') ?? [])
        .filter((v) => facts.now.getTime() - v.time <= 730 * 86_400_000)
        .map((v) => v.date.slice(0, 10)),
    );
    if (bpDays.size < 2) gaps.push('Fewer than 2 blood pressure readings on separate days in 2 years');
  }
  if (age !== undefined && age >= 40 && age <= 75 && !(has('ldl') || has('total-cholesterol')))
    gaps.push(`No lipid panel in ${months} months`);
  if (age !== undefined && age >= 35 && !(has('a1c') || has('glucose-fasting')))
    gaps.push(`No HbA1c or fasting glucose in ${months} months (ADA screening from age 35)`);
  const atRisk = ['t2d', 'htn', 'ckd'].some((id) => facts.recordedConditions.has(id));
  if (atRisk && !has('egfr') && !has('creatinine'))
    gaps.push(`No eGFR or creatinine in ${months} months despite diabetes, hypertension or CKD`);
  if (atRisk && !has('uacr'))
    gaps.push(`No urine albumin/creatinine ratio in ${months} months despite diabetes, hypertension or CKD`);
  if (facts.currentSmoker === undefined && age !== undefined && age >= 18)
    gaps.push('Smoking status not recorded');
  if (facts.medications.some((m) => m.classes.length === 0))
    gaps.push(
      `${facts.medications.filter((m) => m.classes.length === 0).length} active medication(s) not in the drug knowledge base`,
    );
  return gaps;
}
