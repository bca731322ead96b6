/**
 * Leave-the-diagnosis-out evaluation: for each patient, remove the recorded Conditions of the
 * target conditions, assess what remains, and check whether the model suggests them back. An
 * adapter of the one pipeline: both assessments go through `assessPatient` and the cards through
 * `chooseCards`, exactly as a patient-view hook would.
 */
import type { Assessment, Coding, PatientRecord, Resource } from '@rationale/shared-types';
import {
  assessPatient,
  chooseCards,
  readRecord,
  type AssessmentPipeline,
  type CardChoice,
} from '../assessment';
import { renderCards } from '../cards';
import { assess, posteriorsFor } from '../model/assess';
import { ageAt } from '../model/findings/extract';
import {
  bootstrapCases,
  brier,
  ece,
  reliability,
  type Case,
  type Estimate,
  type ReliabilityBin,
} from '../validation/metrics';
import { DIAGNOSTIC_CONDITION_CODES, matchConditionCodes } from '../model/knowledge/condition-index';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { recordEnd } from './load';
import { REFERENCE_CRITERIA } from './reference';

export const HEADLINE_CONDITIONS = ['t2d', 'htn', 'ckd', 'hyperlipidemia'] as const;

/** The chronic conditions whose probabilities are checked for calibration (issue 14's list). */
export const CALIBRATION_CONDITIONS = [
  't2d',
  'htn',
  'hyperlipidemia',
  'ckd',
  'af',
  'heart-failure',
  'cad',
  'anemia',
  'copd',
  'hypothyroidism',
  'depression',
  'obesity',
  'gout',
  'osteoporosis',
  'prediabetes',
] as const;

export interface ConditionCounts {
  conditionId: string;
  recorded: number;
  suggestedBack: number;
  /** Suggested although not recorded. */
  suggestedUnrecorded: number;
  /** Reference (data-supported) counts; undefined when the condition has no reference check. */
  supported?: {
    recordedSupported: number;
    suggestedBackSupported: number;
    /** Suggested among records that are neither recorded nor data-supported: false positives. */
    suggestedNeither: number;
    unrecordedSupported: number;
    suggestedUnrecordedSupported: number;
  };
}

/** How well the masked record's probabilities match what is recorded, per condition (adults). */
export interface Calibration {
  conditionId: string;
  n: number;
  recorded: number;
  brier: number | null;
  ece: number | null;
  auroc: Estimate;
  reliability: ReliabilityBin[];
}

export interface EvalResult {
  patients: number;
  conditions: ConditionCounts[];
  calibration: Calibration[];
  /** Pooled over the calibration table's conditions: Brier and expected calibration error. */
  calibrationOverall: { n: number; brier: number | null; ece: number | null };
  cardsPerPatientView: number | null;
  recommendations: { total: number; byKind: Record<string, number>; byRule: Record<string, number> };
  /** With `explain`: each miss and false positive of the named conditions, by synthetic patient id. */
  explained?: ExplainedCase[];
}

/** Why a recorded condition was not suggested back, or an unrecorded one was: the masked record's reading. */
export interface ExplainedCase {
  conditionId: string;
  patientId: string;
  kind: 'missed' | 'false-positive';
  status: string;
  posterior: number;
  /** Each contribution as `label (LR x)`, strongest first. */
  contributions: string[];
}

const TARGET_IDS = new Set(DIAGNOSTIC_CONDITION_CODES.map((s) => s.id));

/** One patient's resources, as read from a bundle or an export. */
export interface EvalPatient {
  patientId: string;
  resources: readonly Resource[];
}

/**
 * Masks the target conditions honestly (issue 14): removes their Conditions and every other direct
 * mention of them: Encounter and MedicationRequest/ServiceRequest reason codes and references,
 * CarePlan/Goal `addresses`, Encounter `diagnosis` and Claim/ExplanationOfBenefit `diagnosis`
 * entries that point to a removed Condition or carry a target condition's code. The rest of the
 * record (medications, procedures, labs) stays, so the model has to infer, not read, the answer.
 * Returns the masked resources and the target conditions that were recorded as active.
 */
