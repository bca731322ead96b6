/**
 * From per-patient results to the validation report's tables: metrics per condition and overall
 * with bootstrap intervals, threshold tables, calibration, ROC and PR curves, lead times, rules,
 * card burden, and the fairness audit. Pure; the patient is the bootstrap unit throughout.
 */
import type { MonitoringRow } from '../store/store';
import { AUDIT_ATTRIBUTES, type AuditAttribute } from './demographics';
import {
  bootstrapSample,
  bootstrapSampleRatios,
  bootstrapSums,
  CaseSampleBuilder,
  quantile,
  type BootstrapOptions,
  type CaseSample,
  type Estimate,
  type MetricName,
  type ReliabilityBin,
  type ThresholdRow,
} from './metrics';
import {
  caseCondition,
  caseConditionIndex,
  caseCount,
  caseFlag,
  caseLabel,
  caseScored,
  type KeptResult,
  type PackedCases,
} from './compact';
import type { CardRow, ReplayOptions } from './replay';

export const THRESHOLDS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] as const;
/** Fairness ratios outside this band are flagged (the four-fifths rule and its reciprocal). */
export const FAIRNESS_BAND = { low: 0.8, high: 1.25 } as const;
/** A group with fewer patients, or fewer positive cases, than these is marked small. */
export const SMALL_GROUP = { patients: 30, positives: 10 } as const;
/** The overall row pools the cases of every condition. */
export const OVERALL = 'overall';

export type Mode = 'crossSectional' | 'asOf';

export interface MetricRow {
  conditionId: string;
  patients: number;
  cases: number;
  positives: number;
  flagged: number;
  metrics: Record<MetricName, Estimate>;
}

export interface CurveSet {
  conditionId: string;
  roc: Array<{ fpr: number; tpr: number }>;
  pr: Array<{ recall: number; precision: number }>;
  reliability: ReliabilityBin[];
  thresholds: ThresholdRow[];
}

export interface RuleRow {
  ruleId: string;
  fired: number;
  /** Recommendations of this rule per 100 chart opens. */
  per100: Estimate;
  /** Share of firings whose proposed order followed within the horizon (as-of only). */
  actionTaken?: Estimate & { known: number };
}

export interface CardBurdenRow {
  /** `all`, an indicator (info, warning, critical) or a topic code. */
  key: string;
  kind: 'all' | 'indicator' | 'topic';
  cards: number;
  per100: Estimate;
}

export interface LeadTimeRow {
  conditionId: string;
  detected: number;
  missed: number;
  /** Median and quartiles of days before the first recording. */
  median: number | null;
  q1: number | null;
  q3: number | null;
  days: number[];
}

export interface FairnessRow {
  mode: Mode;
  conditionId: string;
  attribute: AuditAttribute;
  group: string;
  reference: string;
  patients: number;
  cases: number;
  positives: number;
  small: boolean;
  metric: MetricName;
  value: Estimate;
  ratio: Estimate;
  /** The ratio lies outside 0.8–1.25. */
  outsideBand: boolean;
}

export interface ModeReport {
  patients: number;
  chartOpens: number;
  metrics: MetricRow[];
  curves: CurveSet[];
  rules: RuleRow[];
  cardBurden: CardBurdenRow[];
  leadTimes?: LeadTimeRow[];
}

export interface StoreSummaryRow {
  topic: string;
  shown: number;
  silent: number;
  accepted: number;
  overridden: number;
  acceptanceRate: number | null;
  overrideRate: number | null;
  overrideReasons: Record<string, number>;
}

/** The ranking metrics a calibration is judged by. */
export const CALIBRATION_METRICS = ['auroc', 'brier', 'ece'] as const;
type CalibrationMetric = (typeof CALIBRATION_METRICS)[number];

/** One condition's metrics without and with a calibration. */
export interface CalibrationComparisonRow {
  conditionId: string;
  before: Record<CalibrationMetric, Estimate>;
  after: Record<CalibrationMetric, Estimate>;
}

