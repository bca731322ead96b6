/**
 * Validation metrics over binary cases (label: the condition was recorded; flag: the model raised
 * it; score: the model's probability). Pure functions, no I/O; every interval comes from a seeded
 * bootstrap, so a run is reproducible to the digit.
 *
 * Definitions follow the usual diagnostic-accuracy conventions (STARD 2015,
 * https://www.equator-network.org/reporting-guidelines/stard/) and, for calibration, the reliability
 * diagram, Brier score and expected calibration error as in Epic's open-source seismometer
 * (https://github.com/epic-open-source/seismometer).
 */

/** One (patient, condition) or (patient, index date, condition) case. */
export interface Case {
  /** The reference standard: recorded (cross-sectional) or recorded within the horizon (as-of). */
  label: boolean;
  /** The model raised it (a suggested diagnosis: what would become a card). */
  flag: boolean;
  /** The model's probability, 0–1 (0 when the model did not consider the condition). */
  score: number;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** A point estimate with its 95 % bootstrap percentile interval; null where undefined (0 denominator). */
export interface Estimate {
  value: number | null;
  low: number | null;
  high: number | null;
}

export const BINARY_METRICS = ['prevalence', 'sensitivity', 'specificity', 'ppv', 'npv', 'flagRate'] as const;
export const RANKING_METRICS = ['auroc', 'auprc', 'brier', 'ece'] as const;
export type BinaryMetric = (typeof BINARY_METRICS)[number];
export type RankingMetric = (typeof RANKING_METRICS)[number];
export type MetricName = BinaryMetric | RankingMetric;

/** Counts true/false positives and negatives. */
export function confusion(cases: readonly Case[]): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const x of cases) {
    if (x.label) {
      if (x.flag) c.tp++;
      else c.fn++;
    } else if (x.flag) c.fp++;
    else c.tn++;
  }
  return c;
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** The six threshold metrics from a confusion table; null where the denominator is zero. */
export function binaryMetrics(c: Confusion): Record<BinaryMetric, number | null> {
  const n = c.tp + c.fp + c.tn + c.fn;
  return {
    prevalence: ratio(c.tp + c.fn, n),
    sensitivity: ratio(c.tp, c.tp + c.fn),
    specificity: ratio(c.tn, c.tn + c.fp),
    ppv: ratio(c.tp, c.tp + c.fp),
    npv: ratio(c.tn, c.tn + c.fn),
    flagRate: ratio(c.tp + c.fp, n),
  };
}

/**
 * Area under the ROC curve: the probability that a random positive outranks a random negative,
 * ties counting one half (the Mann–Whitney U statistic over mid-ranks). Null without both classes.
 */
export function auroc(cases: readonly Case[]): number | null {
  const sorted = [...cases].sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.label) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Distinct score thresholds, highest first, with the cumulative counts at or above each. */
function sweep(cases: readonly Case[]): Array<{ threshold: number; tp: number; fp: number }> {
  const sorted = [...cases].sort((a, b) => b.score - a.score);
  const out: Array<{ threshold: number; tp: number; fp: number }> = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length;) {
    const threshold = sorted[i]!.score;
    while (i < sorted.length && sorted[i]!.score === threshold) {
      if (sorted[i]!.label) tp++;
      else fp++;
      i++;
    }
    out.push({ threshold, tp, fp });
  }
  return out;
}

/**
 * Area under the precision–recall curve as average precision: Σ (Rₖ − Rₖ₋₁) · Pₖ over distinct
 * thresholds (scikit-learn's `average_precision_score`). Null without a positive case.
 */
export function auprc(cases: readonly Case[]): number | null {
  const positives = cases.reduce((n, x) => n + (x.label ? 1 : 0), 0);
  if (positives === 0) return null;
  let ap = 0;
  let previousRecall = 0;
  for (const { tp, fp } of sweep(cases)) {
    const recall = tp / positives;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  return ap;
}

/** ROC curve points (false positive rate, true positive rate) from (0,0) to (1,1). */
export function rocCurve(cases: readonly Case[]): Array<{ fpr: number; tpr: number; threshold: number }> {
  const positives = cases.reduce((n, x) => n + (x.label ? 1 : 0), 0);
  const negatives = cases.length - positives;
  if (positives === 0 || negatives === 0) return [];
  return [
    { fpr: 0, tpr: 0, threshold: Infinity },
    ...sweep(cases).map(({ threshold, tp, fp }) => ({ fpr: fp / negatives, tpr: tp / positives, threshold })),
  ];
}

/** Precision–recall curve points, one per distinct threshold. */
export function prCurve(
  cases: readonly Case[],
): Array<{ recall: number; precision: number; threshold: number }> {
  const positives = cases.reduce((n, x) => n + (x.label ? 1 : 0), 0);
  if (positives === 0) return [];
  return sweep(cases).map(({ threshold, tp, fp }) => ({
    recall: tp / positives,
    precision: tp / (tp + fp),
    threshold,
  }));
}

/** Mean squared difference between probability and outcome. Null for no cases. */
export function brier(cases: readonly Case[]): number | null {
  if (cases.length === 0) return null;
  let sum = 0;
  for (const x of cases) sum += (x.score - (x.label ? 1 : 0)) ** 2;
  return sum / cases.length;
}

export interface ReliabilityBin {
  low: number;
  high: number;
  n: number;
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Observed proportion of positives in the bin. */
  observed: number;
}

/**
 * The reliability curve: cases in equal-width probability bins (the last bin includes 1). Empty
 * bins are omitted.
 */
export function reliability(cases: readonly Case[], bins = 10): ReliabilityBin[] {
  const n = new Array<number>(bins).fill(0);
  const sumScore = new Array<number>(bins).fill(0);
  const sumLabel = new Array<number>(bins).fill(0);
  for (const x of cases) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(x.score * bins)));
    n[b]!++;
    sumScore[b]! += x.score;
    sumLabel[b]! += x.label ? 1 : 0;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (n[b] === 0) continue;
    out.push({
      low: b / bins,
      high: (b + 1) / bins,
      n: n[b]!,
      predicted: sumScore[b]! / n[b]!,
      observed: sumLabel[b]! / n[b]!,
    });
  }
  return out;
}

