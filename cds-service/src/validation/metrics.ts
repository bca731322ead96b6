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
  return reliabilityBins(n, sumScore, sumLabel);
}

/** The non-empty bins of per-bin counts and sums of scores and labels, equal width over [0, 1]. */
function reliabilityBins(
  n: ArrayLike<number>,
  sumScore: ArrayLike<number>,
  sumLabel: ArrayLike<number>,
): ReliabilityBin[] {
  const bins = n.length;
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const count = n[b] ?? 0;
    if (count === 0) continue;
    out.push({
      low: b / bins,
      high: (b + 1) / bins,
      n: count,
      predicted: (sumScore[b] ?? 0) / count,
      observed: (sumLabel[b] ?? 0) / count,
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

/** One row of a threshold table from the confusion counts at that cut (flagged = tp + fp). */
function thresholdRow(threshold: number, counts: Confusion): ThresholdRow {
  const m = binaryMetrics(counts);
  return {
    threshold,
    sensitivity: m.sensitivity,
    specificity: m.specificity,
    ppv: m.ppv,
    flagRate: m.flagRate,
    flagged: counts.tp + counts.fp,
  };
}

/** Sensitivity, specificity, PPV and flag rate when the flag is `score ≥ threshold`, per cut. */
export function thresholdTable(cases: readonly Case[], thresholds: readonly number[]): ThresholdRow[] {
  return thresholds.map((threshold) => {
    const counts = confusion(cases.map((x) => ({ ...x, flag: x.score >= threshold })));
    return thresholdRow(threshold, counts);
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

/** Growable typed columns (amortized doubling), so a sample is built without a JS object per case. */
class Column<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(Math.max(16, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  get(i: number): number {
    return this.data[i]!;
  }
  /** The values pushed, trimmed to length (a copy: the column can be dropped). */
  take(): T {
    return this.data.slice(0, this.length) as T;
  }
}

const f64 = () => new Column(new Float64Array(16), (n) => new Float64Array(n));
const i32 = () => new Column(new Int32Array(16), (n) => new Int32Array(n));

const BINS = 10;
/** Offsets into a unit's sums: tp, fp, tn, fn, squared error, then n, score, label per bin. */
const WIDTH = 5 + 3 * BINS;

/**
 * Builds a CaseSample one case at a time, unit after unit, in the order the cases are to be
 * pooled: no Case object and no copy of the cases is made, so the memory a sample takes is its
 * per-unit sums, not its cases.
 */
export class CaseSampleBuilder {
  private readonly unitSums = new Float64Array(WIDTH);
  /** The current unit's distinct scores: score → slot in unitPos/unitNeg. */
  private readonly unitScores = new Map<number, number>();
  private unitPos: number[] = [];
  private unitNeg: number[] = [];
  private unitCases = 0;
  private units = 0;
  private cases = 0;
  private readonly confusionTable: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  /** Reliability over the pooled cases, accumulated in pooled order (as `reliability` does). */
  private readonly binN = new Float64Array(BINS);
  private readonly binScore = new Float64Array(BINS);
  private readonly binLabel = new Float64Array(BINS);
  private readonly sumStart = i32();
  private readonly sumCol = i32();
  private readonly sumVal = f64();
  private readonly entryStart = i32();
  private readonly entryScore = f64();
  private readonly entryPos = f64();
  private readonly entryNeg = f64();

  constructor() {
    this.sumStart.push(0);
    this.entryStart.push(0);
  }

  /** Adds one case to the current unit. */
  add(label: boolean, flag: boolean, score: number): void {
    const sums = this.unitSums;
    const y = label ? 1 : 0;
    const cell = label ? (flag ? 0 : 3) : flag ? 1 : 2;
    sums[cell]!++;
    sums[4]! += (score - y) ** 2;
    const b = Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)));
    sums[5 + 3 * b]!++;
    sums[6 + 3 * b]! += score;
    sums[7 + 3 * b]! += y;
    this.binN[b]!++;
    this.binScore[b]! += score;
    this.binLabel[b]! += y;
    const c = this.confusionTable;
    if (cell === 0) c.tp++;
    else if (cell === 1) c.fp++;
    else if (cell === 2) c.tn++;
    else c.fn++;
    let slot = this.unitScores.get(score);
    if (slot === undefined) {
      slot = this.unitPos.length;
      this.unitScores.set(score, slot);
      this.unitPos.push(0);
      this.unitNeg.push(0);
    }
    if (label) this.unitPos[slot]!++;
    else this.unitNeg[slot]!++;
    this.unitCases++;
    this.cases++;
  }

  /**
   * Closes the current unit. A unit without cases is dropped unless `keepEmpty` (it would still be
   * drawn, adding nothing). Returns whether a unit was kept.
   */
  endUnit(keepEmpty = false): boolean {
    const kept = this.unitCases > 0 || keepEmpty;
    if (kept) {
      // Only the non-zero sums are kept: adding zero leaves a total unchanged, bit for bit (the
      // totals start at +0 and never become −0), so each total sees the same additions in the
      // same order as when every unit added all its sums.
      const sums = this.unitSums;
      for (let k = 0; k < WIDTH; k++)
        if (sums[k] !== 0) {
          this.sumCol.push(k);
          this.sumVal.push(sums[k]!);
        }
      this.sumStart.push(this.sumCol.length);
      for (const [score, slot] of this.unitScores) {
        this.entryScore.push(score);
        this.entryPos.push(this.unitPos[slot]!);
        this.entryNeg.push(this.unitNeg[slot]!);
      }
      this.entryStart.push(this.entryScore.length);
      this.units++;
    }
    this.unitSums.fill(0);
    this.unitScores.clear();
    this.unitPos = [];
    this.unitNeg = [];
    this.unitCases = 0;
    return kept;
  }

  /** The sample (closing a unit still open). */
  build(): CaseSample {
    if (this.unitCases > 0) this.endUnit();
    const entryScore = this.entryScore.take();
    const distinct = entryScore.slice().sort();
    let d = 0;
    for (let i = 0; i < distinct.length; i++)
      if (i === 0 || distinct[i] !== distinct[d - 1]) distinct[d++] = distinct[i]!;
    const scores = distinct.slice(0, d);
    // Each entry's score as its index among the distinct scores (binary search; −0 and +0 are one).
    const entryIndex = new Int32Array(entryScore.length);
    for (let e = 0; e < entryScore.length; e++) {
      const s = entryScore[e]!;
      let lo = 0;
      let hi = scores.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (scores[mid]! < s) lo = mid + 1;
        else hi = mid;
      }
      entryIndex[e] = lo;
    }
    return new CaseSample({
      units: this.units,
      cases: this.cases,
      confusion: { ...this.confusionTable },
      reliability: { n: this.binN.slice(), score: this.binScore.slice(), label: this.binLabel.slice() },
      scores,
      sumStart: this.sumStart.take(),
      sumCol: Uint8Array.from(this.sumCol.take()),
      sumVal: this.sumVal.take(),
      entryStart: this.entryStart.take(),
      entryIndex,
      entryPos: this.entryPos.take(),
      entryNeg: this.entryNeg.take(),
    });
  }
}

interface SampleParts {
  units: number;
  cases: number;
  confusion: Confusion;
  reliability: { n: Float64Array; score: Float64Array; label: Float64Array };
  /** The distinct scores, ascending. */
  scores: Float64Array;
  /** Per unit u: its non-zero sums are sumCol/sumVal[sumStart[u] … sumStart[u + 1]). */
  sumStart: Int32Array;
  sumCol: Uint8Array;
  sumVal: Float64Array;
  /** Per unit u: its distinct scores (as indices) with their positives and negatives. */
  entryStart: Int32Array;
  entryIndex: Int32Array;
  entryPos: Float64Array;
  entryNeg: Float64Array;
}

/**
 * Cases of many units, prepared for fast resampling: each unit's additive statistics (confusion
 * counts, squared error, calibration bins) are summed once, and each case's score is replaced by
 * its index among the distinct scores, counted once per unit, so a replicate adds a few numbers
 * per unit instead of copying and sorting cases. Gives the same numbers as `allMetrics` on the
 * pooled cases (tested). Held in flat typed arrays: no object per unit or per case.
 */
export class CaseSample {
  /** Units (patients) in the sample. */
  readonly units: number;
  /** Cases pooled over the units. */
  readonly cases: number;
  private readonly parts: SampleParts;
  private readonly total = new Float64Array(WIDTH);
  private readonly pos: Float64Array;
  private readonly neg: Float64Array;
  private drawn: Int32Array | undefined;

  constructor(parts: SampleParts) {
    this.parts = parts;
    this.units = parts.units;
    this.cases = parts.cases;
    this.pos = new Float64Array(parts.scores.length);
    this.neg = new Float64Array(parts.scores.length);
  }

  /** The sample of units of cases (every unit kept, empty or not). */
  static of(units: readonly (readonly Case[])[]): CaseSample {
    const b = new CaseSampleBuilder();
    for (const unit of units) {
      for (const x of unit) b.add(x.label, x.flag, x.score);
      b.endUnit(true);
    }
    return b.build();
  }

  /** The confusion table of the pooled cases. */
  confusion(): Confusion {
    return { ...this.parts.confusion };
  }

  /** Every metric over the units chosen (by index; repeats allowed), or over all units. */
  metrics(chosen?: ArrayLike<number>): Record<MetricName, number | null> {
    const { sumStart, sumCol, sumVal, entryStart, entryIndex, entryPos, entryNeg } = this.parts;
    const total = this.total;
    const pos = this.pos;
    const neg = this.neg;
    total.fill(0);
    pos.fill(0);
    neg.fill(0);
    const count = chosen ? chosen.length : this.units;
    for (let c = 0; c < count; c++) {
      const u = chosen ? chosen[c]! : c;
      for (let e = sumStart[u]!, end = sumStart[u + 1]!; e < end; e++) total[sumCol[e]!]! += sumVal[e]!;
      for (let e = entryStart[u]!, end = entryStart[u + 1]!; e < end; e++) {
        pos[entryIndex[e]!]! += entryPos[e]!;
        neg[entryIndex[e]!]! += entryNeg[e]!;
      }
    }
    const confusionTable: Confusion = { tp: total[0]!, fp: total[1]!, tn: total[2]!, fn: total[3]! };
    const n = total[0]! + total[1]! + total[2]! + total[3]!;
    const p = total[0]! + total[3]!;
    let eceSum = 0;
    for (let b = 0; b < BINS; b++) {
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

  /**
   * Unit indices drawn with replacement, as many as there are units. The array is reused by the
   * next draw of this sample: use it before drawing again.
   */
  draw(random: () => number): Int32Array {
    const out = (this.drawn ??= new Int32Array(this.units));
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * this.units);
    return out;
  }

  /** Positives and negatives of the pooled cases per distinct score. */
  private histogram(): { pos: Float64Array; neg: Float64Array } {
    const { scores, entryIndex, entryPos, entryNeg } = this.parts;
    const pos = new Float64Array(scores.length);
    const neg = new Float64Array(scores.length);
    for (let e = 0; e < entryIndex.length; e++) {
      pos[entryIndex[e]!]! += entryPos[e]!;
      neg[entryIndex[e]!]! += entryNeg[e]!;
    }
    return { pos, neg };
  }

  /** Distinct thresholds, highest first, with the cumulative counts at or above each (as `sweep`). */
  private sweep(): Array<{ threshold: number; tp: number; fp: number }> {
    const { scores } = this.parts;
    const { pos, neg } = this.histogram();
    const out: Array<{ threshold: number; tp: number; fp: number }> = [];
    let tp = 0;
    let fp = 0;
    for (let d = scores.length - 1; d >= 0; d--) {
      tp += pos[d]!;
      fp += neg[d]!;
      out.push({ threshold: scores[d]!, tp, fp });
    }
    return out;
  }

  /** `rocCurve` of the pooled cases. */
  rocCurve(): Array<{ fpr: number; tpr: number; threshold: number }> {
    const c = this.parts.confusion;
    const positives = c.tp + c.fn;
    const negatives = c.fp + c.tn;
    if (positives === 0 || negatives === 0) return [];
    return [
      { fpr: 0, tpr: 0, threshold: Infinity },
      ...this.sweep().map(({ threshold, tp, fp }) => ({
        fpr: fp / negatives,
        tpr: tp / positives,
        threshold,
      })),
    ];
  }

  /** `prCurve` of the pooled cases. */
  prCurve(): Array<{ recall: number; precision: number; threshold: number }> {
    const c = this.parts.confusion;
    const positives = c.tp + c.fn;
    if (positives === 0) return [];
    return this.sweep().map(({ threshold, tp, fp }) => ({
      recall: tp / positives,
      precision: tp / (tp + fp),
      threshold,
    }));
  }

  /** `reliability(cases, 10)` of the pooled cases. */
  reliability(): ReliabilityBin[] {
    const { n, score, label } = this.parts.reliability;
    return reliabilityBins(n, score, label);
  }

  /** `thresholdTable` of the pooled cases. */
  thresholdTable(thresholds: readonly number[]): ThresholdRow[] {
    const c = this.parts.confusion;
    const positives = c.tp + c.fn;
    const negatives = c.fp + c.tn;
    const { scores } = this.parts;
    const { pos, neg } = this.histogram();
    return thresholds.map((threshold) => {
      // The flag is `score ≥ cut`; counts are whole numbers, exact in any order.
      let tp = 0;
      let fp = 0;
      for (let d = 0; d < scores.length; d++)
        if (scores[d]! >= threshold) {
          tp += pos[d]!;
          fp += neg[d]!;
        }
      return thresholdRow(threshold, { tp, fp, fn: positives - tp, tn: negatives - fp });
    });
  }
}

function collect(keys: readonly MetricName[]): Map<MetricName, number[]> {
  return new Map<MetricName, number[]>(keys.map((k) => [k, []]));
}

/** Percentile intervals of every metric of a sample, patients resampled (`bootstrapCases`). */
export function bootstrapSample(
  sample: CaseSample,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<MetricName, Estimate> {
  const point = sample.metrics();
  const keys = Object.keys(point) as MetricName[];
  const samples = collect(keys);
  if (sample.units > 0) {
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

/**
 * Ratios of every metric between a group's sample and a reference's, each resampled
 * independently (`bootstrapCaseRatios`). The two may be the same sample.
 */
export function bootstrapSampleRatios(
  g: CaseSample,
  r: CaseSample,
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<MetricName, Estimate> {
  const divide = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
  const pg = g.metrics();
  const pr = r.metrics();
  const keys = Object.keys(pg) as MetricName[];
  const samples = collect(keys);
  if (g.units > 0 && r.units > 0) {
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

/** `bootstrap(units, allMetrics)`, fast: the same estimates through CaseSample. */
export function bootstrapCases(
  units: readonly (readonly Case[])[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<MetricName, Estimate> {
  return bootstrapSample(CaseSample.of(units), options);
}

/** `bootstrapRatios(group, reference, allMetrics)`, fast: the same estimates through CaseSample. */
export function bootstrapCaseRatios(
  group: readonly (readonly Case[])[],
  reference: readonly (readonly Case[])[],
  options: BootstrapOptions = DEFAULT_BOOTSTRAP,
): Record<MetricName, Estimate> {
  return bootstrapSampleRatios(CaseSample.of(group), CaseSample.of(reference), options);
}