/** The same population replayed without and with a calibration (rationale validate --calibration). */
export interface CalibrationComparison {
  /** What was compared: the calibration file's name, or the configuration's. */
  calibration: string;
  crossSectional?: CalibrationComparisonRow[];
  asOf?: CalibrationComparisonRow[];
}

export interface ValidationReport {
  generatedAt: string;
  model?: { name: string; version: string; knowledgeBaseHash: string };
  source: { kind: 'bulk-export' | 'bundles'; patients: number; unreadable: number; rejected: number };
  options: ReplayOptions & { bootstrap: BootstrapOptions };
  crossSectional?: ModeReport;
  asOf?: ModeReport;
  fairness: FairnessRow[];
  store?: { from: string; to: string; rows: StoreSummaryRow[] };
  timings?: { seconds: number; patientsPerSecond: number; threads: number };
  calibrationComparison?: CalibrationComparison;
}

/** Thins a curve to at most `max` points, keeping both ends. */
function thin<T>(points: T[], max = 200): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

const NO_CASES: PackedCases = { conditionIds: [], codes: new Uint16Array(0), scores: new Float64Array(0) };

function cases(results: readonly KeptResult[], mode: Mode): Array<{ p: KeptResult; rows: PackedCases }> {
  return results.map((p) => ({ p, rows: p[mode]?.cases ?? NO_CASES }));
}

/**
 * The cases of one condition (or of every condition), one unit per patient that has any, read
 * straight from the packed results in patient order: no Case object, no copy of the cases.
 */
function sampleOf(perPatient: ReadonlyArray<{ rows: PackedCases }>, conditionId: string): CaseSample {
  const builder = new CaseSampleBuilder();
  const all = conditionId === OVERALL;
  let ids: readonly string[] | undefined;
  let wanted = -1;
  for (const { rows } of perPatient) {
    if (rows.conditionIds !== ids) {
      ids = rows.conditionIds;
      wanted = ids.indexOf(conditionId);
    }
    if (!all && wanted < 0) continue;
    let s = 0;
    for (let k = 0; k < caseCount(rows); k++) {
      const score = caseScored(rows, k) ? rows.scores[s++]! : 0;
      if (all || caseConditionIndex(rows, k) === wanted)
        builder.add(caseLabel(rows, k), caseFlag(rows, k), score);
    }
    builder.endUnit();
  }
  return builder.build();
}

function metricRow(conditionId: string, sample: CaseSample, options: BootstrapOptions): MetricRow {
  const c = sample.confusion();
  return {
    conditionId,
    patients: sample.units,
    cases: sample.cases,
    positives: c.tp + c.fn,
    flagged: c.tp + c.fp,
    metrics: bootstrapSample(sample, options),
  };
}