/** Expected calibration error: Σ (nᵦ / N) · |observedᵦ − predictedᵦ| over the reliability bins. */
export function ece(cases: readonly Case[], bins = 10): number | null {
  if (cases.length === 0) return null;
  return reliability(cases, bins).reduce(
    (sum, b) => sum + (b.n / cases.length) * Math.abs(b.observed - b.predicted),
    0,
  );
}

/** Every metric for one set of cases. */
export function allMetrics(cases: readonly Case[]): Record<MetricName, number | null> {
  return {
    ...binaryMetrics(confusion(cases)),
    auroc: auroc(cases),
    auprc: auprc(cases),
    brier: brier(cases),
    ece: ece(cases),
  };
}

export interface ThresholdRow {
  threshold: number;
  sensitivity: number | null;
  specificity: number | null;
  ppv: number | null;
  flagRate: number | null;
  flagged: number;
}

/** Sensitivity, specificity, PPV and flag rate when the flag is `score ≥ threshold`, per cut. */
export function thresholdTable(cases: readonly Case[], thresholds: readonly number[]): ThresholdRow[] {
  return thresholds.map((threshold) => {
    const m = binaryMetrics(confusion(cases.map((x) => ({ ...x, flag: x.score >= threshold }))));
    return {
      threshold,
      sensitivity: m.sensitivity,
      specificity: m.specificity,
      ppv: m.ppv,
      flagRate: m.flagRate,
      flagged: cases.filter((x) => x.score >= threshold).length,
    };
  });
}

/**
 * Mulberry32: a small, fast, seedable PRNG (public domain), so bootstrap intervals are the same
 * on every run and every machine.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The q-quantile (0–1) of sorted values, linear interpolation between order statistics. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface BootstrapOptions {
  replicates: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { replicates: 500, seed: 20260101 };

/**
 * Point estimates and 95 % percentile bootstrap intervals for several statistics of one sample:
 * each replicate resamples the units (patients) with replacement and recomputes every statistic.
 * `units` are groups of cases that stay together (one patient's cases), so within-patient
 * correlation is respected.
 */
export function bootstrap<K extends string>(
  units: readonly (readonly Case[])[],
  statistics: (cases: readonly Case[]) => Record<K, number | null>,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<K, Estimate> {
  const point = statistics(units.flat());
  const samples = new Map<K, number[]>();
  for (const k of Object.keys(point) as K[]) samples.set(k, []);
  if (units.length > 0) {
    const random = seededRandom(options.seed);
    for (let r = 0; r < options.replicates; r++) {
      const resample: Case[] = [];
      for (let i = 0; i < units.length; i++) {
        const unit = units[Math.floor(random() * units.length)]!;
        for (const x of unit) resample.push(x);
      }
      const s = statistics(resample);
      for (const k of Object.keys(s) as K[]) {
        const v = s[k];
        if (v !== null && Number.isFinite(v)) samples.get(k)!.push(v);
      }
    }
  }
  const out = {} as Record<K, Estimate>;
  for (const k of Object.keys(point) as K[]) {
    const sorted = samples.get(k)!.sort((a, b) => a - b);
    const value = point[k];
    out[k] =
      value === null || sorted.length === 0
        ? { value, low: null, high: null }
        : { value, low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
  }
  return out;
}

/**
 * A ratio of two statistics with its bootstrap interval, each group resampled independently
 * (stratified bootstrap), as used for a fairness ratio to a reference group.
 */
export function bootstrapRatio(
  group: readonly (readonly Case[])[],
  reference: readonly (readonly Case[])[],
  statistic: (cases: readonly Case[]) => number | null,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Estimate {
  const divide = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
  const value = divide(statistic(group.flat()), statistic(reference.flat()));
  if (value === null || group.length === 0 || reference.length === 0) return { value, low: null, high: null };
  const random = seededRandom(options.seed);
  const draw = (units: readonly (readonly Case[])[]) => {
    const out: Case[] = [];
    for (let i = 0; i < units.length; i++)
      for (const x of units[Math.floor(random() * units.length)]!) out.push(x);
    return out;
  };
  const samples: number[] = [];
  for (let r = 0; r < options.replicates; r++) {
    const v = divide(statistic(draw(group)), statistic(draw(reference)));
    if (v !== null && Number.isFinite(v)) samples.push(v);
  }
  samples.sort((a, b) => a - b);
  return samples.length === 0
    ? { value, low: null, high: null }
    : { value, low: quantile(samples, 0.025), high: quantile(samples, 0.975) };
}
