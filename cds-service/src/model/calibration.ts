/**
 * Local recalibration of the knowledge model (issue 16 item 5, DESIGN.md §5a): a site's population
 * gives each condition a local prevalence, which is shrunk toward the published prior with a
 * strength measured in patients (a beta prior centred on the published value), so a small site
 * moves little and a large one moves more; and, where the data allow, each finding's likelihood
 * ratios per condition from the 2×2 table of the finding against the problem list, shrunk toward
 * the published LR on the log scale (calibrateLikelihoodRatio). `rationale calibrate` writes the
 * file; the service loads it (configuration `calibrationFile`) and the differential uses it.
 * Pure: counts in, numbers out.
 */
import { z } from 'zod';
import type { CalibratedLikelihoodRatios, CalibratedPrior } from './settings';

/** How many patients the published prior is worth when shrinking toward it. */
export const DEFAULT_CALIBRATION_STRENGTH = 1000;

const probability = z.number().gt(0).lt(1);

export const priorCalibrationSchema = z
  .object({
    /** The knowledge base's overall prior, as published (its citation is in the knowledge base). */
    published: probability,
    /** Adults in the site's data with the condition on the problem list. */
    localCases: z.number().int().nonnegative(),
    localPatients: z.number().int().positive(),
    /** localCases / localPatients, with its Wilson 95% interval. */
    localEstimate: z.number().min(0).max(1),
    interval: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
    /** (localCases + strength × published) / (localPatients + strength): what the model uses. */
    calibrated: probability,
  })
  .strict();
export type PriorCalibration = z.infer<typeof priorCalibrationSchema>;

/** How many patients the published LR is worth, counted in cases (see calibrateLikelihoodRatio). */
export const DEFAULT_LR_STRENGTH = 100;

/**
 * The least data a finding's LRs are re-estimated from: cases and non-cases in whom the finding's
 * state was known. A project convention (below it the 2×2 table says too little), not a source's.
 */
export const MIN_LR_CASES = 10;
export const MIN_LR_NON_CASES = 10;
/** LR+ needs the finding seen present this often, LR− seen absent: else that side says nothing. */
export const MIN_LR_OBSERVED = 5;

const positive = z.number().positive();

/** The 2×2 table of a finding against the condition on the problem list, among the known. */
export const twoByTwoSchema = z
  .object({
    /** Finding present, condition recorded. */
    truePositive: z.number().int().nonnegative(),
    /** Finding present, condition not recorded. */
    falsePositive: z.number().int().nonnegative(),
    /** Finding absent, condition recorded. */
    falseNegative: z.number().int().nonnegative(),
    /** Finding absent, condition not recorded. */
    trueNegative: z.number().int().nonnegative(),
  })
  .strict();
export type TwoByTwo = z.infer<typeof twoByTwoSchema>;

export const lrCalibrationSchema = z
  .object({
    /** The knowledge base's LR (its citation is the evidence entry's). */
    published: positive,
    /** The site's LR from the 2×2 table (Haldane's +0.5 in every cell when one is 0). */
    localEstimate: positive,
    /** 95% interval of the local LR by the log method (Simel, Samsa and Matchar 1991). */
    interval: z.tuple([positive, positive]),
    /** Weight of the local estimate: cases / (cases + lrStrength). */
    weight: z.number().min(0).max(1),
    /** exp(weight × ln local + (1 − weight) × ln published): what the model uses. */
    calibrated: positive,
  })
  .strict();
export type LrCalibration = z.infer<typeof lrCalibrationSchema>;

/** One finding of one condition: its table and its LR+ and (where absence counts) LR−, as the data allow. */
export const findingCalibrationSchema = z
  .object({
    counts: twoByTwoSchema,
    positive: lrCalibrationSchema.optional(),
    negative: lrCalibrationSchema.optional(),
  })
  .strict()
  .refine((f) => f.positive !== undefined || f.negative !== undefined, {
    message: 'a finding needs a calibrated LR+ or LR−',
  });
export type FindingCalibration = z.infer<typeof findingCalibrationSchema>;

