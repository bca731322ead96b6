import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@rationale/shared-types';
import { recordFromResources } from '../fhir/record';
import { assess } from './assess';
import {
  calibrateFinding,
  calibrateLikelihoodRatio,
  calibratePrior,
  likelihoodRatiosFromCounts,
  wilsonInterval,
} from './calibration';
import { priorFor } from './differential';
import { DIAGNOSTIC_KB } from './knowledge/conditions';
import { DEFAULT_MODEL_SETTINGS } from './settings';

const TYPICAL = (
  JSON.parse(readFileSync(join(__dirname, '../cli/fixtures/patient-typical.json'), 'utf8')) as {
    entry: { resource: Resource }[];
  }
).entry.map((e) => e.resource);
const RECORD = recordFromResources(TYPICAL, TYPICAL.find((r) => r.resourceType === 'Patient')?.id ?? '');
const NOW = new Date('2026-06-01T00:00:00Z');
const odds = (p: number) => p / (1 - p);
/** A calibrated prior as the calibration file gives it (its other fields are what the app shows). */
const cal = (calibrated: number, published: number) => ({
  calibrated,
  published,
  localEstimate: 0.5,
  interval: [0.3, 0.7] as const,
  localPatients: 40,
});

describe('prior calibration', () => {
  it('gives the Wilson 95% interval, sensible at zero', () => {
    const [lo, hi] = wilsonInterval(0, 10);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.2775, 4);
    const [a, b] = wilsonInterval(5, 10);
    expect(a).toBeCloseTo(0.2366, 4);
    expect(b).toBeCloseTo(0.7634, 4);
  });

  it('shrinks the local prevalence toward the published prior by the amount of local data', () => {
    expect(calibratePrior(0.147, 0, 1, 1000).calibrated).toBeCloseTo((0.147 * 1000) / 1001, 6);
    const small = calibratePrior(0.147, 30, 100, 1000);
    const large = calibratePrior(0.147, 30_000, 100_000, 1000);
    expect(small.localEstimate).toBe(0.3);
    expect(small.calibrated).toBeCloseTo((30 + 147) / 1100, 6);
    expect(large.calibrated).toBeCloseTo((30_000 + 147) / 101_000, 6);
    // More local data, closer to the local estimate.
    expect(Math.abs(large.calibrated - 0.3)).toBeLessThan(Math.abs(small.calibrated - 0.3));
  });

  it("changes the model's priors and posteriors, moving age and sex bands by the same odds ratio", () => {
    const before = assess(RECORD, NOW, DEFAULT_MODEL_SETTINGS);
    const after = assess(RECORD, NOW, {
      ...DEFAULT_MODEL_SETTINGS,
      priorCalibration: { ckd: cal(0.3, 0.14), htn: cal(0.6, 0.451) },
    });
    const ckd = (a: typeof before) => a.hypotheses.find((h) => h.conditionId === 'ckd');
    expect(ckd(before)?.prior).toBeCloseTo(0.14, 3);
    expect(ckd(after)?.prior).toBeCloseTo(0.3, 3);
    // The app is told what the prior was and what the site's data said.
    expect(ckd(after)?.priorCalibration).toEqual({
      published: 0.14,
      localEstimate: 0.5,
      interval: [0.3, 0.7],
      localPatients: 40,
    });
    expect(ckd(before)?.priorCalibration).toBeUndefined();
    // The same likelihood ratios on a higher prior: a higher posterior.
    expect(ckd(after)!.posterior).toBeGreaterThan(ckd(before)!.posterior);
    const htn = DIAGNOSTIC_KB.conditions.find((c) => c.id === 'htn')!;
    const facts = { ageYears: 70, sex: 'female' } as Parameters<typeof priorFor>[1];
    const band = priorFor(htn, facts);
    const moved = priorFor(htn, facts, { htn: cal(0.6, 0.451) });
    expect(odds(moved) / odds(band)).toBeCloseTo(odds(0.6) / odds(htn.prior.value), 6);
  });
});