export function maskTargets(
  resources: readonly Resource[],
  isTarget: (conditionId: string) => boolean = (id) => TARGET_IDS.has(id),
): { stripped: Resource[]; recorded: Set<string> } {
  const recorded = new Set<string>();
  const removed = new Set<string>();
  const namesTarget = (concept: { coding?: Coding[] } | undefined) =>
    matchConditionCodes(concept?.coding ?? []).some((m) => isTarget(m.id));
  const conditions = resources.filter((r) => {
    if (r.resourceType !== 'Condition') return true;
    const status = r.clinicalStatus?.coding?.[0]?.code;
    const matches = matchConditionCodes(r.code?.coding ?? []).filter((m) => isTarget(m.id));
    if (!matches.length) return true;
    if (!status || status === 'active' || status === 'recurrence' || status === 'relapse')
      matches.forEach((m) => recorded.add(m.id));
    if (r.id) removed.add(r.id);
    return false;
  });
  const pointsToRemoved = (ref: { reference?: string } | undefined) =>
    ref?.reference !== undefined && removed.has(ref.reference.split('/').pop() ?? '');
  const stripped = conditions.map((r) => maskMentions(r, namesTarget, pointsToRemoved));
  return { stripped, recorded };
}

type Mention = Record<string, unknown>;

/** A copy of the resource without the reason, `addresses` and diagnosis entries that name a masked condition. */
function maskMentions(
  resource: Resource,
  namesTarget: (concept: { coding?: Coding[] } | undefined) => boolean,
  pointsToRemoved: (ref: { reference?: string } | undefined) => boolean,
): Resource {
  const r = resource as unknown as Mention;
  let copy: Mention | undefined;
  const set = (key: string, value: unknown[]) => {
    copy ??= { ...r };
    if (value.length) copy[key] = value;
    else delete copy[key];
  };
  const list = (key: string) => (Array.isArray(r[key]) ? (r[key] as Mention[]) : undefined);
  const reasonCode = list('reasonCode');
  if (reasonCode?.some((c) => namesTarget(c)))
    set(
      'reasonCode',
      reasonCode.filter((c) => !namesTarget(c)),
    );
  for (const key of ['reasonReference', 'addresses']) {
    const refs = list(key);
    if (refs?.some((x) => pointsToRemoved(x)))
      set(
        key,
        refs.filter((x) => !pointsToRemoved(x)),
      );
  }
  const diagnosis = list('diagnosis');
  const masked = (d: Mention) =>
    pointsToRemoved(d.condition as { reference?: string }) ||
    pointsToRemoved(d.diagnosisReference as { reference?: string }) ||
    namesTarget(d.diagnosisCodeableConcept as { coding?: Coding[] });
  if (diagnosis?.some(masked))
    set(
      'diagnosis',
      diagnosis.filter((d) => !masked(d)),
    );
  return (copy ?? r) as unknown as Resource;
}

/** The knowledge model with its default settings: what eval measures. */
const PIPELINE: AssessmentPipeline = {
  assess,
  settings: DEFAULT_MODEL_SETTINGS,
  newId: () => 'eval',
};

/** What eval makes of one patient: both assessments and the patient-view cards of the full record. */
export interface EvalPatientResult {
  /** The day after the record's last dated resource. */
  now: Date;
  /** The full record, for the reference checks. */
  record: PatientRecord;
  full: Readonly<Assessment>;
  /** The patient-view cards of the full assessment (budget 3, generic profile); undefined if rendering failed. */
  cards: CardChoice | undefined;
  /** The assessment of the record without the target conditions' Conditions. */
  stripped: Readonly<Assessment>;
  /** Target conditions recorded as active. */
  recorded: Set<string>;
  /** Every knowledge-base condition's probability on the masked record. */
  posteriors: Map<string, number>;
  /** Age in whole years on `now`, when the birth date is known. */
  ageYears?: number;
}

