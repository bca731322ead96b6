/**
 * Replays one patient through the production pipeline (the `assess` it is handed is the one the
 * hooks call) and reduces what happened to a compact, JSON-serializable PatientResult: no
 * Assessment, no resource, only condition and rule ids, flags, probabilities and day counts.
 *
 * Cross-sectional (mask and re-find, as the eval does): the patient's recorded target conditions
 * are removed, the rest is assessed at the end of the history, and the model must suggest them back.
 *
 * As of past dates: at each index date t (encounters in the look-back window, thinned to one per N
 * days), the record as it stood at t is assessed at t. A condition not yet recorded at t is a case;
 * its label is whether it was first recorded within the horizon after t. Index dates without a full
 * horizon of follow-up are not used (their negatives would be unknowable). Lead time: days from the
 * earliest index date within the horizon before the first recording at which the model suggested the
 * condition, to that recording. A recommendation's action counts as taken when an order of the
 * proposed drug (same ingredient or drug class) or test (same code) appears within the horizon.
 */
import type { Assessment, Coding, Patient, Resource } from '@rationale/shared-types';
import { classifyMedication } from '../model/knowledge/drugs';
import { DIAGNOSTIC_CONDITION_CODES, matchConditionCodes } from '../model/knowledge/condition-index';
import { historyEnd, indexDates, recordedAt, resourcesAsOf } from './as-of';
import { demographicsOf, type Demographics } from './demographics';
import type { ModelDefinition } from './production';

const DAY_MS = 86_400_000;

/** [card topic, indicator] of one card shown. */
export type CardRow = [string, string];

/**
 * The production pipeline as validation calls it: `assessPatient` on a patient's resources as of
 * `now`, and the patient-view cards a chart open would get (production.ts wires both).
 */
export interface ReplayDeps {
  assess: (patientId: string, resources: readonly Resource[], now: Date) => Promise<Readonly<Assessment>>;
  chartOpen: (assessment: Readonly<Assessment>, options: ReplayOptions) => CardRow[];
  /**
   * Site-model predictions validated like the knowledge model's: prediction id (`model:condition`)
   * and the target condition whose recording labels it. A prediction the model did not give (it
   * failed or was cut at its budget) is no case.
   */
  siteModelTargets?: ReadonlyArray<{ id: string; target: string }>;
}

/**
 * What runs besides the default knowledge model: a service configuration file (its site models
 * and thresholds) and which calibration: the configuration's own, a file, or none.
 */
export interface ValidationModel {
  configFile?: string;
  calibration?: { kind: 'config' } | { kind: 'none' } | { kind: 'file'; path: string };
  /** The same read into data on the coordinator (production.ts); when present, no file is read. */
  definition?: ModelDefinition;
  /**
   * The queued run it belongs to: a worker caches pipelines per run, so a run started after an
   * ONNX file was replaced at the same path opens the new one.
   */
  run?: string;
}

export type ReplayMode = 'cross-sectional' | 'as-of' | 'both';

export interface ReplayOptions {
  mode: ReplayMode;
  /** As-of: at least this many days between index dates (0: every encounter). */
  everyDays: number;
  /** As-of: index dates within this many years before the end of the history. */
  lookbackYears: number;
  /** As-of: how long after an index date a recording still counts. */
  horizonDays: number;
  /** Cards per chart open (the patient-view budget). */
  cardBudget: number;
  /** The minimum posterior for a suggested-diagnosis card. */
  minSuggestedPosterior: number;
  /** A service configuration and calibration to validate instead of the default model. */
  model?: ValidationModel;
}

export const DEFAULT_REPLAY_OPTIONS: ReplayOptions = {
  mode: 'both',
  everyDays: 365,
  lookbackYears: 10,
  horizonDays: 365,
  cardBudget: 3,
  minSuggestedPosterior: 0.6,
};

