import {
  allMetrics,
  auprc,
  auroc,
  binaryMetrics,
  bootstrap,
  bootstrapRatios,
  bootstrapCaseRatios,
  bootstrapCases,
  brier,
  CaseSample,
  CaseSampleBuilder,
  confusion,
  ece,
  prCurve,
  quantile,
  reliability,
  rocCurve,
  seededRandom,
  thresholdTable,
  type Case,
} from './metrics';

// Ten cases worked by hand: positives at 0.9, 0.8, 0.6, 0.3; negatives at 0.7, 0.55, 0.4, 0.2,
// 0.1, 0.05; the model flagged the top three.
const TEN: Case[] = [
  [true, 0.9, true],
  [true, 0.8, true],
  [false, 0.7, true],
  [true, 0.6, false],
  [false, 0.55, false],
  [false, 0.4, false],
  [true, 0.3, false],
  [false, 0.2, false],
  [false, 0.1, false],
  [false, 0.05, false],
].map(([label, score, flag]) => ({ label: label as boolean, score: score as number, flag: flag as boolean }));

describe('validation metrics against hand-computed values', () => {
  it('counts the confusion table and derives the six threshold metrics', () => {
    const c = confusion(TEN);
    expect(c).toEqual({ tp: 2, fp: 1, tn: 5, fn: 2 });
    const m = binaryMetrics(c);
    expect(m.prevalence).toBeCloseTo(0.4, 12);
    expect(m.sensitivity).toBeCloseTo(0.5, 12);
    expect(m.specificity).toBeCloseTo(5 / 6, 12);
    expect(m.ppv).toBeCloseTo(2 / 3, 12);
    expect(m.npv).toBeCloseTo(5 / 7, 12);
    expect(m.flagRate).toBeCloseTo(0.3, 12);
  });

  it('returns null, not NaN, where a denominator is zero', () => {
    const m = binaryMetrics({ tp: 0, fp: 0, tn: 3, fn: 0 });
    expect(m.sensitivity).toBeNull();
    expect(m.ppv).toBeNull();
    expect(m.specificity).toBe(1);
    expect(binaryMetrics({ tp: 0, fp: 0, tn: 0, fn: 0 }).prevalence).toBeNull();
  });

  it('computes AUROC as the share of positive–negative pairs ranked correctly (20 of 24)', () => {
    expect(auroc(TEN)).toBeCloseTo(20 / 24, 12);
  });

  it('reproduces the AUROC of the Hanley–McNeil 1982 rating-scale example (0.893)', () => {
    // Hanley JA, McNeil BJ. The meaning and use of the area under a receiver operating
    // characteristic (ROC) curve. Radiology 1982;143:29-36, Table 1: CT ratings 1-5 of 58 normal
    // and 51 abnormal images; the Wilcoxon area is 0.893.
    const normal = [33, 6, 6, 11, 2];
    const abnormal = [3, 2, 2, 11, 33];
    const cases: Case[] = [];
    normal.forEach((n, i) => {
      for (let k = 0; k < n; k++) cases.push({ label: false, score: (i + 1) / 5, flag: false });
    });
    abnormal.forEach((n, i) => {
      for (let k = 0; k < n; k++) cases.push({ label: true, score: (i + 1) / 5, flag: false });
    });
    expect(auroc(cases)).toBeCloseTo(2642 / 2958, 12);
    expect(auroc(cases)!.toFixed(3)).toBe('0.893');
  });

  it('gives 0.5 for uninformative ties, 1 for a perfect ranking, null with one class', () => {
    const tied = [true, false, true, false].map((label) => ({ label, score: 0.5, flag: false }));
    expect(auroc(tied)).toBe(0.5);
    expect(
      auroc([
        { label: true, score: 0.9, flag: true },
        { label: false, score: 0.1, flag: false },
      ]),
    ).toBe(1);
    expect(auroc([{ label: true, score: 0.9, flag: true }])).toBeNull();
  });

  it('computes average precision over distinct thresholds', () => {
    // Recall steps of 1/4 at precisions 1, 1, 3/4 and 4/7.
    expect(auprc(TEN)).toBeCloseTo(0.25 * (1 + 1 + 0.75 + 4 / 7), 12);
    expect(auprc(TEN.map((x) => ({ ...x, label: false })))).toBeNull();
  });

  it('draws ROC and PR curves that end at (1, 1) and full recall', () => {
    const roc = rocCurve(TEN);
    expect(roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(roc.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    expect(roc[3]).toMatchObject({ fpr: 1 / 6, tpr: 0.5, threshold: 0.7 });
    const pr = prCurve(TEN);
    expect(pr.at(-1)).toMatchObject({ recall: 1, precision: 0.4 });
    expect(pr[3]).toMatchObject({ recall: 0.75, precision: 0.75 });
  });

  it('computes the Brier score (0.1705)', () => {
    expect(brier(TEN)).toBeCloseTo(0.1705, 12);
    expect(brier([])).toBeNull();
  });

  it('bins the reliability curve and computes the expected calibration error', () => {
    // Two bins: [0, 0.5) holds 0.4, 0.3, 0.2, 0.1, 0.05 (mean 0.21, one positive of five);
    // [0.5, 1] holds 0.9, 0.8, 0.7, 0.6, 0.55 (mean 0.71, three of five).
    const bins = reliability(TEN, 2);
    expect(bins).toHaveLength(2);
    expect(bins[0]!.n).toBe(5);
    expect(bins[0]!.predicted).toBeCloseTo(0.21, 12);
    expect(bins[0]!.observed).toBeCloseTo(0.2, 12);
    expect(bins[1]!.predicted).toBeCloseTo(0.71, 12);
    expect(bins[1]!.observed).toBeCloseTo(0.6, 12);
    expect(ece(TEN, 2)).toBeCloseTo(0.5 * 0.01 + 0.5 * 0.11, 12);
    // Ten bins, one case each: ECE is the mean absolute error, 3.4 / 10.
    expect(ece(TEN, 10)).toBeCloseTo(0.34, 12);
    expect(reliability([{ label: true, score: 1, flag: true }], 10)[0]).toMatchObject({ low: 0.9, high: 1 });
  });

  it('tabulates sensitivity, specificity, PPV and flag rate per probability cut', () => {
    const [half, all] = thresholdTable(TEN, [0.5, 0]);
    expect(half).toMatchObject({ threshold: 0.5, sensitivity: 0.75, ppv: 0.6, flagRate: 0.5, flagged: 5 });
    expect(half!.specificity).toBeCloseTo(4 / 6, 12);
    expect(all).toMatchObject({ sensitivity: 1, specificity: 0, flagRate: 1 });
  });

  it('interpolates quantiles between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('allMetrics, the bootstrap fast path', () => {
  it('agrees with the metric functions one by one, ties included', () => {
    const random = seededRandom(11);
    const cases: Case[] = Array.from({ length: 500 }, () => {
      const score = Math.round(random() * 20) / 20;
      return { score, label: random() < score, flag: score >= 0.6 };
    });
    for (const sample of [TEN, cases, cases.slice(0, 7)]) {
      const m = allMetrics(sample);
      expect(m.auroc).toBeCloseTo(auroc(sample)!, 12);
      expect(m.auprc).toBeCloseTo(auprc(sample)!, 12);
      expect(m.brier).toBeCloseTo(brier(sample)!, 12);
      expect(m.ece).toBeCloseTo(ece(sample)!, 12);
      expect(m.sensitivity).toBe(binaryMetrics(confusion(sample)).sensitivity);
    }
  });
});

describe('CaseSample, the fast bootstrap', () => {
  const random = seededRandom(5);
  const units: Case[][] = Array.from({ length: 60 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const score = Math.round(random() * 40) / 40;
      return { score, label: random() < score, flag: score >= 0.5 };
    }),
  );

  it('gives the same intervals as the generic bootstrap over allMetrics', () => {
    const options = { replicates: 100, seed: 9 };
    const fast = bootstrapCases(units, options);
    const slow = bootstrap(units, allMetrics, options);
    for (const k of Object.keys(slow) as Array<keyof typeof slow>) {
      for (const part of ['value', 'low', 'high'] as const) {
        if (slow[k][part] === null) expect(fast[k][part]).toBeNull();
        else expect(fast[k][part]).toBeCloseTo(slow[k][part], 10);
      }
    }
  });

  it('draws the same curves, reliability bins and threshold table as the pooled cases, bit for bit', () => {
    const sample = CaseSample.of(units);
    const flat = units.flat();
    expect(sample.rocCurve()).toEqual(rocCurve(flat));
    expect(sample.prCurve()).toEqual(prCurve(flat));
    expect(sample.reliability()).toEqual(reliability(flat, 10));
    const cuts = [0, 0.05, 0.25, 0.5, 0.975, 1];
    expect(sample.thresholdTable(cuts)).toEqual(thresholdTable(flat, cuts));
    expect(sample.confusion()).toEqual(confusion(flat));
    expect(sample.cases).toBe(flat.length);
  });

  it('drops a unit without cases unless asked to keep it (a kept empty unit is still drawn)', () => {
    const b = new CaseSampleBuilder();
    b.add(true, true, 0.9);
    expect(b.endUnit()).toBe(true);
    expect(b.endUnit()).toBe(false);
    expect(b.endUnit(true)).toBe(true);
    const sample = b.build();
    expect(sample.units).toBe(2);
    expect(sample.cases).toBe(1);
  });

  it('gives the same ratios as the generic stratified bootstrap', () => {
    const options = { replicates: 100, seed: 4 };
    const fast = bootstrapCaseRatios(units.slice(0, 20), units.slice(20), options);
    const slow = bootstrapRatios(units.slice(0, 20), units.slice(20), allMetrics, options);
    for (const k of Object.keys(slow) as Array<keyof typeof slow>) {
      for (const part of ['value', 'low', 'high'] as const) {
        if (slow[k][part] === null) expect(fast[k][part]).toBeNull();
        else expect(fast[k][part]).toBeCloseTo(slow[k][part], 10);
      }
    }
  });
});

describe('seeded bootstrap', () => {
  const units = TEN.map((x) => [x]);

  it('is deterministic for a seed and differs between seeds', () => {
    const a = bootstrap(units, allMetrics, { replicates: 200, seed: 7 });
    const b = bootstrap(units, allMetrics, { replicates: 200, seed: 7 });
    const c = bootstrap(units, allMetrics, { replicates: 200, seed: 8 });
    expect(a).toEqual(b);
    expect(a.auroc.low).not.toEqual(c.auroc.low);
  });

  it('brackets the point estimate, and collapses when every unit is the same', () => {
    const est = bootstrap(units, allMetrics, { replicates: 300, seed: 1 });
    expect(est.sensitivity.value).toBe(0.5);
    expect(est.sensitivity.low!).toBeLessThanOrEqual(0.5);
    expect(est.sensitivity.high!).toBeGreaterThanOrEqual(0.5);
    expect(est.sensitivity.high! - est.sensitivity.low!).toBeGreaterThan(0.2);
    const same = Array.from({ length: 20 }, () => [{ label: true, score: 0.8, flag: true }]);
    expect(bootstrap(same, allMetrics, { replicates: 50, seed: 1 }).sensitivity).toEqual({
      value: 1,
      low: 1,
      high: 1,
    });
  });

  it('keeps a unit (patient) together when resampling', () => {
    // One patient with two cases that always travel together: the flag rate can only be 0.5.
    const paired = [
      [
        { label: true, score: 0.9, flag: true },
        { label: false, score: 0.1, flag: false },
      ],
    ];
    const est = bootstrap(paired, allMetrics, { replicates: 50, seed: 3 });
    expect(est.flagRate).toEqual({ value: 0.5, low: 0.5, high: 0.5 });
  });

  it('bootstraps a ratio between two groups', () => {
    const flagRate = (cases: readonly Case[]) => ({ flagRate: binaryMetrics(confusion(cases)).flagRate });
    const g = [[{ label: true, score: 1, flag: true }], [{ label: false, score: 0, flag: false }]];
    const r = [[{ label: true, score: 1, flag: true }]];
    const est = bootstrapRatios(g, r, flagRate, { replicates: 100, seed: 2 }).flagRate;
    expect(est.value).toBe(0.5);
    expect(est.low).toBe(0);
    expect(est.high).toBe(1);
  });

  it('produces uniform numbers in [0, 1) from the seeded generator', () => {
    const random = seededRandom(42);
    const xs = Array.from({ length: 10_000 }, random);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
});