const commonFields = {
  kind: z.literal('rationale-calibration'),
  createdAt: z.string().min(1),
  /** What the estimates came from (a folder name and counts, never patient data). */
  source: z.object({ name: z.string(), patients: z.number().int().nonnegative() }).strict(),
  /** Patients the published prior was worth in the shrinkage. */
  strength: z.number().positive(),
  /** Knowledge-base version whose priors were recalibrated. */
  modelVersion: z.string().min(1),
  priors: z.record(z.string(), priorCalibrationSchema),
};

/**
 * The calibration file. Version 1: priors only. Version 2 adds the likelihood ratios, by
 * condition id then finding code, with the strength and the minimum counts they were made with.
 */
export const calibrationFileSchema = z
  // What the file is and its version first, so a file that is not one says so.
  .looseObject({ kind: z.literal('rationale-calibration'), version: z.union([z.literal(1), z.literal(2)]) })
  .pipe(
    z.discriminatedUnion('version', [
      z.object({ ...commonFields, version: z.literal(1) }).strict(),
      z
        .object({
          ...commonFields,
          version: z.literal(2),
          /** Cases the published LR was worth in the shrinkage. */
          lrStrength: z.number().positive(),
          minCounts: z
            .object({ cases: z.number().int().nonnegative(), nonCases: z.number().int().nonnegative() })
            .strict(),
          likelihoodRatios: z.record(z.string(), z.record(z.string(), findingCalibrationSchema)),
        })
        .strict(),
    ]),
  );
export type CalibrationFile = z.infer<typeof calibrationFileSchema>;

