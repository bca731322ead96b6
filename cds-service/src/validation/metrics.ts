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

/**
 * Every metric for one set of cases in one linear pass plus two numeric typed-array sorts: the
 * bootstrap calls this thousands of times, so it avoids sorting objects. Agrees with `auroc`,
 * `auprc`, `brier` and `ece` (tested).
 */
export function allMetrics(cases: readonly Case[]): Record<MetricName, number | null> {
  let p = 0;
  for (const x of cases) if (x.label) p++;
  const pos = new Float64Array(p);
  const neg = new Float64Array(cases.length - p);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  let sq = 0;
  const bins = 10;
  const binN = new Float64Array(bins);
  const binScore = new Float64Array(bins);
  const binLabel = new Float64Array(bins);
  let ip = 0;
  let ineg = 0;
  for (const x of cases) {
    const y = x.label ? 1 : 0;
    if (x.label) {
      pos[ip++] = x.score;
      if (x.flag) c.tp++;
      else c.fn++;
    } else {
      neg[ineg++] = x.score;
      if (x.flag) c.fp++;
      else c.tn++;
    }
    sq += (x.score - y) ** 2;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(x.score * bins)));
    binN[b]!++;
    binScore[b]! += x.score;
    binLabel[b]! += y;
  }
  pos.sort();
  neg.sort();
  const n = cases.length;
  let eceSum = 0;
  for (let b = 0; b < bins; b++)
    if (binN[b]! > 0) eceSum += (binN[b]! / n) * Math.abs(binLabel[b]! / binN[b]! - binScore[b]! / binN[b]!);
  return {
    ...binaryMetrics(c),
    auroc: sortedAuroc(pos, neg),
    auprc: sortedAuprc(pos, neg),
    brier: n ? sq / n : null,
    ece: n ? eceSum : null,
  };
}

/** AUROC from ascending positive and negative scores (ties count one half). */
function sortedAuroc(pos: Float64Array, neg: Float64Array): number | null {
  if (pos.length === 0 || neg.length === 0) return null;
  let below = 0; // negatives with a score < s
  let upTo = 0; // negatives with a score <= s
  let wins = 0;
  for (let i = 0; i < pos.length; i++) {
    const s = pos[i]!;
    while (below < neg.length && neg[below]! < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < neg.length && neg[upTo]! <= s) upTo++;
    wins += below + (upTo - below) / 2;
  }
  return wins / (pos.length * neg.length);
}