/**
 * Assesses one patient as eval does: the full record as of the day after it ends (and its
 * patient-view cards), then the record with the target conditions removed.
 */
export async function assessForEval(patient: EvalPatient): Promise<EvalPatientResult> {
  const { patientId, resources } = patient;
  // "Now" is the day after the full record ends, so the record is read (and shape-checked) first.
  const { record } = readRecord({ patientId, resources });
  const now = recordEnd(record);
  const { assessment: full } = await assessPatient(
    { data: { patientId, resources }, now, hook: 'patient-view' },
    PIPELINE,
  );
  let cards: CardChoice | undefined;
  try {
    let n = 0;
    cards = chooseCards(
      full,
      {
        hook: 'patient-view',
        service: { cardBudget: 3, mode: 'active' },
        profile: 'generic',
        minSuggestedPosterior: DEFAULT_MODEL_SETTINGS.minSuggestedPosterior,
        snoozedTopics: new Set(),
        newUuid: () => `uuid-${++n}`,
      },
      renderCards,
    );
  } catch {
    cards = undefined;
  }
  const { stripped: strippedResources, recorded } = maskTargets(resources);
  const { assessment: stripped } = await assessPatient(
    { data: { patientId, resources: strippedResources }, now },
    PIPELINE,
  );
  const masked = readRecord({ patientId, resources: strippedResources }).record;
  const posteriors = posteriorsFor(masked, now, DEFAULT_MODEL_SETTINGS);
  // The assessment's own probability where it has one (identical unless the pipeline adjusted it).
  for (const h of stripped.hypotheses)
    if (posteriors.has(h.conditionId)) posteriors.set(h.conditionId, h.posterior);
  const birthDate = record.patient.birthDate;
  return {
    now,
    record,
    full,
    cards,
    stripped,
    recorded,
    posteriors,
    ...(birthDate ? { ageYears: ageAt(birthDate, now) } : {}),
  };
}