describe('likelihood-ratio calibration', () => {
  const table = (
    truePositive: number,
    falsePositive: number,
    falseNegative: number,
    trueNegative: number,
  ) => ({
    truePositive,
    falsePositive,
    falseNegative,
    trueNegative,
  });

  it('estimates LR+ and LR− from a 2×2 table with log-method 95% intervals', () => {
    // 40 cases (32 with the finding), 160 non-cases (16 with it): sens 0.8, spec 0.9.
    const lr = likelihoodRatiosFromCounts(table(32, 16, 8, 144))!;
    expect(lr.positive.estimate).toBeCloseTo(8, 10);
    expect(lr.negative.estimate).toBeCloseTo(0.2 / 0.9, 10);
    const sePos = Math.sqrt(1 / 32 - 1 / 40 + 1 / 16 - 1 / 160);
    expect(lr.positive.interval[0]).toBeCloseTo(8 * Math.exp(-1.959964 * sePos), 8);
    expect(lr.positive.interval[1]).toBeCloseTo(8 * Math.exp(1.959964 * sePos), 8);
    const seNeg = Math.sqrt(1 / 8 - 1 / 40 + 1 / 144 - 1 / 160);
    expect(lr.negative.interval[1]).toBeCloseTo((0.2 / 0.9) * Math.exp(1.959964 * seNeg), 8);
  });

  it('adds 0.5 to every cell when one is empty, so no LR is 0 or infinite', () => {
    const lr = likelihoodRatiosFromCounts(table(20, 0, 5, 100))!;
    expect(lr.positive.estimate).toBeCloseTo(20.5 / 26 / (0.5 / 101), 8);
    expect(Number.isFinite(lr.positive.interval[1])).toBe(true);
  });

  it('shrinks toward the published LR on the log scale by cases / (cases + strength)', () => {
    const c = calibrateLikelihoodRatio(20, { estimate: 5, interval: [3, 8] }, 100, 100);
    expect(c.weight).toBe(0.5);
    expect(c.calibrated).toBeCloseTo(10, 4); // √(5 × 20)
    expect(
      calibrateLikelihoodRatio(20, { estimate: 5, interval: [3, 8] }, 10, 100).calibrated,
    ).toBeGreaterThan(15);
    expect(
      calibrateLikelihoodRatio(20, { estimate: 5, interval: [3, 8] }, 10_000, 100).calibrated,
    ).toBeLessThan(5.1);
  });

  it('re-estimates only where the data allow it', () => {
    // Too few cases.
    expect(calibrateFinding(table(5, 10, 4, 100), 20, 0.2)).toBeUndefined();
    // Never present: no LR+; absence carries no weight in the knowledge base: no LR− either.
    expect(calibrateFinding(table(0, 0, 20, 100), 3, 1)).toBeUndefined();
    // Never present, but absence counts: LR− only.
    const f = calibrateFinding(table(0, 1, 20, 100), 20, 0.2)!;
    expect(f.positive).toBeUndefined();
    expect(f.negative?.published).toBe(0.2);
  });

  it("changes the model's LR and posterior, and tells the app the published and local values", () => {
    const before = assess(RECORD, NOW, DEFAULT_MODEL_SETTINGS);
    const t2d = (a: typeof before) => a.hypotheses.find((h) => h.conditionId === 't2d');
    const used = t2d(before)?.contributions.find((c) => c.present && c.likelihoodRatio > 1);
    expect(used).toBeDefined();
    const local = {
      calibrated: used!.likelihoodRatio / 4,
      published: used!.likelihoodRatio,
      localEstimate: used!.likelihoodRatio / 16,
      interval: [1.1, 9] as const,
      cases: 30,
      nonCases: 300,
    };
    const after = assess(RECORD, NOW, {
      ...DEFAULT_MODEL_SETTINGS,
      lrCalibration: { t2d: { [used!.findingCode]: { positive: local } } },
    });
    const moved = t2d(after)?.contributions.find((c) => c.findingCode === used!.findingCode);
    expect(moved?.likelihoodRatio).toBe(local.calibrated);
    expect(moved?.lrCalibration).toEqual({
      published: local.published,
      localEstimate: local.localEstimate,
      interval: [1.1, 9],
      cases: 30,
      nonCases: 300,
    });
    expect(moved?.citationIds).toEqual(used?.citationIds);
    expect(t2d(after)!.posterior).toBeLessThan(t2d(before)!.posterior);
    expect(used?.lrCalibration).toBeUndefined();
  });
});
