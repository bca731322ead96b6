import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@rationale/shared-types';
import { recordFromResources } from '../fhir/record';
import { assess } from './assess';
import { calibratePrior, wilsonInterval } from './calibration';
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