/** Runs the evaluation over patients; deterministic for a given input. */
export async function evaluate(
  patients: ReadonlyArray<EvalPatient>,
  explain: ReadonlySet<string> = new Set(),
): Promise<EvalResult> {
  const explained: ExplainedCase[] = [];
  const counts = new Map<string, ConditionCounts>();
  const get = (id: string) => {
    let c = counts.get(id);
    if (!c) {
      c = { conditionId: id, recorded: 0, suggestedBack: 0, suggestedUnrecorded: 0 };
      if (REFERENCE_CRITERIA[id])
        c.supported = {
          recordedSupported: 0,
          suggestedBackSupported: 0,
          suggestedNeither: 0,
          unrecordedSupported: 0,
          suggestedUnrecordedSupported: 0,
        };
      counts.set(id, c);
    }
    return c;
  };
  for (const id of [...HEADLINE_CONDITIONS, ...Object.keys(REFERENCE_CRITERIA)]) get(id);
  let cards = 0;
  let cardsAvailable = true;
  const byKind: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  let recommendationTotal = 0;
  const casesByCondition = new Map<string, Case[][]>();
  for (const patient of patients) {
    const {
      now,
      record,
      full,
      cards: choice,
      stripped: a,
      recorded,
      posteriors,
      ageYears,
    } = await assessForEval(patient);
    const suggestedNow = new Set(
      a.hypotheses.filter((h) => h.status === 'suggested').map((h) => h.conditionId),
    );
    // The priors are adult prevalences: calibration is measured on adults.
    if (ageYears !== undefined && ageYears >= 18) {
      for (const id of CALIBRATION_CONDITIONS) {
        const list = casesByCondition.get(id) ?? [];
        list.push([{ label: recorded.has(id), flag: suggestedNow.has(id), score: posteriors.get(id) ?? 0 }]);
        casesByCondition.set(id, list);
      }
    }
    for (const r of full.recommendations) {
      recommendationTotal++;
      byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
      byRule[r.ruleId] = (byRule[r.ruleId] ?? 0) + 1;
    }
    if (choice) cards += choice.returned.length;
    else cardsAvailable = false;
    const suggested = new Set(a.hypotheses.filter((h) => h.status === 'suggested').map((h) => h.conditionId));
    const ids = new Set([...recorded, ...suggested, ...counts.keys()]);
    for (const id of ids) {
      if (!TARGET_IDS.has(id)) continue;
      const c = get(id);
      const isRecorded = recorded.has(id);
      const isSuggested = suggested.has(id);
      if (isRecorded) c.recorded++;
      if (isRecorded && isSuggested) c.suggestedBack++;
      if (explain.has(id) && isRecorded !== isSuggested) {
        const h = a.hypotheses.find((x) => x.conditionId === id);
        explained.push({
          conditionId: id,
          patientId: patient.patientId,
          kind: isRecorded ? 'missed' : 'false-positive',
          status: h?.status ?? 'absent',
          posterior: posteriors.get(id) ?? 0,
          contributions: (h?.contributions ?? []).map(
            (x) => `${x.label} (LR ${Number(x.likelihoodRatio.toFixed(2))})`,
          ),
        });
      }
      if (!isRecorded && isSuggested) c.suggestedUnrecorded++;
      const check = REFERENCE_CRITERIA[id];
      if (check && c.supported) {
        const supported = check(record, now);
        if (isRecorded && supported) {
          c.supported.recordedSupported++;
          if (isSuggested) c.supported.suggestedBackSupported++;
        }
        if (!isRecorded && supported) {
          c.supported.unrecordedSupported++;
          if (isSuggested) c.supported.suggestedUnrecordedSupported++;
        }
        if (!isRecorded && !supported && isSuggested) c.supported.suggestedNeither++;
      }
    }
  }
  const conditions = [...counts.values()].sort((a, b) => {
    const ha = (HEADLINE_CONDITIONS as readonly string[]).indexOf(a.conditionId);
    const hb = (HEADLINE_CONDITIONS as readonly string[]).indexOf(b.conditionId);
    if (ha !== hb) return (ha < 0 ? 99 : ha) - (hb < 0 ? 99 : hb);
    return a.conditionId < b.conditionId ? -1 : 1;
  });
  const calibration: Calibration[] = [];
  for (const id of CALIBRATION_CONDITIONS) {
    const units = casesByCondition.get(id) ?? [];
    const cases = units.flat();
    const recordedCount = cases.filter((c) => c.label).length;
    if (recordedCount === 0) continue;
    calibration.push({
      conditionId: id,
      n: cases.length,
      recorded: recordedCount,
      brier: brier(cases),
      ece: ece(cases),
      auroc: bootstrapCases(units).auroc,
      reliability: reliability(cases, 5),
    });
  }
  const pooled = calibration.flatMap((c) => (casesByCondition.get(c.conditionId) ?? []).flat());
  return {
    patients: patients.length,
    conditions,
    calibration,
    calibrationOverall: { n: pooled.length, brier: brier(pooled), ece: ece(pooled) },
    cardsPerPatientView: cardsAvailable && patients.length ? cards / patients.length : null,
    recommendations: { total: recommendationTotal, byKind, byRule },
    ...(explain.size ? { explained } : {}),
  };
}

const ratio = (num: number, den: number) => (den === 0 ? 'n/a' : `${(num / den).toFixed(2)} (${num}/${den})`);

const fmt = (x: number | null, digits: number) => (x === null ? 'n/a' : x.toFixed(digits));