/** Average precision from ascending positive and negative scores, threshold by distinct score. */
function sortedAuprc(pos: Float64Array, neg: Float64Array): number | null {
  if (pos.length === 0) return null;
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let previousRecall = 0;
  while (i >= 0 || j >= 0) {
    const threshold = Math.max(i >= 0 ? pos[i]! : -Infinity, j >= 0 ? neg[j]! : -Infinity);
    while (i >= 0 && pos[i] === threshold) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === threshold) {
      fp++;
      j--;
    }
    const recall = tp / pos.length;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  return ap;
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
 * A unit is the group of items that stay together (one patient's cases or chart opens), so
 * within-patient correlation is respected.
 */
export function bootstrap<T, K extends string>(
  units: readonly (readonly T[])[],
  statistics: (items: readonly T[]) => Record<K, number | null>,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<K, Estimate> {
  const point = statistics(units.flat<readonly (readonly T[])[]>());
  const samples = new Map<K, number[]>();
  for (const k of Object.keys(point) as K[]) samples.set(k, []);
  if (units.length > 0) {
    const random = seededRandom(options.seed);
    for (let r = 0; r < options.replicates; r++) {
      const s = statistics(resample(units, random));
      for (const k of Object.keys(s) as K[]) {
        const v = s[k];
        if (v !== null && Number.isFinite(v)) samples.get(k)!.push(v);
      }
    }
  }
  const out = {} as Record<K, Estimate>;
  for (const k of Object.keys(point) as K[]) out[k] = interval(point[k], samples.get(k)!);
  return out;
}

/**
 * `bootstrap` for statistics of additive counts, fast: each unit is summarized once as a vector of
 * whole-number counts, and a replicate adds the vectors of the units it draws (drawn exactly as
 * `bootstrap` draws them, so the same seed gives the same replicates) instead of copying items.
 * `finish` turns summed counts into the statistics; with whole numbers the sums are exact, so the
 * estimates equal `bootstrap`'s over the items the counts came from.
 */
export function bootstrapSums<K extends string>(
  units: readonly Float64Array[],
  width: number,
  finish: (totals: Float64Array) => Record<K, number | null>,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<K, Estimate> {
  const totals = new Float64Array(width);
  for (const u of units) for (let k = 0; k < width; k++) totals[k]! += u[k]!;
  const point = finish(totals);
  const keys = Object.keys(point) as K[];
  const samples = new Map<K, number[]>(keys.map((k) => [k, []]));
  if (units.length > 0) {
    const random = seededRandom(options.seed);
    for (let r = 0; r < options.replicates; r++) {
      totals.fill(0);
      for (let i = 0; i < units.length; i++) {
        const u = units[Math.floor(random() * units.length)]!;
        for (let k = 0; k < width; k++) totals[k]! += u[k]!;
      }
      const s = finish(totals);
      for (const k of keys) {
        const v = s[k];
        if (v !== null && Number.isFinite(v)) samples.get(k)!.push(v);
      }
    }
  }
  const out = {} as Record<K, Estimate>;
  for (const k of keys) out[k] = interval(point[k], samples.get(k)!);
  return out;
}

function resample<T>(units: readonly (readonly T[])[], random: () => number): T[] {
  const out: T[] = [];
  for (let i = 0; i < units.length; i++)
    for (const x of units[Math.floor(random() * units.length)]!) out.push(x);
  return out;
}

function interval(value: number | null, samples: number[]): Estimate {
  if (value === null || samples.length === 0) return { value, low: null, high: null };
  samples.sort((a, b) => a - b);
  return { value, low: quantile(samples, 0.025), high: quantile(samples, 0.975) };
}

/**
 * Ratios of statistics between a group and a reference group, with bootstrap intervals, each
 * group resampled independently (stratified bootstrap): the fairness audit's ratios.
 */
export function bootstrapRatios<T, K extends string>(
  group: readonly (readonly T[])[],
  reference: readonly (readonly T[])[],
  statistics: (items: readonly T[]) => Record<K, number | null>,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<K, Estimate> {
  const divide = (a: number | null | undefined, b: number | null | undefined) =>
    a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
  const g = statistics(group.flat<readonly (readonly T[])[]>());
  const r = statistics(reference.flat<readonly (readonly T[])[]>());
  const keys = Object.keys(g) as K[];
  const samples = new Map<K, number[]>(keys.map((k) => [k, []]));
  if (group.length > 0 && reference.length > 0) {
    const random = seededRandom(options.seed);
    for (let i = 0; i < options.replicates; i++) {
      const sg = statistics(resample(group, random));
      const sr = statistics(resample(reference, random));
      for (const k of keys) {
        const v = divide(sg[k], sr[k]);
        if (v !== null && Number.isFinite(v)) samples.get(k)!.push(v);
      }
    }
  }
  const out = {} as Record<K, Estimate>;
  for (const k of keys) out[k] = interval(divide(g[k], r[k]), samples.get(k)!);
  return out;
}

/**
 * Cases of many units, prepared for fast resampling: each unit's additive statistics (confusion
 * counts, squared error, calibration bins) are summed once, and each case's score is replaced by
 * its index among the distinct scores, so a replicate adds small vectors and counts instead of
 * copying and sorting cases. Gives the same numbers as `allMetrics` on the pooled cases (tested).
 */
export class CaseSample {
  private readonly scores: Float64Array;
  private readonly sums: Float64Array[];
  /** Per unit: the distinct score indices of its cases, with how many positives and negatives each. */
  private readonly indices: Int32Array[];
  private readonly positives: Float64Array[];
  private readonly negatives: Float64Array[];
  private static readonly BINS = 10;
  /** Offsets into a unit's sums: tp, fp, tn, fn, squared error, then n, score, label per bin. */
  private static readonly WIDTH = 5 + 3 * CaseSample.BINS;

  constructor(
    readonly units: readonly (readonly Case[])[],
    scoreSpace?: readonly number[],
  ) {
    const distinct = [...new Set(scoreSpace ?? units.flatMap((u) => u.map((x) => x.score)))].sort(
      (a, b) => a - b,
    );
    this.scores = Float64Array.from(distinct);
    const index = new Map(distinct.map((s, i) => [s, i]));
    this.sums = [];
    this.indices = [];
    this.positives = [];
    this.negatives = [];
    for (const unit of units) {
      const sums = new Float64Array(CaseSample.WIDTH);
      // A unit's cases share few scores (most are 0): counted once per distinct score, a replicate
      // adds a handful of counts per unit instead of one per case. Counts are whole numbers, so
      // the sums are exact whatever their order.
      const counts = new Map<number, [number, number]>();
      for (const x of unit) {
        const y = x.label ? 1 : 0;
        sums[x.label ? (x.flag ? 0 : 3) : x.flag ? 1 : 2]!++;
        sums[4]! += (x.score - y) ** 2;
        const b = Math.min(CaseSample.BINS - 1, Math.max(0, Math.floor(x.score * CaseSample.BINS)));
        sums[5 + 3 * b]!++;
        sums[6 + 3 * b]! += x.score;
        sums[7 + 3 * b]! += y;
        const i = index.get(x.score);
        if (i === undefined) throw new Error('a case score outside the score space');
        const c = counts.get(i);
        if (c) c[y === 1 ? 0 : 1]++;
        else counts.set(i, y === 1 ? [1, 0] : [0, 1]);
      }
      const idx = new Int32Array(counts.size);
      const pos = new Float64Array(counts.size);
      const neg = new Float64Array(counts.size);
      let k = 0;
      for (const [i, [p, n]] of counts) {
        idx[k] = i;
        pos[k] = p;
        neg[k] = n;
        k++;
      }
      this.sums.push(sums);
      this.indices.push(idx);
      this.positives.push(pos);
      this.negatives.push(neg);
    }
  }

  /** Every metric over the units chosen (by index; repeats allowed), or over all units. */
  metrics(chosen?: ArrayLike<number>): Record<MetricName, number | null> {
    const total = new Float64Array(CaseSample.WIDTH);
    const pos = new Float64Array(this.scores.length);
    const neg = new Float64Array(this.scores.length);
    const count = chosen ? chosen.length : this.units.length;
    for (let c = 0; c < count; c++) {
      const u = chosen ? chosen[c]! : c;
      const sums = this.sums[u]!;
      for (let k = 0; k < CaseSample.WIDTH; k++) total[k]! += sums[k]!;
      const idx = this.indices[u]!;
      const up = this.positives[u]!;
      const un = this.negatives[u]!;
      for (let k = 0; k < idx.length; k++) {
        pos[idx[k]!]! += up[k]!;
        neg[idx[k]!]! += un[k]!;
      }
    }
    const confusionTable: Confusion = { tp: total[0]!, fp: total[1]!, tn: total[2]!, fn: total[3]! };
    const n = total[0]! + total[1]! + total[2]! + total[3]!;
    const p = total[0]! + total[3]!;
    let eceSum = 0;
    for (let b = 0; b < CaseSample.BINS; b++) {
      const nb = total[5 + 3 * b]!;
      if (nb > 0) eceSum += (nb / n) * Math.abs(total[7 + 3 * b]! / nb - total[6 + 3 * b]! / nb);
    }
    // One pass down the scores. AUROC: each positive beats the negatives below it and half the
    // tied ones (negatives below = all negatives − those at or above; every term a multiple of ½,
    // so the sum is exact in any order). Average precision: descending thresholds.
    const negatives = n - p;
    let wins = 0;
    let negAbove = 0;
    let tp = 0;
    let fp = 0;
    let previous = 0;
    let ap = 0;
    for (let d = pos.length - 1; d >= 0; d--) {
      const pd = pos[d]!;
      const nd = neg[d]!;
      if (pd === 0 && nd === 0) continue;
      if (pd !== 0) wins += pd * (negatives - negAbove - nd + nd / 2);
      negAbove += nd;
      if (p > 0) {
        tp += pd;
        fp += nd;
        const recall = tp / p;
        ap += (recall - previous) * (tp / (tp + fp));
        previous = recall;
      }
    }
    const aurocValue = p > 0 && negatives > 0 ? wins / (p * negatives) : null;
    const auprcValue = p > 0 ? ap : null;
    return {
      ...binaryMetrics(confusionTable),
      auroc: aurocValue,
      auprc: auprcValue,
      brier: n ? total[4]! / n : null,
      ece: n ? eceSum : null,
    };
  }

  /** Unit indices drawn with replacement. */
  draw(random: () => number): Int32Array {
    const out = new Int32Array(this.units.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * this.units.length);
    return out;
  }
}

/** `bootstrap(units, allMetrics)`, fast: the same estimates through CaseSample. */
export function bootstrapCases(
  units: readonly (readonly Case[])[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<MetricName, Estimate> {
  const sample = new CaseSample(units);
  const point = sample.metrics();
  const keys = Object.keys(point) as MetricName[];
  const samples = new Map<MetricName, number[]>(keys.map((k) => [k, []]));
  if (units.length > 0) {
    const random = seededRandom(options.seed);
    for (let r = 0; r < options.replicates; r++) {
      const s = sample.metrics(sample.draw(random));
      for (const k of keys) {
        const v = s[k];
        if (v !== null && Number.isFinite(v)) samples.get(k)!.push(v);
      }
    }
  }
  const out = {} as Record<MetricName, Estimate>;
  for (const k of keys) out[k] = interval(point[k], samples.get(k)!);
  return out;
}

/** `bootstrapRatios(group, reference, allMetrics)`, fast: the same estimates through CaseSample. */
export function bootstrapCaseRatios(
  group: readonly (readonly Case[])[],
  reference: readonly (readonly Case[])[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<MetricName, Estimate> {
  const space = [...group.flat(), ...reference.flat()].map((x) => x.score);
  const g = new CaseSample(group, space);
  const r = new CaseSample(reference, space);
  const divide = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
  const pg = g.metrics();
  const pr = r.metrics();
  const keys = Object.keys(pg) as MetricName[];
  const samples = new Map<MetricName, number[]>(keys.map((k) => [k, []]));
  if (group.length > 0 && reference.length > 0) {
    const random = seededRandom(options.seed);
    for (let i = 0; i < options.replicates; i++) {
      const sg = g.metrics(g.draw(random));
      const sr = r.metrics(r.draw(random));
      for (const k of keys) {
        const v = divide(sg[k], sr[k]);
        if (v !== null && Number.isFinite(v)) samples.get(k)!.push(v);
      }
    }
  }
  const out = {} as Record<MetricName, Estimate>;
  for (const k of keys) out[k] = interval(divide(pg[k], pr[k]), samples.get(k)!);
  return out;
}