/** Wilson score interval (95%) for a proportion: sensible at 0 and at small counts. */
export function wilsonInterval(cases: number, n: number, z95 = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = cases / n;
  const denom = 1 + (z95 * z95) / n;
  const centre = (p + (z95 * z95) / (2 * n)) / denom;
  const half = (z95 * Math.sqrt((p * (1 - p)) / n + (z95 * z95) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A condition's calibrated prior from its local counts, shrunk toward the published prior. */
export function calibratePrior(
  published: number,
  localCases: number,
  localPatients: number,
  strength = DEFAULT_CALIBRATION_STRENGTH,
): PriorCalibration {
  const calibrated = (localCases + strength * published) / (localPatients + strength);
  const round = (x: number) => Number(x.toPrecision(6));
  return {
    published,
    localCases,
    localPatients,
    localEstimate: round(localCases / localPatients),
    interval: wilsonInterval(localCases, localPatients).map(round) as [number, number],
    calibrated: round(Math.min(0.999, Math.max(0.0001, calibrated))),
  };
}

const Z95 = 1.959964;
const round6 = (x: number) => Number(x.toPrecision(6));

/**
 * LR+ = sens / (1 − spec) and LR− = (1 − sens) / spec from a 2×2 table, each with its 95% interval
 * by the log method: SE(ln LR+) = √(1/a − 1/(a+c) + 1/b − 1/(b+d)), SE(ln LR−) = √(1/c − 1/(a+c) +
 * 1/d − 1/(b+d)) (Simel DL, Samsa GP, Matchar DB. Likelihood ratios with confidence: sample size
 * estimation for diagnostic test studies. J Clin Epidemiol 1991;44(8):763-70). A table with an
 * empty cell gets 0.5 added to every cell first (Haldane JBS, Ann Hum Genet 1956;20:309-11), so
 * neither ratio is 0 or infinite. Undefined without both cases and non-cases.
 */
export function likelihoodRatiosFromCounts(t: TwoByTwo):
  | {
      positive: { estimate: number; interval: [number, number] };
      negative: { estimate: number; interval: [number, number] };
    }
  | undefined {
  const zero = [t.truePositive, t.falsePositive, t.falseNegative, t.trueNegative].includes(0);
  const k = zero ? 0.5 : 0;
  const a = t.truePositive + k;
  const b = t.falsePositive + k;
  const c = t.falseNegative + k;
  const d = t.trueNegative + k;
  if (a + c === 0 || b + d === 0) return undefined;
  const sens = a / (a + c);
  const spec = d / (b + d);
  const ratio = (estimate: number, se: number) => ({
    estimate,
    interval: [estimate * Math.exp(-Z95 * se), estimate * Math.exp(Z95 * se)] as [number, number],
  });
  return {
    positive: ratio(sens / (1 - spec), Math.sqrt(1 / a - 1 / (a + c) + 1 / b - 1 / (b + d))),
    negative: ratio((1 - sens) / spec, Math.sqrt(1 / c - 1 / (a + c) + 1 / d - 1 / (b + d))),
  };
}

/**
 * A likelihood ratio shrunk toward the published one: ln LR = w·ln LR_local + (1 − w)·ln LR_published
 * with w = m / (m + k), m the local cases in whom the finding was known and k (`strength`) the cases
 * the published LR is taken to be worth. The rationale: the same form as the prior's shrinkage (the
 * published value counted as k observations beside the site's m), on the log-odds scale on which
 * Bayes' theorem combines likelihood ratios; cases, not patients, because a rare condition's cases
 * bound how well sensitivity, and so either LR, is known. k is a project convention (default 100),
 * set with `rationale calibrate --lr-strength`.
 */
export function calibrateLikelihoodRatio(
  published: number,
  local: { estimate: number; interval: [number, number] },
  cases: number,
  strength = DEFAULT_LR_STRENGTH,
): LrCalibration {
  const weight = cases / (cases + strength);
  const calibrated = Math.exp(weight * Math.log(local.estimate) + (1 - weight) * Math.log(published));
  return {
    published,
    localEstimate: round6(local.estimate),
    interval: [round6(local.interval[0]), round6(local.interval[1])],
    weight: round6(weight),
    calibrated: round6(calibrated),
  };
}

/**
 * A finding's calibration for one condition from its 2×2 table, or undefined when the data do not
 * allow it: fewer than MIN_LR_CASES cases or MIN_LR_NON_CASES non-cases with the finding known.
 * LR+ is re-estimated when the finding was present at least MIN_LR_OBSERVED times; LR− when it
 * was absent that often and the knowledge base gives absence a weight (`publishedNegative` ≠ 1).
 */
export function calibrateFinding(
  counts: TwoByTwo,
  publishedPositive: number,
  publishedNegative: number,
  strength = DEFAULT_LR_STRENGTH,
): FindingCalibration | undefined {
  const cases = counts.truePositive + counts.falseNegative;
  const nonCases = counts.falsePositive + counts.trueNegative;
  if (cases < MIN_LR_CASES || nonCases < MIN_LR_NON_CASES) return undefined;
  const local = likelihoodRatiosFromCounts(counts);
  if (!local) return undefined;
  const present = counts.truePositive + counts.falsePositive >= MIN_LR_OBSERVED;
  const absent = counts.falseNegative + counts.trueNegative >= MIN_LR_OBSERVED && publishedNegative !== 1;
  if (!present && !absent) return undefined;
  return {
    counts,
    ...(present
      ? { positive: calibrateLikelihoodRatio(publishedPositive, local.positive, cases, strength) }
      : {}),
    ...(absent
      ? { negative: calibrateLikelihoodRatio(publishedNegative, local.negative, cases, strength) }
      : {}),
  };
}

/** The likelihood ratios the model settings take from a calibration file (none in version 1). */
export function calibratedLikelihoodRatios(file: CalibrationFile): CalibratedLikelihoodRatios {
  if (file.version === 1) return {};
  return Object.fromEntries(
    Object.entries(file.likelihoodRatios).map(([conditionId, findings]) => [
      conditionId,
      Object.fromEntries(
        Object.entries(findings).map(([finding, f]) => {
          const cases = f.counts.truePositive + f.counts.falseNegative;
          const nonCases = f.counts.falsePositive + f.counts.trueNegative;
          const side = (l: LrCalibration) => ({
            calibrated: l.calibrated,
            published: l.published,
            localEstimate: l.localEstimate,
            interval: l.interval,
            cases,
            nonCases,
          });
          return [
            finding,
            {
              ...(f.positive ? { positive: side(f.positive) } : {}),
              ...(f.negative ? { negative: side(f.negative) } : {}),
            },
          ];
        }),
      ),
    ]),
  );
}

/** The priors the model settings take from a calibration file. */
export function calibratedPriors(file: CalibrationFile): Record<string, CalibratedPrior> {
  return Object.fromEntries(
    Object.entries(file.priors).map(([id, p]) => [
      id,
      {
        calibrated: p.calibrated,
        published: p.published,
        localEstimate: p.localEstimate,
        interval: p.interval,
        localPatients: p.localPatients,
      },
    ]),
  );
}