/** The result as a markdown report. */
export function toMarkdown(result: EvalResult): string {
  const lines = [
    `Patients: ${result.patients}`,
    '',
    '(a) Against recorded conditions whose data meet the guideline criteria. Sensitivity: suggested back / recorded and data-supported. PPV: suggested back / (suggested back + suggested where neither recorded nor data-supported). Unrecorded but data-supported records (possibly undiagnosed) are counted separately.',
    '',
    '| condition | recorded & supported | sensitivity (a) | PPV (a) | unrecorded & supported: suggested |',
    '|---|---|---|---|---|',
  ];
  for (const c of result.conditions) {
    if (!c.supported) continue;
    const s = c.supported;
    lines.push(
      `| ${c.conditionId} | ${s.recordedSupported} | ${ratio(s.suggestedBackSupported, s.recordedSupported)} | ${ratio(s.suggestedBackSupported, s.suggestedBackSupported + s.suggestedNeither)} | ${s.suggestedUnrecordedSupported}/${s.unrecordedSupported} |`,
    );
  }
  lines.push(
    '',
    '(b) Against all recorded conditions. Sensitivity: suggested back / recorded. PPV: suggested back / all suggested.',
    '',
    '| condition | recorded | sensitivity (b) | PPV (b) | suggested, not recorded |',
    '|---|---|---|---|---|',
  );
  for (const c of result.conditions) {
    if (c.recorded === 0 && c.suggestedUnrecorded === 0) continue;
    lines.push(
      `| ${c.conditionId} | ${c.recorded} | ${ratio(c.suggestedBack, c.recorded)} | ${ratio(c.suggestedBack, c.suggestedBack + c.suggestedUnrecorded)} | ${c.suggestedUnrecorded} |`,
    );
  }
  lines.push(
    '',
    `(c) Calibration on the masked record, adults (${result.calibrationOverall.n} patient-condition pairs pooled: Brier ${fmt(result.calibrationOverall.brier, 3)}, ECE ${fmt(result.calibrationOverall.ece, 3)}). Probability of each condition against whether it is recorded; AUROC with a 95% patient bootstrap interval; reliability in five bins (predicted → observed, n).`,
    '',
    '| condition | adults | recorded | Brier | ECE | AUROC (95% CI) | reliability |',
    '|---|---|---|---|---|---|---|',
  );
  for (const c of result.calibration) {
    const bins = c.reliability.map((b) => `${fmt(b.predicted, 2)}→${fmt(b.observed, 2)} (${b.n})`).join('; ');
    lines.push(
      `| ${c.conditionId} | ${c.n} | ${c.recorded} | ${fmt(c.brier, 3)} | ${fmt(c.ece, 3)} | ${fmt(c.auroc.value, 2)} (${fmt(c.auroc.low, 2)}-${fmt(c.auroc.high, 2)}) | ${bins} |`,
    );
  }
  lines.push(
    '',
    `Mean cards per patient-view (full record, budget 3): ${result.cardsPerPatientView === null ? 'n/a' : result.cardsPerPatientView.toFixed(2)}`,
  );
  lines.push(
    `Recommendations: ${result.recommendations.total} (${Object.entries(result.recommendations.byKind)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  const rules = Object.entries(result.recommendations.byRule).sort(([, a], [, b]) => b - a);
  if (rules.length)
    lines.push('', '| rule | count |', '|---|---|', ...rules.map(([r, n]) => `| ${r} | ${n} |`));
  if (result.explained) {
    lines.push(
      '',
      'Misses and false positives of the explained conditions (masked record):',
      '',
      '| condition | patient | kind | status | probability | evidence |',
      '|---|---|---|---|---|---|',
      ...result.explained.map(
        (x) =>
          `| ${x.conditionId} | ${x.patientId} | ${x.kind} | ${x.status} | ${x.posterior.toFixed(2)} | ${x.contributions.join('; ') || 'none'} |`,
      ),
    );
  }
  return lines.join('\n');
}