/** Conditions with a positive or flagged case, sorted, with their positives. */
function conditionsIn(perPatient: Array<{ rows: PackedCases }>): Map<string, number> {
  const positives = new Map<string, number>();
  for (const { rows } of perPatient)
    for (let k = 0; k < caseCount(rows); k++)
      if (caseLabel(rows, k) || caseFlag(rows, k)) {
        const id = caseCondition(rows, k);
        positives.set(id, (positives.get(id) ?? 0) + (caseLabel(rows, k) ? 1 : 0));
      }
  return new Map([...positives].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function chartOpenUnits(results: readonly KeptResult[], mode: Mode): CardRow[][][] {
  // Each patient: a list of chart opens, each a list of cards.
  return results.map((p) => {
    if (mode === 'crossSectional') return p.crossSectional ? [p.crossSectional.cards] : [];
    return p.asOf?.cards ?? [];
  });
}

function cardBurden(results: readonly KeptResult[], mode: Mode, options: BootstrapOptions): CardBurdenRow[] {
  const units = chartOpenUnits(results, mode).filter((u) => u.length > 0);
  const keys = new Map<string, CardBurdenRow['kind']>([['all', 'all']]);
  for (const u of units)
    for (const open of u)
      for (const [topic, indicator] of open) {
        keys.set(`indicator:${indicator}`, 'indicator');
        keys.set(`topic:${topic}`, 'topic');
      }
  // Per patient: [chart opens, then the cards of each key]; a card counts for `all`, its indicator
  // and its topic.
  const keyList = [...keys.keys()];
  const slot = new Map(keyList.map((key, i) => [key, 1 + i]));
  const counts = units.map((opens) => {
    const v = new Float64Array(1 + keyList.length);
    v[0] = opens.length;
    for (const open of opens)
      for (const [topic, indicator] of open) {
        v[slot.get('all')!]!++;
        v[slot.get(`indicator:${indicator}`)!]!++;
        v[slot.get(`topic:${topic}`)!]!++;
      }
    return v;
  });
  const est = bootstrapSums(
    counts,
    1 + keyList.length,
    (totals) => {
      const out: Record<string, number | null> = {};
      for (const key of keyList) out[key] = totals[0] ? (100 * totals[slot.get(key)!]!) / totals[0] : null;
      return out;
    },
    options,
  );
  const cards = counts.reduce((sum, v) => sum.map((x, i) => x + v[i]!), new Float64Array(1 + keyList.length));
  return [...keys]
    .map(([key, kind]) => ({
      key: key.replace(/^(indicator|topic):/, ''),
      kind,
      cards: cards[slot.get(key)!]!,
      per100: est[key]!,
    }))
    .sort((a, b) => (a.kind === b.kind ? b.cards - a.cards : a.kind < b.kind ? -1 : 1));
}

function rules(results: readonly KeptResult[], mode: Mode, options: BootstrapOptions): RuleRow[] {
  const firings = results.map((p): Array<[string, 0 | 1 | null]> =>
    mode === 'crossSectional'
      ? (p.crossSectional?.rules ?? []).map((r) => [r, null])
      : (p.asOf?.recommendations ?? []),
  );
  const opens = results.map((p) =>
    mode === 'crossSectional' ? (p.crossSectional ? 1 : 0) : (p.asOf?.indexDates ?? 0),
  );
  const ids = [...new Set(firings.flat().map(([r]) => r))].sort();
  return ids.map((ruleId) => {
    // Units: per patient with chart opens, [opens, this rule's firings].
    const perOpenUnits: Float64Array[] = [];
    results.forEach((_, i) => {
      if (opens[i]! > 0)
        perOpenUnits.push(Float64Array.of(opens[i]!, firings[i]!.filter(([r]) => r === ruleId).length));
    });
    const per100 = bootstrapSums(
      perOpenUnits,
      2,
      (t) => ({ per100: t[0] ? (100 * t[1]!) / t[0] : null }),
      options,
    ).per100;
    const row: RuleRow = { ruleId, fired: firings.flat().filter(([r]) => r === ruleId).length, per100 };
    if (mode === 'asOf') {
      // Units: per patient with a known outcome, [firings known, actions taken].
      const takenUnits: Float64Array[] = [];
      for (const f of firings) {
        const known = f.filter(([r, t]) => r === ruleId && t !== null);
        if (known.length)
          takenUnits.push(Float64Array.of(known.length, known.filter(([, t]) => t === 1).length));
      }
      const est = bootstrapSums(takenUnits, 2, (t) => ({ rate: t[0] ? t[1]! / t[0] : null }), options).rate;
      row.actionTaken = { ...est, known: takenUnits.reduce((n, u) => n + u[0]!, 0) };
    }
    return row;
  });
}

function leadTimes(results: readonly KeptResult[]): LeadTimeRow[] {
  const by = new Map<string, { days: number[]; missed: number }>();
  const get = (id: string) => {
    let e = by.get(id);
    if (!e) by.set(id, (e = { days: [], missed: 0 }));
    return e;
  };
  for (const p of results) {
    for (const [id, d] of p.asOf?.leadTimes ?? []) get(id).days.push(d);
    for (const id of p.asOf?.missed ?? []) get(id).missed++;
  }
  const rows = [...by].map(([conditionId, { days, missed }]) => {
    const sorted = [...days].sort((a, b) => a - b);
    return {
      conditionId,
      detected: days.length,
      missed,
      median: quantile(sorted, 0.5),
      q1: quantile(sorted, 0.25),
      q3: quantile(sorted, 0.75),
      days: sorted,
    };
  });
  const all = rows.flatMap((r) => r.days).sort((a, b) => a - b);
  rows.push({
    conditionId: OVERALL,
    detected: all.length,
    missed: rows.reduce((n, r) => n + r.missed, 0),
    median: quantile(all, 0.5),
    q1: quantile(all, 0.25),
    q3: quantile(all, 0.75),
    days: all,
  });
  return rows.sort((a, b) =>
    a.conditionId === OVERALL ? -1 : b.conditionId === OVERALL ? 1 : a.conditionId < b.conditionId ? -1 : 1,
  );
}

/** The report of one replay mode. */
export function modeReport(
  results: readonly KeptResult[],
  mode: Mode,
  options: BootstrapOptions,
): ModeReport {
  const perPatient = cases(results, mode).filter(({ p }) => p[mode] !== undefined);
  const ids = [OVERALL, ...conditionsIn(perPatient).keys()];
  const metrics: MetricRow[] = [];
  const curves: CurveSet[] = [];
  for (const id of ids) {
    // One sample per condition at a time: its memory is per patient, not per case.
    const sample = sampleOf(perPatient, id);
    metrics.push(metricRow(id, sample, options));
    curves.push({
      conditionId: id,
      roc: thin(sample.rocCurve().map(({ fpr, tpr }) => ({ fpr, tpr }))),
      pr: thin(sample.prCurve().map(({ recall, precision }) => ({ recall, precision }))),
      reliability: sample.reliability(),
      thresholds: sample.thresholdTable(THRESHOLDS),
    });
  }
  const chartOpens = chartOpenUnits(results, mode).reduce((n, u) => n + u.length, 0);
  return {
    patients: perPatient.length,
    chartOpens,
    metrics,
    curves,
    rules: rules(results, mode, options),
    cardBurden: cardBurden(results, mode, options),
    ...(mode === 'asOf' ? { leadTimes: leadTimes(results) } : {}),
  };
}

/**
 * The fairness audit of one mode: for every attribute, group and metric, the group's value and its
 * ratio to the reference group (the largest), with intervals. Rows are kept for small groups and
 * marked; conditions audited are `overall` and those with at least `SMALL_GROUP.positives` positives.
 */
export function fairness(
  results: readonly KeptResult[],
  mode: Mode,
  options: BootstrapOptions,
): FairnessRow[] {
  const perPatient = cases(results, mode).filter(({ p }) => p[mode] !== undefined);
  const conditionIds = [
    OVERALL,
    ...[...conditionsIn(perPatient)].filter(([, n]) => n >= SMALL_GROUP.positives).map(([id]) => id),
  ];
  const out: FairnessRow[] = [];
  for (const conditionId of conditionIds) {
    for (const attribute of AUDIT_ATTRIBUTES) {
      const groups = new Map<string, Array<{ rows: PackedCases }>>();
      for (const entry of perPatient) {
        const g = entry.p.demographics[attribute];
        const list = groups.get(g);
        if (list) list.push(entry);
        else groups.set(g, [entry]);
      }
      const reference = [...groups].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))[0];
      if (!reference) continue;
      // The reference's sample is built once and resampled against every group (itself included).
      const refSample = sampleOf(reference[1], conditionId);
      for (const [group, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const sample = group === reference[0] ? refSample : sampleOf(members, conditionId);
        const c = sample.confusion();
        const positives = c.tp + c.fn;
        const values = bootstrapSample(sample, options);
        const ratios = bootstrapSampleRatios(sample, refSample, options);
        for (const metric of Object.keys(values) as MetricName[]) {
          const ratio = ratios[metric];
          out.push({
            mode,
            conditionId,
            attribute,
            group,
            reference: reference[0],
            patients: members.length,
            cases: sample.cases,
            positives,
            small: members.length < SMALL_GROUP.patients || positives < SMALL_GROUP.positives,
            metric,
            value: values[metric],
            ratio,
            outsideBand:
              ratio.value !== null && (ratio.value < FAIRNESS_BAND.low || ratio.value > FAIRNESS_BAND.high),
          });
        }
      }
    }
  }
  return out;
}

/** Silent-mode volume, acceptance and override rates with reasons, per card topic, from the store. */
export function storeSummary(rows: readonly MonitoringRow[]): StoreSummaryRow[] {
  const by = new Map<string, StoreSummaryRow>();
  for (const r of rows) {
    const t = by.get(r.topic) ?? {
      topic: r.topic,
      shown: 0,
      silent: 0,
      accepted: 0,
      overridden: 0,
      acceptanceRate: null,
      overrideRate: null,
      overrideReasons: {},
    };
    t.shown += r.shown;
    t.silent += r.silent;
    t.accepted += r.accepted;
    t.overridden += r.overridden;
    for (const [code, n] of Object.entries(r.overrideReasons))
      t.overrideReasons[code] = (t.overrideReasons[code] ?? 0) + n;
    by.set(r.topic, t);
  }
  return [...by.values()]
    .map((t) => ({
      ...t,
      acceptanceRate: t.shown ? t.accepted / t.shown : null,
      overrideRate: t.shown ? t.overridden / t.shown : null,
    }))
    .sort((a, b) => b.shown + b.silent - (a.shown + a.silent));
}

/** Assembles the whole report from patient results (sorted by patient id first: order-independent). */
export function buildValidationReport(
  input: readonly KeptResult[],
  meta: Pick<ValidationReport, 'generatedAt' | 'source' | 'options'> &
    Partial<Pick<ValidationReport, 'model' | 'store' | 'timings'>>,
): ValidationReport {
  const results = [...input].sort((a, b) =>
    a.patientId < b.patientId ? -1 : a.patientId > b.patientId ? 1 : 0,
  );
  const bs = meta.options.bootstrap;
  const has = (mode: Mode) => results.some((p) => p[mode] !== undefined);
  const report: ValidationReport = { ...meta, fairness: [] };
  if (has('crossSectional')) {
    report.crossSectional = modeReport(results, 'crossSectional', bs);
    report.fairness.push(...fairness(results, 'crossSectional', bs));
  }
  if (has('asOf')) {
    report.asOf = modeReport(results, 'asOf', bs);
    report.fairness.push(...fairness(results, 'asOf', bs));
  }
  return report;
}

/** Per condition (and overall), AUROC, Brier and ECE of a report without and of one with a calibration. */
export function compareCalibration(
  before: ValidationReport,
  after: ValidationReport,
  calibration: string,
): CalibrationComparison {
  const rows = (
    b: ModeReport | undefined,
    a: ModeReport | undefined,
  ): CalibrationComparisonRow[] | undefined => {
    if (!b || !a) return undefined;
    const prior = new Map(b.metrics.map((m) => [m.conditionId, m]));
    return a.metrics.flatMap((m) => {
      const was = prior.get(m.conditionId);
      if (!was) return [];
      const pick = (r: MetricRow) =>
        Object.fromEntries(CALIBRATION_METRICS.map((k) => [k, r.metrics[k]])) as Record<
          CalibrationMetric,
          Estimate
        >;
      return [{ conditionId: m.conditionId, before: pick(was), after: pick(m) }];
    });
  };
  const crossSectional = rows(before.crossSectional, after.crossSectional);
  const asOf = rows(before.asOf, after.asOf);
  return { calibration, ...(crossSectional ? { crossSectional } : {}), ...(asOf ? { asOf } : {}) };
}