/** [conditionId, label, flag, probability]: one case, compactly. */
export type CaseRow = [string, 0 | 1, 0 | 1, number];
export interface PatientResult {
  patientId: string;
  demographics: Demographics;
  crossSectional?: {
    cases: CaseRow[];
    /** Rule ids of the recommendations on the full record. */
    rules: string[];
    /** The cards of one chart open on the full record. */
    cards: CardRow[];
  };
  asOf?: {
    indexDates: number;
    cases: CaseRow[];
    /** [conditionId, days]: the model suggested it this many days before its first recording. */
    leadTimes: Array<[string, number]>;
    /** Conditions first recorded after an index date within the horizon, never suggested before. */
    missed: string[];
    /** [ruleId, action taken within the horizon: 1, 0, or null when it cannot be told]. */
    recommendations: Array<[string, 0 | 1 | null]>;
    /** Cards of each chart open (one list per index date). */
    cards: CardRow[][];
  };
}

const TARGETS = DIAGNOSTIC_CONDITION_CODES;
export const TARGET_CONDITION_IDS: readonly string[] = [...new Set(TARGETS.map((s) => s.id))].sort();

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

function targetIds(codings: Coding[] | undefined): string[] {
  return matchConditionCodes(codings ?? [], TARGETS).map((m) => m.id);
}

/** Removes the Conditions of target conditions; returns which were recorded as active. */
function stripTargets(resources: readonly Resource[]): { stripped: Resource[]; recorded: Set<string> } {
  const recorded = new Set<string>();
  const stripped = resources.filter((c) => {
    if (c.resourceType !== 'Condition') return true;
    const ids = targetIds(c.code?.coding);
    if (!ids.length) return true;
    const status = c.clinicalStatus?.coding?.[0]?.code;
    if (!status || ACTIVE.has(status)) ids.forEach((id) => recorded.add(id));
    return false;
  });
  return { stripped, recorded };
}

function casesFrom(
  a: Readonly<Assessment>,
  eligible: readonly string[],
  label: (id: string) => boolean,
  siteModelTargets: ReplayDeps['siteModelTargets'],
): CaseRow[] {
  const byId = new Map(a.hypotheses.map((h) => [h.conditionId, h]));
  const out: CaseRow[] = [];
  for (const id of eligible) {
    const h = byId.get(id);
    out.push([id, label(id) ? 1 : 0, h?.status === 'suggested' ? 1 : 0, h?.posterior ?? 0]);
  }
  // A site model's prediction is a case of its own, labelled by its target condition; flagged when
  // it reaches the output's info threshold (it would raise a card in live mode).
  for (const t of siteModelTargets ?? []) {
    if (!eligible.includes(t.target)) continue;
    const p = a.siteModels?.flatMap((m) => m.predictions).find((x) => x.id === t.id);
    if (p) out.push([t.id, label(t.target) ? 1 : 0, p.level === 'none' ? 0 : 1, p.probability]);
  }
  return out;
}

interface OrderTrace {
  t: number;
  ingredients: string[];
  classes: string[];
  codes: string[];
}

function medicationCodings(r: Resource): { codings: Coding[]; text?: string } {
  const m = r as { medicationCodeableConcept?: { coding?: Coding[]; text?: string } };
  return {
    codings: m.medicationCodeableConcept?.coding ?? [],
    ...(m.medicationCodeableConcept?.text ? { text: m.medicationCodeableConcept.text } : {}),
  };
}

function traces(resources: readonly Resource[]): OrderTrace[] {
  const out: OrderTrace[] = [];
  for (const m of resources) {
    if (m.resourceType !== 'MedicationRequest') continue;
    const t = recordedAt(m);
    if (t === undefined) continue;
    const { codings, text } = medicationCodings(m);
    const c = classifyMedication(codings, text);
    out.push({
      t,
      ingredients: c?.ingredients ?? (c ? [c.ingredient] : []),
      classes: c?.classes ?? [],
      codes: codings.map((x) => x.code ?? ''),
    });
  }
  for (const r of resources) {
    if (r.resourceType !== 'Observation' && r.resourceType !== 'Procedure') continue;
    const t = recordedAt(r);
    if (t === undefined) continue;
    const codes = ((r as { code?: { coding?: Coding[] } }).code?.coding ?? []).map((x) => x.code ?? '');
    out.push({ t, ingredients: [], classes: [], codes });
  }
  return out;
}

function actionTaken(
  rec: Readonly<Assessment>['recommendations'][number],
  orders: OrderTrace[],
  from: number,
  to: number,
): 0 | 1 | null {
  if (!['start', 'intensify', 'order-test'].includes(rec.kind) || rec.proposedOrders.length === 0)
    return null;
  const later = orders.filter((o) => o.t > from && o.t <= to);
  for (const p of rec.proposedOrders) {
    if (p.resourceType === 'ServiceRequest') {
      if (later.some((o) => o.codes.includes(p.code.code))) return 1;
      continue;
    }
    const c = classifyMedication([p.code]);
    const ingredients = c?.ingredients ?? (c ? [c.ingredient] : []);
    const classes = c?.classes ?? [];
    if (
      later.some(
        (o) =>
          o.codes.includes(p.code.code) ||
          o.ingredients.some((i) => ingredients.includes(i)) ||
          o.classes.some((k) => classes.includes(k)),
      )
    )
      return 1;
  }
  return 0;
}

/**
 * Replays one patient; deterministic for given resources and options. Throws what the pipeline
 * throws for resources it refuses (a malformed element: CdsError `invalid-request`).
 */
export async function replayPatient(
  patient: Patient & { id: string },
  resources: readonly Resource[],
  deps: ReplayDeps,
  options: ReplayOptions,
): Promise<PatientResult> {
  const patientId = patient.id;
  const end = historyEnd(resources);
  const result: PatientResult = { patientId, demographics: demographicsOf(patient, end) };

  if (options.mode !== 'as-of') {
    const now = new Date(end);
    const full = await deps.assess(patientId, resources, now);
    const { stripped, recorded } = stripTargets(resources);
    const masked = await deps.assess(patientId, stripped, now);
    result.crossSectional = {
      cases: casesFrom(masked, TARGET_CONDITION_IDS, (id) => recorded.has(id), deps.siteModelTargets),
      rules: full.recommendations.map((r) => r.ruleId),
      cards: deps.chartOpen(full, options),
    };
  }

  if (options.mode !== 'cross-sectional') {
    const horizon = options.horizonDays * DAY_MS;
    const firstRecorded = new Map<string, number>();
    for (const c of resources) {
      if (c.resourceType !== 'Condition') continue;
      const t = recordedAt(c);
      if (t === undefined) continue;
      for (const id of targetIds(c.code?.coding))
        if (!firstRecorded.has(id) || t < firstRecorded.get(id)!) firstRecorded.set(id, t);
    }
    const dates = indexDates(resources, end - horizon, options.everyDays, options.lookbackYears);
    const orders = traces(resources);
    const asOf: NonNullable<PatientResult['asOf']> = {
      indexDates: dates.length,
      cases: [],
      leadTimes: [],
      missed: [],
      recommendations: [],
      cards: [],
    };
    const flaggedAt = new Map<string, number[]>();
    for (const t of dates) {
      const a = await deps.assess(patientId, resourcesAsOf(resources, t), new Date(t));
      const eligible = TARGET_CONDITION_IDS.filter((id) => !(firstRecorded.get(id)! <= t));
      const cases = casesFrom(
        a,
        eligible,
        (id) => {
          const r = firstRecorded.get(id);
          return r !== undefined && r <= t + horizon;
        },
        deps.siteModelTargets,
      );
      for (const [id, , flag] of cases) if (flag) flaggedAt.set(id, [...(flaggedAt.get(id) ?? []), t]);
      asOf.cases.push(...cases);
      for (const rec of a.recommendations)
        asOf.recommendations.push([rec.ruleId, actionTaken(rec, orders, t, t + horizon)]);
      asOf.cards.push(deps.chartOpen(a, options));
    }
    for (const [id, r] of [...firstRecorded].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const window = dates.filter((t) => t < r && t >= r - horizon);
      if (window.length === 0) continue;
      const first = (flaggedAt.get(id) ?? []).find((t) => t < r && t >= r - horizon);
      if (first !== undefined) asOf.leadTimes.push([id, Math.round((r - first) / DAY_MS)]);
      else asOf.missed.push(id);
    }
    result.asOf = asOf;
  }
  return result;
}
